"""The error pages as a person meets them (DEBUG off): the site's layout, their
language, what to do next and the way home; JSON under /api/."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from pintu.conftest import PASSWORD, Personas
from pintu.org import access
from pintu.site.tests.tickets import open_ticket

pytestmark = pytest.mark.django_db

HEADINGS = {
    404: {"id": "Halaman tidak ditemukan", "en": "Page not found"},
    403: {"id": "Anda tidak dapat membuka halaman ini", "en": "You may not open this page"},
    500: {"id": "Terjadi kesalahan di pihak kami", "en": "Something went wrong on our side"},
}
HOME_LINK = '<a class="button" href="/">'


@pytest.fixture(autouse=True)
def production(settings: Any) -> None:
    settings.DEBUG = False


def client_in(language: str, user: Any = None) -> Client:
    # Errors become responses, as they do for a browser, instead of failing the test.
    client = Client(raise_request_exception=False)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def assert_error_page(response: Any, status: int, language: str) -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert f'lang="{language}"' in body
    assert 'class="topbar"' in body  # the site's layout
    assert f'<h1 id="error-title">{HEADINGS[status][language]}</h1>' in body
    assert HOME_LINK in body
    return body


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_missing_page_says_so_in_the_layout_with_a_way_home(
    personas: Personas, language: str
) -> None:
    body = assert_error_page(
        client_in(language, personas.requester).get("/tidak-ada/"), 404, language
    )
    assert reverse("portal-my-requests") in body
    assert "Not Found" not in body


def test_an_anonymous_visitor_is_offered_to_sign_in_on_a_missing_page() -> None:
    body = assert_error_page(client_in("id").get("/tidak-ada/"), 404, "id")
    assert f'href="{reverse("login")}"' in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_refused_page_names_the_account_and_what_to_ask_for(
    personas: Personas, language: str
) -> None:
    response = client_in(language, personas.requester).get(reverse("audit-log"))
    body = assert_error_page(response, 403, language)
    signed_in = {"id": "Anda masuk sebagai Mahasiswa", "en": "You are signed in as Mahasiswa"}
    assert signed_in[language] in body
    assert "403 Forbidden" not in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_crash_shows_the_500_page_even_when_the_context_processors_fail(
    personas: Personas, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(user: Any) -> bool:
        raise RuntimeError("a context processor fails")

    monkeypatch.setattr(access, "can_read_audit_log", broken)
    body = assert_error_page(
        client_in(language, personas.staff).get(reverse("unit-list")), 500, language
    )
    # Rendered without the request: no person, and no language form without a CSRF token.
    assert "Staf-Si" not in body
    assert 'name="language"' not in body


def test_a_crash_shows_the_500_page_when_the_database_is_down(personas: Personas) -> None:
    client = client_in("en", personas.staff)

    def database_down(*args: Any) -> Any:
        raise OperationalError("the database is down")

    with connection.execute_wrapper(database_down):
        response = client.get(reverse("unit-list"))
    assert_error_page(response, 500, "en")


def test_the_form_expired_page_is_in_the_layout(personas: Personas) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "staf-si", "password": PASSWORD})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'class="topbar"' in body and HOME_LINK in body
    assert "Formulir ini sudah kedaluwarsa" in body


def test_another_units_request_is_a_404_like_one_that_does_not_exist(
    sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas, "PR.13.2", "publikasi-pengumuman", "Pengumuman wisuda")
    assert ticket.unit.code == "P4M"
    missing = ticket.reference[:-5] + "99999"
    client = client_in("id", personas.staff)

    def page_for(reference: str) -> str:
        response = client.get(reverse("desk-ticket", args=[reference]))
        assert response.status_code == 404
        body = response.content.decode().replace(reference, "REFERENCE")
        # The only other difference allowed: the CSRF token, masked anew on every page.
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    assert page_for(ticket.reference) == page_for(missing)
    assert HEADINGS[404]["id"] in page_for(missing)


def test_the_api_keeps_its_json_errors(personas: Personas) -> None:
    client = client_in("id", personas.staff)
    unknown = client.get("/api/v1/tidak-ada")
    assert unknown.status_code == 404
    assert json.loads(unknown.content) == {"detail": "Not Found"}
    missing = client.get("/api/v1/tickets/SI-26-99999")
    assert missing.status_code == 404
    assert json.loads(missing.content) == {"detail": "Not Found"}

    def database_down(*args: Any) -> Any:
        raise OperationalError("the database is down")

    with connection.execute_wrapper(database_down):
        crashed = client.get("/api/v1/tickets")
    assert crashed.status_code == 500
    assert json.loads(crashed.content) == {"detail": "Internal Server Error"}
