"""Hostile input to /api/v1 is refused at the edge with a 422 that names the field, on
SQLite and PostgreSQL alike, and leaves nothing behind."""

from __future__ import annotations

from typing import Any

import pytest

from pintu.conftest import Personas, fields_for, service
from pintu.desk.models import Article, Contact, Ticket
from pintu.desk.tests.test_api import API, client_for, open_ticket, post

pytestmark = pytest.mark.django_db


def walk_in(**requester: str) -> dict[str, Any]:
    return {
        "service": {"sop": "PR.33.8", "key": "layanan-ringan"},
        "subject": "Tamu di loket",
        "body": "Minta bantuan",
        "fields": fields_for(service("PR.33.8", "layanan-ringan")),
        "door": "walk_in",
        "requester": requester,
    }


def refused_fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


@pytest.mark.parametrize(
    ("requester", "field"),
    [
        ({"name": "Tamu", "phone": "6" * 60}, "phone"),
        ({"name": "Tamu", "email": "a" * 390 + "@example.id"}, "email"),
        ({"name": "T" * 5000, "email": "tamu@example.ac.id"}, "name"),
        ({"name": "Tamu", "phone": "0812-ABC"}, "phone"),
        ({"name": "Tamu", "email": "bukan alamat"}, "email"),
        ({"name": "Tamu", "email": "tamu@@example.ac.id"}, "email"),
        ({"username": "u" * 500}, "username"),
    ],
)
def test_contact_fields_beyond_their_columns_or_malformed_answer_422_naming_them(
    sops: None, personas: Personas, requester: dict[str, str], field: str
) -> None:
    response = post(client_for(personas.staff), "/tickets", walk_in(**requester))
    assert field in refused_fields(response)
    assert not Ticket.objects.exists() and not Contact.objects.exists()


def test_a_well_formed_number_with_a_plus_is_accepted(sops: None, personas: Personas) -> None:
    response = post(client_for(personas.staff), "/tickets", walk_in(phone="+6281234567890"))
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().contact.phone == "6281234567890"


@pytest.mark.parametrize("path", ["note", "reply"])
def test_a_nul_byte_in_a_body_answers_422_naming_the_field(
    sops: None, personas: Personas, path: str
) -> None:
    ticket = open_ticket(personas)
    before = Article.objects.count()
    response = post(
        client_for(personas.staff), f"/tickets/{ticket.reference}/{path}", {"body": "a\x00b"}
    )
    assert refused_fields(response) == ["body"]
    assert Article.objects.count() == before


def test_a_nul_byte_deep_in_the_fields_of_a_new_ticket_is_refused(
    sops: None, personas: Personas
) -> None:
    request = walk_in(name="Tamu", email="tamu@example.ac.id")
    request["fields"] = {"uraian": "baik\x00buruk"}
    assert refused_fields(post(client_for(personas.staff), "/tickets", request)) == ["uraian"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"unit": "UPT\x00SI"}, "unit"),
        ({"service": "\x00"}, "service"),
        ({"status": "open\x00"}, "status"),
        ({"offset": "9223372036854775808"}, "offset"),
        ({"offset": "99999999999999999999999999"}, "offset"),
        ({"limit": "-9223372036854775809"}, "limit"),
    ],
)
def test_query_parameters_that_would_break_the_database_answer_422_naming_them(
    sops: None, personas: Personas, query: dict[str, str], field: str
) -> None:
    response = client_for(personas.auditor).get(f"{API}/tickets", query)
    assert refused_fields(response) == [field]


def test_the_largest_offset_still_answers_an_empty_page(sops: None, personas: Personas) -> None:
    open_ticket(personas)
    response = client_for(personas.auditor).get(f"{API}/tickets", {"offset": 1_000_000_000})
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize("reference", ["SI\x00-26", "x" * 5000])
def test_a_strange_reference_in_the_path_is_not_found(
    sops: None, personas: Personas, reference: str
) -> None:
    response = client_for(personas.staff).get(f"{API}/tickets/{reference}")
    assert response.status_code in (404, 422)


def test_a_step_position_beyond_any_integer_is_not_found(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    path = f"/tickets/{ticket.reference}/steps/9223372036854775808/complete"
    assert post(client_for(personas.staff), path, {}).status_code in (404, 422)


def test_a_page_asked_with_a_nul_byte_answers_400_in_words(personas: Personas) -> None:
    client = client_for()
    client.force_login(personas.staff)
    response = client.get("/", {"q": "wifi\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
