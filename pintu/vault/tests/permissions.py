"""The permission matrix's rows for this app's pages (see
``pintu/site/tests/test_permission_matrix.py``). Digital-service accounts: staff read
the register; a requester sees only grants given to them. A missing object answers 404
to whoever may open its kind, 403 or 404 to the others."""

from __future__ import annotations

from pintu.site.tests.permission_matrix import (
    Row,
    missing_pk,
    no_args,
    post_only,
    signed_in,
)

#               anon     req      other-req staff    other-st super    head     auditor  admin
PAGES: dict[str, Row] = {
    "vault-account": (missing_pk, ("login", 403, 403, 404, 404, 404, 404, 404, 404)),
    "vault-grant-revoke": (missing_pk, post_only()),
    "vault-my-access": (no_args, signed_in(200)),
    "vault-report": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "vault-report-xlsx": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "vault-reveal": (missing_pk, post_only()),
    "vault-register": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "vault-reviews": (no_args, signed_in(200)),
}
API: dict[str, Row] = {
    "pintu_vault_api_account_list": (no_args, (401, 403, 403, 200, 200, 200, 200, 200, 200)),
    "pintu_vault_api_account_create": (no_args, (401, 422, 422, 422, 422, 422, 422, 422, 422)),
}
