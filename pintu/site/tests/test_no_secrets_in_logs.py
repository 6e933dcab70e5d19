"""No secret, token or credential is ever written to the logs: a run through the doors
that handle them (sign-in with a wrong and a right password, API calls with a good and a
revoked token, a signed and a forged webhook, a failed outbound WhatsApp call with its
bearer token) is logged at DEBUG, and the log is searched for each secret."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pintu.conftest import PASSWORD, Personas
from pintu.core.tokens import api_token_create, api_token_revoke
from pintu.doors.tests.whatsapp_samples import APP_SECRET, message, post, webhook
from pintu.doors.whatsapp.ingest import ingest
from pintu.outbox import delivery

pytestmark = pytest.mark.django_db

GRAPH_TOKEN = "EAAG-geheim-graph-token-4242"


def test_a_run_through_every_door_with_secrets_logs_none_of_them(
    caplog: pytest.LogCaptureFixture, settings: Any, sops: None, personas: Personas
) -> None:
    caplog.set_level("DEBUG")
    settings.PINTU_WHATSAPP_APP_SECRET = APP_SECRET
    settings.PINTU_WHATSAPP_TOKEN = GRAPH_TOKEN
    settings.PINTU_WHATSAPP_GRAPH_URL = "http://127.0.0.1:9"  # refused: the send fails
    client = Client()
    client.post("/login/", {"username": "staf-si", "password": "salah-" + PASSWORD})
    client.post("/login/", {"username": "staf-si", "password": PASSWORD})
    token_row, token = api_token_create(actor=None, user=personas.staff)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/tickets").status_code == 200
    api_token_revoke(actor=None, token=token_row)
    assert api.get("/api/v1/tickets").status_code == 401
    body = webhook(message("wamid.L1", "6281234567890", text="Halo"))
    assert post(client, body).status_code == 200
    assert post(client, body, secret="forged-secret").status_code == 403
    ingest()  # opens a request, whose acknowledgement goes out by WhatsApp ...
    assert delivery.deliver_due(timezone.now() + timedelta(minutes=1)) >= 1  # ... and fails
    assert "whatsapp" in caplog.text.lower()
    logged = caplog.text
    assert logged  # the run did log
    for secret in (PASSWORD, token, APP_SECRET, GRAPH_TOKEN, token[-20:]):
        assert secret not in logged, f"a secret reached the log: {secret[:6]}…"
