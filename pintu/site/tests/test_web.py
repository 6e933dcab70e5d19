"""Sign-in, lockout, health, language, and where people land."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import reverse

from pintu.conftest import PASSWORD, Personas
from pintu.org import services

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_json(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_passwords_are_hashed_with_argon2(settings) -> None:
    from pintu import settings as pintu_settings

    settings.PASSWORD_HASHERS = pintu_settings.PASSWORD_HASHERS
    user = services.user_create(actor=None, username="baru", password="Rahasia-Sekali-9")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("Rahasia-Sekali-9")


def test_sign_in_and_out(client: Client, personas: Personas) -> None:
    response = client.post(reverse("login"), {"username": "staf-si", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("sop-catalogue")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("sop-catalogue")).status_code == 302


def test_logout_by_get_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.staff)
    assert client.get(reverse("logout")).status_code == 405


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    client: Client, personas: Personas, settings
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "staf-si", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "staf-si", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("language", "wait"),
    [("id", "Tunggu 15 menit lalu coba lagi"), ("en", "Wait 15 minutes and try again")],
)
def test_the_lockout_page_says_how_long_to_wait_in_words(
    client: Client, personas: Personas, settings, language: str, wait: str
) -> None:
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "staf-si", "password": "wrong"})
    assert response.status_code == 429
    body = response.content.decode()
    assert wait in body
    assert "PT15M" not in body


def test_login_form_is_protected_by_csrf(personas: Personas) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "staf-si", "password": PASSWORD})
    assert response.status_code == 403


def test_indonesian_is_the_default_language(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert "Masuk ke Pintu" in response.content.decode()


def test_english_can_be_chosen(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    body = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in body
    assert "Sign in to Pintu" in body


@pytest.mark.parametrize(
    ("persona", "landing"),
    [("requester", "portal-home"), ("staff", "desk-queue"), ("auditor", "desk-queue")],
)
def test_home_sends_staff_to_their_queue_and_others_to_the_services(
    client: Client, personas: Personas, persona: str, landing: str
) -> None:
    client.force_login(getattr(personas, persona))
    assert client.get("/")["Location"] == reverse(landing)
