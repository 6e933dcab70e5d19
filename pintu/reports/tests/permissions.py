"""The permission matrix's rows for this app's pages (see
``pintu/site/tests/test_permission_matrix.py``). Reports (LED, service analysis): staff
read every unit's, as its KPIs. A missing object answers 404 to whoever may open its
kind, 403 or 404 to the others."""

from __future__ import annotations

from pintu.site.tests.permission_matrix import (
    Row,
    missing_pk,
    no_args,
    signed_in,
)

#               anon     req      other-req staff    other-st super    head     auditor  admin
PAGES: dict[str, Row] = {
    "reports-file": (missing_pk, signed_in(404)),
    "reports-overview": (no_args, ("login", 403, 403, "→", 200, "→", "→", 200, 200)),
    "reports-status": (missing_pk, signed_in(404)),
    "reports-unit": (
        lambda w: {"code": "UPT-SI", "year": 2026},
        ("login", 404, 404, 200, 200, 200, 200, 200, 200),
    ),
}
