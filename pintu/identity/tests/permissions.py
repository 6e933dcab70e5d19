"""The permission matrix's rows for this app's pages (see
``pintu/site/tests/test_permission_matrix.py``). Campus accounts (UPT-SI): its staff,
sub-coordinator and head work here; the auditor reads. A missing object answers 404 to
whoever may open its kind, 403 or 404 to the others."""

from __future__ import annotations

from pintu.site.tests.permission_matrix import (
    Row,
    missing_pk,
    no_args,
    post_only,
    reference,
    same,
)

#               anon     req      other-req staff    other-st super    head     auditor  admin
PAGES: dict[str, Row] = {
    "identity-accounts": (no_args, ("login", 403, 403, 200, 403, 200, 200, 200, 200)),
    "identity-ask": (reference, post_only()),
    "identity-cohort": (missing_pk, ("login", 403, 403, 404, 403, 404, 404, 404, 404)),
    "identity-cohort-letters": (missing_pk, ("login", 403, 403, 404, 403, 404, 404, 403, 404)),
    "identity-cohort-new": (no_args, ("login", 403, 403, 200, 403, 200, 200, 403, 200)),
    "identity-handover": (lambda w: {"token": "none"}, same(404)),
    "identity-import": (no_args, ("login", 403, 403, 200, 403, 200, 200, 403, 200)),
    "identity-lifecycle": (no_args, ("login", 403, 403, 200, 403, 200, 200, 200, 200)),
}
