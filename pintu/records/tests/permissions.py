"""The permission matrix's rows for this app's pages (see
``pintu/site/tests/test_permission_matrix.py``). Records: the unit's head, the auditor
and the admin. A missing object answers 404 to whoever may open its kind, 403 to the
others."""

from __future__ import annotations

from pintu.site.tests.permission_matrix import (
    Row,
    missing_pk,
    no_args,
    post_only,
)

#               anon     req      other-req staff    other-st super    head     auditor  admin
PAGES: dict[str, Row] = {
    "records-hold-lift": (missing_pk, post_only()),
    "records-holds": (no_args, ("login", 403, 403, 403, 403, 403, 200, 200, 200)),
    "records-home": (no_args, ("login", 403, 403, 403, 403, 403, 200, 200, 200)),
    "records-proposal": (missing_pk, ("login", 403, 403, 403, 403, 403, 404, 404, 404)),
    "records-proposal-decide": (missing_pk, post_only()),
    "records-proposal-pdf": (missing_pk, ("login", 403, 403, 403, 403, 403, 404, 404, 404)),
    "records-schedule": (no_args, ("login", 403, 403, 403, 403, 403, 200, 200, 200)),
}
