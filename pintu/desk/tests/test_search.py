"""Search by words: the words a request is indexed by, what a query finds on this
database's index (SQLite FTS5 or PostgreSQL GIN; CI runs both), who finds what, and the
words kept current when fields change, a ticket is split or purged."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from pintu.conftest import fields_for, service
from pintu.desk import search, selectors, services
from pintu.desk.models import Ticket
from pintu.desk.selectors import ListFilter
from pintu.desk.tests.test_api import API, client_for, open_ticket, other_unit_ticket

# ---------------------------------------------------------------- the words (pure)


def test_words_fold_case_and_split_on_everything_but_letters_and_digits() -> None:
    assert search.words("Wi-Fi lab 3 MATI; cek_ap@kampus.ac.id!") == [
        *("wi", "fi", "lab", "3", "mati", "cek", "ap", "kampus", "ac", "id"),
    ]
    assert search.words("Ujian Akhir Semester — ruang B.204") == [
        *("ujian", "akhir", "semester", "ruang", "b", "204"),
    ]
    assert search.words("Café ÉLITE ß") == ["café", "élite", "ss"]
    assert search.words("  — ! ") == []


def test_a_document_keeps_each_word_once_first_seen_first() -> None:
    text = search.document(
        reference="SI-26-00058",
        subject="Printer lab mati",
        opening="Printer di lab 2 mati sejak pagi, lab 3 juga",
        fields={"ruang": "Lab 2", "jumlah": 3, "kosong": "", "tidak": None},
        requester="Rina Wati rina@kampus.ac.id",
    )
    assert text.split() == [
        *("si", "26", "00058", "printer", "lab", "mati", "rina", "wati", "kampus", "ac"),
        *("id", "2", "3", "di", "sejak", "pagi", "juga"),
    ]


def test_a_long_message_is_cut_at_a_word_within_the_limit() -> None:
    long = " ".join(f"kata{n}" for n in range(5000))
    text = search.document(reference="SI-26-00001", subject="Subjek", opening=long)
    assert len(text) <= search.MAX_CHARS
    assert text.startswith("si 26 00001 subjek kata0 kata1 ")
    assert text.split()[-1].startswith("kata")


def test_the_requester_words_come_from_the_contact_or_the_person() -> None:
    class Contact:
        name, email, phone = "Dosen Luar", "dosen@example.ac.id", ""

    class Person:
        full_name, username = "Rina Wati", "rina"

    assert search.requester_text(Person(), Contact()) == "Dosen Luar dosen@example.ac.id"
    assert search.requester_text(Person(), None) == "Rina Wati rina"
    assert search.requester_text(None, None) == ""


def test_a_query_keeps_its_first_words() -> None:
    assert search.query_words("satu dua tiga empat lima enam tujuh delapan sembilan") == [
        *("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan"),
    ]
    assert search.query_words('"OR" * NEAR( -') == ["or", "near"]


# ---------------------------------------------------------------- the index


def found(viewer: Any, query: str) -> list[str]:
    page = selectors.ticket_list(viewer=viewer, filters=ListFilter(q=query), limit=100)
    return [ticket.reference for ticket in page.tickets]


@pytest.fixture
def desk(sops: None, personas: Any) -> dict[str, Ticket]:
    wifi = open_ticket(personas)  # "Wi-Fi lab mati" / "... lab 3 tidak tersambung ..."
    svc = service("PR.33.8", "akun-kampus")
    account = services.ticket_create(
        actor=personas.requester,
        requester=personas.requester,
        service_type=svc,
        opening=services.Opening(subject="Akun email baru", body="Mohon dibuatkan akun."),
        fields=fields_for(svc),
    ).ticket
    outside = other_unit_ticket(personas)  # P4M, from dosen@example.ac.id
    return {"wifi": wifi, "account": account, "outside": outside}


@pytest.mark.django_db
def test_each_word_finds_the_words_that_start_with_it(desk, personas) -> None:
    staff, wifi, account = personas.staff, desk["wifi"].reference, desk["account"].reference
    assert found(staff, "wifi") == []  # "Wi-Fi" is two words
    assert found(staff, "wi fi") == [wifi]
    assert found(staff, "TERSAMBUNG") == [wifi]  # a word of the opening message
    assert found(staff, "tersam") == [wifi]
    assert found(staff, "sambung") == []  # the start of a word, not its middle
    assert found(staff, "lab mati") == [wifi]
    assert found(staff, "lab akun") == []  # every word must be there
    assert found(staff, "akun") == [account]
    assert found(staff, "mahasiswa") == sorted([wifi, account], reverse=True)  # requester
    assert found(staff, desk["wifi"].reference) == [wifi]
    assert found(staff, desk["wifi"].reference[:-1]) == sorted([wifi, account], reverse=True)
    assert found(staff, '"; DROP TABLE desk_ticket; --') == []
    assert found(staff, "— !") == []


@pytest.mark.django_db
def test_everyone_finds_only_what_they_may_see(desk, personas) -> None:
    outside = desk["outside"].reference
    assert found(personas.other_staff, "dosen") == [outside]  # its contact's name
    assert found(personas.other_staff, "example ac") == [outside]  # its address
    assert found(personas.staff, "dosen") == []
    assert found(personas.auditor, "lab") == [outside, desk["wifi"].reference]
    assert found(personas.requester, "akun") == [desk["account"].reference]
    assert found(personas.requester, "dosen") == []


@pytest.mark.django_db
def test_the_words_follow_the_fields_a_split_and_a_purge(desk, personas) -> None:
    ticket = desk["account"]
    declared = ticket.service_type.definition().fields
    text_field = next(f for f in declared if f.type == "text" and not f.choices)
    services.ticket_update_fields(
        actor=personas.staff, ticket=ticket, fields={text_field.key: "Laboratorium Jaringan"}
    )
    assert found(personas.staff, "laboratorium jaring") == [ticket.reference]

    wifi = desk["wifi"]
    later = services.ticket_requester_message(
        ticket=wifi, body="Proyektor ruang rapat juga rusak", door=wifi.door
    )
    split = services.ticket_split(
        actor=personas.staff, ticket=wifi, article_ids=[later.pk], subject="Proyektor rusak"
    )
    assert found(personas.staff, "proyektor ruang") == [split.reference]

    from pintu.records import schedule

    schedule._ticket_destroy(wifi, [])  # the purge's tombstone keeps nothing findable
    assert found(personas.staff, "tersambung") == []


@pytest.mark.django_db
def test_the_migration_fills_in_the_words_of_the_requests_there_are(desk, personas) -> None:
    Ticket.objects.update(search_text="")
    assert found(personas.staff, "tersambung") == []
    migration = importlib.import_module("pintu.desk.migrations.0007_ticket_search")
    migration.fill(apps, connection.schema_editor())
    assert found(personas.staff, "tersambung") == [desk["wifi"].reference]
    assert found(personas.staff, "mahasiswa akun") == [desk["account"].reference]


# ---------------------------------------------------------------- the page and the API


@pytest.mark.django_db
def test_staff_search_every_unit_of_theirs_on_a_page(desk, personas) -> None:
    browser = Client(headers={"Accept-Language": "id"})
    browser.force_login(personas.staff)
    page = browser.get("/desk/search/", {"q": "lab"})
    assert page.status_code == 200
    html = page.content.decode()
    assert desk["wifi"].reference in html and desk["account"].reference not in html
    assert "1 permintaan ditemukan." in html
    assert browser.get("/desk/search/").status_code == 200  # the empty form
    requester = Client()
    requester.force_login(personas.requester)
    assert requester.get("/desk/search/", {"q": "lab"}).status_code == 403


@pytest.mark.django_db
def test_the_page_goes_on_from_where_it_stopped(sops, personas, monkeypatch) -> None:
    from pintu.desk.views import search as search_view

    monkeypatch.setattr(search_view, "PAGE", 2)
    opened = [open_ticket(personas).reference for _ in range(5)]
    browser = Client(headers={"Accept-Language": "id"})
    browser.force_login(personas.staff)
    seen: list[str] = []
    url = "/desk/search/?q=lab"
    while url:
        response = browser.get(url)
        rows = response.context["rows"]
        seen += [row.ticket.reference for row, _sla, _href in rows]
        url = "/desk/search/" + response.context["next_url"] if response.context["next_url"] else ""
    assert seen == sorted(opened, reverse=True)
    assert browser.get("/desk/search/", {"q": "lab", "after": "rusak"}).status_code == 200


@pytest.mark.django_db
def test_the_api_searches_with_q(desk, personas) -> None:
    response = client_for(personas.staff).get(f"{API}/tickets", {"q": "tersambung lab"})
    assert [t["reference"] for t in response.json()["items"]] == [desk["wifi"].reference]
    assert client_for(personas.staff).get(f"{API}/tickets", {"q": "x" * 201}).status_code == 422
