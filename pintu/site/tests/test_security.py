"""The headers every answer carries, the session's idle timeout and the rate limits on
the doors anyone can knock on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import PASSWORD, Personas
from pintu.core.sessions import RENEW_AFTER, RENEWED
from pintu.desk.models import Ticket
from pintu.desk.tests.test_portal import LIGHT_WORK, request_data
from pintu.doors.models import WebhookDelivery
from pintu.doors.tests.whatsapp_samples import APP_SECRET, message, sign, webhook

pytestmark = pytest.mark.django_db


def policy_of(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


@pytest.mark.parametrize("path", ["/login/", "/healthz", "/api/v1/openapi.json", "/layanan/"])
def test_every_answer_forbids_inline_scripts_and_framing(client: Client, path: str) -> None:
    response = client.get(path)
    policy = policy_of(response)
    assert policy["script-src"] == "'self'" and "unsafe" not in policy["default-src"]
    assert "unsafe-inline" not in policy["style-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_page_template_has_an_inline_script_or_handler() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    inline = re.compile(r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>|\son[a-z]+=\"")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if inline.search(path.read_text()) and path.name != "print.html"  # print: a PDF
    ]
    assert found == []


def test_hsts_is_sent_over_tls(client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert "Strict-Transport-Security" not in client.get("/login/")
    secure = client.get("/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_session_ends_after_the_idle_time_and_each_request_starts_it_again(
    client: Client, personas: Personas, settings: Any
) -> None:
    assert settings.SESSION_COOKIE_AGE == settings.PINTU_SESSION_IDLE_MINUTES * 60
    client.post("/login/", {"username": "mahasiswa", "password": PASSWORD})
    session = Session.objects.get()
    idle = timezone.now() + timedelta(minutes=settings.PINTU_SESSION_IDLE_MINUTES - 1)
    assert session.expire_date > idle  # signing in starts the time
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    # A page within the minute after the last renewal does not write the session ...
    assert client.get(reverse("portal-my-requests")).status_code == 200
    assert Session.objects.get(pk=session.pk).expire_date < idle
    # ... a page after it does.
    data = session.get_decoded()
    data[RENEWED] -= RENEW_AFTER
    Session.objects.filter(pk=session.pk).update(session_data=SessionStore().encode(data))
    assert client.get(reverse("portal-my-requests")).status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + timedelta(minutes=settings.PINTU_SESSION_IDLE_MINUTES - 1)
    # Idle past it: signed out.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("portal-my-requests"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_sign_in_attempts_from_one_address_are_limited(
    client: Client, personas: Personas, settings: Any
) -> None:
    settings.PINTU_RATE_LIMITS = {**settings.PINTU_RATE_LIMITS, "login": (3, 300)}
    # Three accounts, one wrong password each: no lockout, but one address.
    for username in ("staf-si", "mahasiswa", "kepala-si"):
        assert client.post("/login/", {"username": username, "password": "x"}).status_code == 200
    refused = client.post("/login/", {"username": "admin", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/login/", {"username": "admin", "password": PASSWORD}).status_code == 302


def test_the_portals_submit_is_limited(sops: None, personas: Personas, settings: Any) -> None:
    settings.PINTU_RATE_LIMITS = {**settings.PINTU_RATE_LIMITS, "portal-request": (2, 3600)}
    client = Client()
    client.force_login(personas.requester)
    statuses = [client.post(LIGHT_WORK, request_data()).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Ticket.objects.count() == 2


def test_the_webhook_is_limited(client: Client, settings: Any) -> None:
    settings.PINTU_WHATSAPP_APP_SECRET = APP_SECRET
    settings.PINTU_RATE_LIMITS = {**settings.PINTU_RATE_LIMITS, "whatsapp-webhook": (2, 60)}
    statuses = []
    for number in range(3):
        body = webhook(message(f"wamid.R{number}", "6281234567890", text="Halo"))
        statuses.append(
            client.post(
                "/webhooks/whatsapp",
                data=body,
                content_type="application/json",
                headers={"X-Hub-Signature-256": sign(body, APP_SECRET)},
            ).status_code
        )
    assert statuses == [200, 200, 429]
    assert WebhookDelivery.objects.count() == 2
