"""/api/v1/tickets through HTTP: tokens, the pages' visibility for every persona, writes
through the services, error shapes, the OpenAPI document and the list's query count."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pintu.conftest import Personas, fields_for, service
from pintu.core.tokens import api_token_create, api_token_revoke
from pintu.desk import services
from pintu.desk.models import Article, Door, Status, Step, Ticket
from pintu.identity.tests.records import identified
from pintu.org.models import User

pytestmark = pytest.mark.django_db
API = "/api/v1"


def client_for(user: User | None = None, token: str | None = None) -> Client:
    """A client speaking English (so that messages read as in the code) with a token."""
    headers = {"Accept-Language": "en"}
    if user is not None:
        token = api_token_create(actor=None, user=user)[1]
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return Client(headers=headers)


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(data, default=str), "application/json")


def open_ticket(
    personas: Personas, sop: str = "PR.33.8", key: str = "layanan-ringan", **extra: Any
) -> Ticket:
    svc = service(sop, key)
    extra.setdefault("requester", personas.requester)
    extra.setdefault("actor", extra["requester"])
    return services.ticket_create(
        service_type=svc,
        opening=services.Opening(
            subject="Wi-Fi lab mati", body="Wi-Fi di lab 3 tidak tersambung sejak pagi."
        ),
        fields=fields_for(svc),
        **extra,
    ).ticket


def other_unit_ticket(personas: Personas) -> Ticket:
    return open_ticket(
        personas,
        sop="PR.13.2",
        key="publikasi-pengumuman",
        requester=services.contact_for(name="Dosen Luar", email="dosen@example.ac.id"),
        actor=None,
    )


def references(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["reference"] for item in response.json()["items"]}


# ---------------------------------------------------------------- authentication


def test_without_a_token_every_endpoint_answers_401(sops, personas) -> None:
    ticket = open_ticket(personas)
    anonymous = client_for()
    for response in (
        anonymous.get(f"{API}/tickets"),
        anonymous.get(f"{API}/tickets/{ticket.reference}"),
        anonymous.get(f"{API}/tickets/{ticket.reference}/articles"),
        post(anonymous, "/tickets", {}),
        post(anonymous, f"/tickets/{ticket.reference}/reply", {"body": "x"}),
        post(anonymous, f"/tickets/{ticket.reference}/note", {"body": "x"}),
        post(anonymous, f"/tickets/{ticket.reference}/status", {"status": "open"}),
        post(anonymous, f"/tickets/{ticket.reference}/steps/1/complete", {}),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_revoked_token_answers_401_even_with_a_session(sops, personas) -> None:
    row, token = api_token_create(actor=None, user=personas.staff)
    assert client_for(token=token).get(f"{API}/tickets").status_code == 200
    api_token_revoke(actor=None, token=row)
    assert client_for(token=token).get(f"{API}/tickets").status_code == 401
    signed_in = client_for(token="pintu_" + "A" * 40)
    signed_in.force_login(personas.staff)
    assert signed_in.get(f"{API}/tickets").status_code == 401


def test_the_session_works_too_with_csrf_on_writes(sops, personas) -> None:
    ticket = open_ticket(personas)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.staff)
    assert references(browser.get(f"{API}/tickets")) == {ticket.reference}
    note = {"body": "cek AP lantai 3"}
    assert post(browser, f"/tickets/{ticket.reference}/note", note).status_code == 403
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    response = browser.post(
        f"{API}/tickets/{ticket.reference}/note",
        json.dumps(note),
        "application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201


# ---------------------------------------------------------------- reading


def test_each_persona_lists_what_the_pages_show(sops, personas) -> None:
    mine = open_ticket(personas)
    other = other_unit_ticket(personas)
    seen = {
        name: references(client_for(getattr(personas, name)).get(f"{API}/tickets"))
        for name in ("requester", "staff", "supervisor", "head", "other_staff", "auditor")
    }
    assert seen == {
        "requester": {mine.reference},
        "staff": {mine.reference},
        "supervisor": {mine.reference},
        "head": {mine.reference},
        "other_staff": {other.reference},
        "auditor": {mine.reference, other.reference},
    }


def test_the_list_is_newest_first_filtered_and_paged(sops, personas) -> None:
    first = open_ticket(personas)
    second = open_ticket(personas, key="instalasi-perangkat-lunak")
    services.ticket_set_status(actor=personas.staff, ticket=first, status=Status.OPEN)
    other = other_unit_ticket(personas)
    auditor = client_for(personas.auditor)

    page = auditor.get(f"{API}/tickets", {"limit": 2}).json()
    assert page["count"] == 3 and page["limit"] == 2 and page["offset"] == 0
    assert [t["reference"] for t in page["items"]] == [other.reference, second.reference]
    rest = auditor.get(f"{API}/tickets", {"limit": 2, "offset": 2}).json()
    assert [t["reference"] for t in rest["items"]] == [first.reference]

    assert references(auditor.get(f"{API}/tickets", {"status": "open"})) == {first.reference}
    assert references(auditor.get(f"{API}/tickets", {"unit": "P4M"})) == {other.reference}
    found = auditor.get(f"{API}/tickets", {"service": "instalasi-perangkat-lunak"})
    assert references(found) == {second.reference}
    assert auditor.get(f"{API}/tickets", {"limit": 101}).status_code == 422
    assert auditor.get(f"{API}/tickets", {"status": "lost"}).status_code == 422


def test_the_list_runs_the_same_queries_for_3_or_30_tickets(
    sops, personas, django_assert_max_num_queries
) -> None:
    staff = client_for(personas.staff)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = staff.get(f"{API}/tickets", {"limit": 100})
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        open_ticket(personas)
    staff.get(f"{API}/tickets")  # the token's first use writes last_used_at once
    few = count_queries()
    for _ in range(27):
        open_ticket(personas)
    assert count_queries() == few
    # The token and the memberships, count, page, and the unit's calendar (3).
    with django_assert_max_num_queries(7):
        assert len(staff.get(f"{API}/tickets", {"limit": 100}).json()["items"]) == 30


def test_the_ticket_json_carries_the_clock_and_the_steps(sops, personas) -> None:
    ticket = open_ticket(personas, key="akun-kampus")
    data = client_for(personas.requester).get(f"{API}/tickets/{ticket.reference}").json()
    assert data["reference"] == ticket.reference
    assert data["status"] == "new"
    assert data["unit"] == "UPT-SI"
    assert data["service"] == {
        "sop": "PR.33.8",
        "key": "akun-kampus",
        "name": ticket.service_type.name,
    }
    assert data["door"] == "web" and data["priority"] == "normal"
    assert data["assignee"] is None and data["first_response_at"] is None
    assert data["sla_state"] in {"on_track", "at_risk", "breached"}
    assert data["fields"] == ticket.fields
    # ISO 8601 to the millisecond.
    for name in ("received_at", "first_response_due_at", "resolution_due_at"):
        moment = datetime.fromisoformat(data[name])
        assert abs(moment - getattr(ticket, name)) < timedelta(milliseconds=1)
    assert [s["activity"] for s in data["steps"]] == [
        "identifikasi-permintaan",
        "pengelolaan-akun",
        "distribusi-akun",
    ]
    assert [s["state"] for s in data["steps"]] == ["active", "pending", "pending"]


def test_another_units_ticket_answers_404_on_every_endpoint(sops, personas) -> None:
    ticket = open_ticket(personas)
    outsider = client_for(personas.other_staff)
    ref = ticket.reference
    for response in (
        outsider.get(f"{API}/tickets/{ref}"),
        outsider.get(f"{API}/tickets/{ref}/articles"),
        post(outsider, f"/tickets/{ref}/reply", {"body": "x"}),
        post(outsider, f"/tickets/{ref}/note", {"body": "x"}),
        post(outsider, f"/tickets/{ref}/status", {"status": "open"}),
        post(outsider, f"/tickets/{ref}/steps/1/complete", {}),
        outsider.get(f"{API}/tickets/SI-26-99999"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}
    assert not Article.objects.exclude(kind=Article.Kind.INBOUND).exists()


def test_requesters_never_read_internal_notes(sops, personas) -> None:
    ticket = open_ticket(personas)
    staff = client_for(personas.staff)
    note = post(staff, f"/tickets/{ticket.reference}/note", {"body": "rahasia"})
    assert note.status_code == 201 and note.json()["kind"] == "note"
    reply = post(staff, f"/tickets/{ticket.reference}/reply", {"body": "Sedang dicek"})
    assert reply.status_code == 201

    def kinds(user: User) -> list[str]:
        response = client_for(user).get(f"{API}/tickets/{ticket.reference}/articles")
        return [a["kind"] for a in response.json()]

    assert kinds(personas.requester) == ["inbound", "reply"]
    assert kinds(personas.staff) == ["inbound", "note", "reply"]
    assert kinds(personas.auditor) == ["inbound", "note", "reply"]


# ---------------------------------------------------------------- writing


def test_a_requester_opens_a_ticket_on_the_web(sops, personas) -> None:
    svc = service("PR.33.8", "layanan-ringan")
    response = post(
        client_for(personas.requester),
        "/tickets",
        {
            "service": {"sop": "PR.33.8", "key": "layanan-ringan"},
            "subject": "Printer lab macet",
            "body": "Printer di lab 2 macet.",
            "fields": fields_for(svc),
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    ticket = Ticket.objects.get(reference=data["reference"])
    assert ticket.requester == personas.requester and ticket.door == Door.WEB
    assert data["unit"] == "UPT-SI" and data["subject"] == "Printer lab macet"
    assert data["sla_state"] == "on_track" and "steps" in data


def test_staff_enter_a_walk_in_that_arrived_earlier(sops, personas) -> None:
    svc = service("PR.33.8", "instalasi-perangkat-lunak")
    arrived = timezone.now() - timedelta(hours=2)
    request = {
        "service": {"sop": "PR.33.8", "key": "instalasi-perangkat-lunak"},
        "subject": "Instal SPSS",
        "body": "Datang ke loket",
        "fields": fields_for(svc),
        "door": "walk_in",
        "received_at": arrived.isoformat(),
        "requester": {"name": "Tamu", "email": "tamu@example.ac.id"},
    }
    response = post(client_for(personas.staff), "/tickets", request)
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert ticket.door == Door.WALK_IN and ticket.received_at == arrived
    assert ticket.contact.email == "tamu@example.ac.id" and ticket.requester is None

    # A requester may not: neither for someone else, nor with another door or time.
    requester = client_for(personas.requester)
    assert post(requester, "/tickets", request).status_code == 403
    own = {**request, "requester": None, "door": "web"}
    assert post(requester, "/tickets", own).status_code == 403
    naive = {**request, "received_at": arrived.replace(tzinfo=None).isoformat()}
    assert post(client_for(personas.staff), "/tickets", naive).status_code == 422
    assert Ticket.objects.count() == 1


def test_a_service_error_answers_422_with_its_message(sops, personas) -> None:
    requester = client_for(personas.requester)
    request = {
        "service": {"sop": "PR.13.2", "key": "perubahan-data-mata-kuliah"},
        "subject": "Ubah SKS",
        "body": "b",
        "fields": {},
    }
    response = post(requester, "/tickets", request)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["msg"].endswith("is required.")
    unknown = {**request, "service": {"sop": "PR.13.2", "key": "nothing"}}
    response = post(requester, "/tickets", unknown)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "service"], "msg": "No service nothing in SOP PR.13.2."}
    ]
    assert post(requester, "/tickets", {"subject": "no service"}).status_code == 422
    assert not Ticket.objects.exists()


def test_replies_from_staff_and_from_the_requester(sops, personas) -> None:
    ticket = open_ticket(personas)
    staff = client_for(personas.staff)
    response = post(
        staff,
        f"/tickets/{ticket.reference}/reply",
        {"body": "Sudah kami cek, coba lagi.", "status": "waiting_requester"},
    )
    assert response.status_code == 201 and response.json()["kind"] == "reply"
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    assert ticket.status == Status.WAITING_REQUESTER

    requester = client_for(personas.requester)
    response = post(requester, f"/tickets/{ticket.reference}/reply", {"body": "Sudah bisa."})
    assert response.status_code == 201 and response.json()["kind"] == "inbound"
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN  # the requester answered: back on the clock
    moving = {"body": "tutup", "status": "closed"}
    assert post(requester, f"/tickets/{ticket.reference}/reply", moving).status_code == 403
    empty = post(requester, f"/tickets/{ticket.reference}/reply", {"body": " "})
    assert empty.status_code == 422


def test_status_changes_follow_the_allowed_moves(sops, personas) -> None:
    ticket = open_ticket(personas)
    staff = client_for(personas.staff)
    resolved = post(staff, f"/tickets/{ticket.reference}/status", {"status": "resolved"})
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved" and resolved.json()["resolved_at"]
    moved = post(staff, f"/tickets/{ticket.reference}/status", {"status": "waiting_requester"})
    assert moved.status_code == 422
    assert moved.json()["detail"][0]["msg"].startswith("A request cannot go from")
    unknown = post(staff, f"/tickets/{ticket.reference}/status", {"status": "lost"})
    assert unknown.status_code == 422


def test_staff_complete_the_sop_steps(sops, personas) -> None:
    ticket = open_ticket(personas, key="akun-kampus")
    staff = client_for(personas.staff)
    path = f"/tickets/{ticket.reference}/steps"
    # The step is a module's (pintu.identity): its data identifies the requester.
    data = {"id_number": identified(ticket)["action-id_number"]}
    response = post(staff, f"{path}/1/complete", {"output": "Terverifikasi", "data": data})
    assert response.status_code == 200, response.content
    steps = response.json()["steps"]
    assert steps[0]["state"] == "done"
    assert "(isiNIM/NIP/NIK)" in steps[0]["output"]  # whose request, by the master data
    assert steps[1]["state"] == "active"
    assert Step.objects.get(ticket=ticket, position=1).done_by == personas.staff
    early = post(staff, f"{path}/3/complete", {})
    assert early.status_code == 422
    assert early.json()["detail"][0]["msg"] == "Only the step in progress can be completed."
    assert post(staff, f"{path}/9/complete", {}).status_code == 404


def test_a_step_with_branches_needs_one_of_them(sops, personas) -> None:
    from pintu.org.models import Role, Unit
    from pintu.org.services import membership_grant

    svc = service("SDM.5.OT.02.02-5068", "pemberian-akses")
    ticket = services.ticket_create(
        actor=None,
        service_type=svc,
        requester=services.contact_for(name="Taruna A", phone="6281200000009"),
        opening=services.Opening(subject="Akses akun Zoom", body="Mohon akses akun Zoom institusi"),
        door=Door.WHATSAPP,
        fields=fields_for(svc),
    ).ticket
    staff = personas.staff
    membership_grant(actor=None, user=staff, role=Role.STAFF, unit=Unit.objects.get(code="BAA"))
    for key in ("b2-terima-pesan", "b3-terima-tanggapan", "b4-jawaban"):
        services.ticket_complete_step(actor=staff, step=ticket.steps.get(activity__key=key))
    client = client_for(staff)
    detail = client.get(f"{API}/tickets/{ticket.reference}").json()
    classify = next(s for s in detail["steps"] if s["activity"] == "b5-klasifikasi")
    assert [b["to"] for b in classify["branches"]] == ["b6-akses-diberikan", "b7-akses-ditolak"]
    path = f"/tickets/{ticket.reference}/steps/{classify['position']}/complete"
    assert post(client, path, {}).json()["detail"][0]["msg"].startswith("Choose what happens")
    done = post(client, path, {"branch": "b7-akses-ditolak", "output": "Bukan dosen"})
    states = {s["activity"]: s["state"] for s in done.json()["steps"]}
    assert states["b6-akses-diberikan"] == "skipped" and states["b7-akses-ditolak"] == "active"


def test_auditors_read_everything_and_change_nothing(sops, personas) -> None:
    ticket = open_ticket(personas, key="akun-kampus")
    auditor = client_for(personas.auditor)
    ref = ticket.reference
    assert auditor.get(f"{API}/tickets/{ref}").status_code == 200
    assert auditor.get(f"{API}/tickets/{ref}/articles").status_code == 200
    svc = service("PR.33.8", "layanan-ringan")
    create = {
        "service": {"sop": "PR.33.8", "key": "layanan-ringan"},
        "subject": "s",
        "body": "b",
        "fields": fields_for(svc),
    }
    for response in (
        post(auditor, "/tickets", create),
        post(auditor, f"/tickets/{ref}/reply", {"body": "x"}),
        post(auditor, f"/tickets/{ref}/note", {"body": "x"}),
        post(auditor, f"/tickets/{ref}/status", {"status": "open"}),
        post(auditor, f"/tickets/{ref}/steps/1/complete", {}),
    ):
        assert response.status_code == 403
    assert Ticket.objects.count() == 1
    assert ticket.articles.count() == 1


def test_requesters_cannot_write_notes_or_move_their_ticket(sops, personas) -> None:
    ticket = open_ticket(personas, key="akun-kampus")
    requester = client_for(personas.requester)
    ref = ticket.reference
    assert post(requester, f"/tickets/{ref}/note", {"body": "x"}).status_code == 403
    assert post(requester, f"/tickets/{ref}/status", {"status": "closed"}).status_code == 403
    assert post(requester, f"/tickets/{ref}/steps/1/complete", {}).status_code == 403


# ---------------------------------------------------------------- the document


def test_the_openapi_document_lists_the_paths_and_the_ticket_schema(db) -> None:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    tickets = {path for path in document["paths"] if path.startswith(f"{API}/tickets")}
    assert tickets == {
        f"{API}/tickets",
        f"{API}/tickets/{{reference}}",
        f"{API}/tickets/{{reference}}/articles",
        f"{API}/tickets/{{reference}}/reply",
        f"{API}/tickets/{{reference}}/note",
        f"{API}/tickets/{{reference}}/status",
        f"{API}/tickets/{{reference}}/steps/{{position}}/complete",
    }
    assert f"{API}/vault/accounts" in document["paths"]  # a module's router (pintu.vault)
    ticket = document["components"]["schemas"]["TicketOut"]["properties"]
    for name in ("reference", "status", "received_at", "first_response_due_at", "sla_state"):
        assert name in ticket
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    assert Client().get(f"{API}/docs").status_code == 200
