"""The webhook endpoint: Meta's subscription handshake, and signed bodies stored before
anything reads them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pintu.doors.models import InboundMessage, WebhookDelivery
from pintu.doors.tests.whatsapp_samples import (
    APP_SECRET,
    VERIFY_TOKEN,
    message,
    post,
    webhook,
)
from pintu.doors.whatsapp.signature import HEADER, sign

URL = "/webhooks/whatsapp"


@pytest.fixture(autouse=True)
def whatsapp_settings(settings: Any) -> None:
    settings.PINTU_WHATSAPP_APP_SECRET = APP_SECRET
    settings.PINTU_WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN


def handshake(client: Client, **params: str) -> Any:
    return client.get(URL, {f"hub.{key}": value for key, value in params.items()})


def test_handshake_echoes_the_challenge_for_our_token(client: Client) -> None:
    response = handshake(
        client, mode="subscribe", verify_token=VERIFY_TOKEN, challenge="1158201444"
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"mode": "subscribe", "verify_token": "salah", "challenge": "1"},
        {"mode": "unsubscribe", "verify_token": VERIFY_TOKEN, "challenge": "1"},
        {"verify_token": VERIFY_TOKEN, "challenge": "1"},
        {"mode": "subscribe", "challenge": "1"},
        {},
    ],
)
def test_handshake_refuses_a_wrong_token_or_mode(client: Client, params: dict[str, str]) -> None:
    response = handshake(client, **params)
    assert response.status_code == 403
    assert b"1" not in response.content


def test_handshake_is_refused_while_no_token_is_configured(client: Client, settings: Any) -> None:
    settings.PINTU_WHATSAPP_VERIFY_TOKEN = ""
    assert handshake(client, mode="subscribe", verify_token="", challenge="1").status_code == 403


@pytest.mark.django_db
def test_a_post_without_signature_is_401_and_nothing_is_stored(client: Client) -> None:
    body = webhook(message("wamid.A", "6281234567890", text="Halo"))
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "sha256=" + "0" * 64,
        sign(b"another body", APP_SECRET),
        sign(webhook(message("wamid.A", "6281234567890", text="Halo")), "another-secret"),
        "md5=abc",
    ],
)
def test_a_post_with_a_wrong_signature_is_403_and_nothing_is_stored(
    client: Client, header: str
) -> None:
    body = webhook(message("wamid.A", "6281234567890", text="Halo"))
    response = client.post(
        URL, data=body, content_type="application/json", headers={HEADER: header}
    )
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_no_post_is_accepted_while_no_app_secret_is_configured(
    client: Client, settings: Any
) -> None:
    settings.PINTU_WHATSAPP_APP_SECRET = ""
    body = webhook(message("wamid.A", "6281234567890", text="Halo"))
    response = client.post(
        URL, data=body, content_type="application/json", headers={HEADER: sign(body, "")}
    )
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_a_signed_post_is_stored_raw_and_answered_before_it_is_read(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    # Not even JSON: the request only checks the signature; the worker reads the body.
    body = b'{"object": "whatsapp_business_account", "entry": [ \xff'
    with django_capture_on_commit_callbacks() as callbacks:
        response = post(client, body)
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert bytes(delivery.body) == body
    assert delivery.processed_at is None
    assert not InboundMessage.objects.exists()
    assert len(callbacks) == 1  # processing is enqueued once the body has committed


@pytest.mark.django_db
def test_the_signature_covers_the_exact_bytes_not_the_json(client: Client) -> None:
    body = webhook(message("wamid.A", "6281234567890", text="Halo"))
    reformatted = body.replace(b'", "', b'","')
    assert reformatted != body
    response = client.post(
        URL,
        data=reformatted,
        content_type="application/json",
        headers={HEADER: sign(body, APP_SECRET)},
    )
    assert response.status_code == 403


def test_other_methods_are_not_allowed(client: Client) -> None:
    assert client.put(URL).status_code == 405
