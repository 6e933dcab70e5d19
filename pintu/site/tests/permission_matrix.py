"""The permission matrix's tables: for every URL pattern (by name) and every API
operation (by operationId), what each persona gets from a GET.

One table per app, so that an app that adds pages adds its own table here (or in its
own ``tests/permissions.py`` with ``PAGES`` and ``API``, which the test finds). A cell
is a status code, or "login" for a redirect to the sign-in page, or "→" for another
redirect. Rows give their URL arguments from the test's world (``w``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PERSONAS = (
    "anonymous",
    "requester",
    "other_requester",
    "staff",
    "other_staff",
    "supervisor",
    "head",
    "auditor",
    "admin",
)
Row = tuple[Callable[[Any], dict[str, Any]], tuple[Any, ...]]


def same(answer: Any) -> tuple[Any, ...]:
    return (answer,) * len(PERSONAS)


def signed_in(answer: Any) -> tuple[Any, ...]:
    return ("login", *(answer,) * (len(PERSONAS) - 1))


def post_only() -> tuple[Any, ...]:
    """A view that takes only POSTs answers a GET with 405, to anyone."""
    return same(405)


def no_args(w: Any) -> dict[str, Any]:
    return {}


def reference(w: Any) -> dict[str, Any]:
    return {"reference": w.reference}


def missing_pk(w: Any) -> dict[str, Any]:
    return {"pk": 999_999}


#               anon     req      other-req staff    other-st super    head     auditor  admin
SITE: dict[str, Row] = {
    "home": (no_args, ("login", "→", "→", "→", "→", "→", "→", "→", "→")),
    "healthz": (no_args, same(200)),
    "login": (no_args, (200, "→", "→", "→", "→", "→", "→", "→", "→")),
    "logout": (no_args, same(405)),
    # Without an authenticator (and with PINTU_TWO_FACTOR off, as in these tests), the
    # code's page sends people to set one up; test_twofactor covers it switched on.
    "login-code": (no_args, signed_in("→")),
    "security": (no_args, signed_in(200)),
    # The quality side reads the log (auditors, admins), not a unit's head.
    "audit-log": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "audit-log-csv": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "audit-log-xlsx": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "set_language": (no_args, same("→")),
    "api:openapi-json": (no_args, same(200)),
    "api:openapi-view": (no_args, same(200)),
    "api:api-root": (no_args, same(404)),
}
ORG: dict[str, Row] = {
    "unit-list": (no_args, signed_in(200)),
    "unit-calendar": (lambda w: {"code": "UPT-SI"}, signed_in(200)),
    "unit-closure-edit": (lambda w: {"code": "UPT-SI", "pk": 999_999}, signed_in(404)),
    "unit-closure-delete": (lambda w: {"code": "UPT-SI", "pk": 999_999}, signed_in(404)),
}
SOP: dict[str, Row] = {
    "sop-catalogue": (no_args, signed_in(200)),
    "sop-detail": (lambda w: {"code": "PR.33.8"}, signed_in(200)),
    "sop-pdf": (lambda w: {"code": "PR.33.8"}, signed_in(200)),
}
DESK: dict[str, Row] = {
    "desk-queue": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    # Polled by the page: a session that ended gets an empty answer that reloads it.
    "desk-queue-rows": (no_args, (200, 403, 403, 200, 200, 200, 200, 200, 200)),
    "desk-search": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "desk-bulk": (no_args, post_only()),
    "desk-filter-save": (no_args, post_only()),
    "desk-filter-delete": (missing_pk, post_only()),
    "desk-new": (no_args, ("login", 403, 403, 200, 200, 200, 200, 403, 200)),
    "desk-new-fields": (no_args, ("login", 403, 403, 200, 200, 200, 200, 403, 200)),
    "desk-new-people": (no_args, ("login", 403, 403, 200, 200, 200, 200, 403, 200)),
    # The requester's request, of UPT-SI: 404 to whoever may not see it (no leak).
    "desk-ticket": (reference, ("login", 404, 404, 200, 404, 200, 200, 200, 200)),
    "desk-ticket-reply": (reference, post_only()),
    "desk-ticket-note": (reference, post_only()),
    "desk-ticket-assign": (reference, post_only()),
    "desk-ticket-status": (reference, post_only()),
    "desk-ticket-step": (reference, post_only()),
    "desk-ticket-merge": (reference, post_only()),
    "desk-ticket-split": (reference, post_only()),
    "desk-ticket-fields": (reference, post_only()),
    "desk-ticket-retry": (reference, post_only()),
    "desk-attachment": (missing_pk, signed_in(404)),
    "portal-home": (no_args, signed_in(200)),
    "portal-unit": (lambda w: {"code": "UPT-SI"}, signed_in(200)),
    "portal-confirmation": (reference, ("login", 200, 404, 200, 404, 200, 200, 200, 200)),
    "portal-request": (
        lambda w: {"sop_code": "PR.33.8", "service_key": "layanan-ringan"},
        signed_in(200),
    ),
    "portal-my-requests": (no_args, signed_in(200)),
    "portal-ticket": (reference, ("login", 200, 404, 200, 404, 200, 200, 200, 200)),
    "portal-conversation": (reference, ("login", 200, 404, 200, 404, 200, 200, 200, 200)),
    "portal-reply": (reference, post_only()),
    "portal-rate": (reference, post_only()),
}
DOORS: dict[str, Row] = {
    "doors-quarantine": (no_args, ("login", 403, 403, 403, 403, 403, 403, 403, 200)),
    "doors-inbound-raw": (missing_pk, signed_in(404)),
    "doors-inbound-retry": (missing_pk, post_only()),
    "dev-mail": (no_args, ("login", 403, 403, 403, 403, 403, 403, 403, 200)),
    "dev-mail-message": (
        lambda w: {"name": "none"},
        ("login", 403, 403, 403, 403, 403, 403, 403, 404),
    ),
    "dev-mail-raw": (lambda w: {"name": "none"}, ("login", 403, 403, 403, 403, 403, 403, 403, 404)),
    "whatsapp-webhook": (no_args, same(403)),
}
KPI: dict[str, Row] = {
    "kpi-evidence-file": (missing_pk, signed_in(404)),
    "kpi-evidence-judge": (missing_pk, post_only()),
    # Staff land on their own unit's KPIs.
    "kpi-overview": (no_args, ("login", 403, 403, "→", 200, "→", "→", 200, 200)),
    "kpi-unit": (
        lambda w: {"code": "UPT-SI", "year": 2026},
        ("login", 404, 404, 200, 200, 200, 200, 200, 200),  # staff read every unit's KPIs
    ),
    "kpi-detail": (
        lambda w: {"code": "UPT-SI", "year": 2026, "kpi": "none"},
        ("login", 404, 404, 404, 404, 404, 404, 404, 404),
    ),
    "kpi-export": (
        lambda w: {"code": "UPT-SI", "year": 2026, "kpi": "none"},
        ("login", 404, 404, 404, 404, 404, 404, 404, 404),
    ),
    "kpi-evaluations": (
        lambda w: {"code": "UPT-SI", "year": 2026},
        ("login", 404, 404, 200, 200, 200, 200, 200, 200),
    ),
    "kpi-evidence": (
        lambda w: {"code": "UPT-SI"},
        ("login", 404, 404, 200, 200, 200, 200, 200, 200),
    ),
}
PAGES: dict[str, Row] = {**SITE, **ORG, **SOP, **DESK, **DOORS, **KPI}

# API operations by operationId, called with a GET where they are GETs, else the
# method of the document; arguments from the world. Same personas, with a token.
API_TICKETS: dict[str, Row] = {
    "pintu_desk_api_ticket_list": (no_args, (401, *(200,) * 8)),
    "pintu_desk_api_ticket_create": (no_args, (401, *(422,) * 8)),
    "pintu_desk_api_ticket_detail": (reference, (401, 200, 404, 200, 404, 200, 200, 200, 200)),
    "pintu_desk_api_ticket_articles": (reference, (401, 200, 404, 200, 404, 200, 200, 200, 200)),
    "pintu_desk_api_ticket_reply": (reference, (401, *(422,) * 8)),
    "pintu_desk_api_ticket_note": (reference, (401, *(422,) * 8)),
    "pintu_desk_api_ticket_status": (reference, (401, *(422,) * 8)),
    "pintu_desk_api_ticket_step_complete": (
        lambda w: {"reference": w.reference, "position": 1},
        (401, 404, 404, 404, 404, 404, 404, 404, 404),  # no step 1 on a light request
    ),
}
API_KPI: dict[str, Row] = {
    "pintu_kpi_api_kpi_list": (
        lambda w: {"unit": "UPT-SI", "year": 2026},
        (401, 404, 404, 200, 200, 200, 200, 200, 200),
    ),
    "pintu_kpi_api_kpi_evidence_page": (
        lambda w: {"unit": "UPT-SI", "year": 2026, "code": "none"},
        (401, 404, 404, 404, 404, 404, 404, 404, 404),
    ),
}
# With an empty body, writes answer 422 before the request is looked up, to anyone
# signed in: whether it exists does not leak.
API: dict[str, Row] = {**API_TICKETS, **API_KPI}
