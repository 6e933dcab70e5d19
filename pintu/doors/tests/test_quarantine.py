"""The quarantine page: admins see what could not be processed, download it, retry it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as conf
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas
from pintu.core.models import AuditEvent
from pintu.desk.models import Ticket
from pintu.doors.email.ingest import dedupe_key, ingest_email
from pintu.doors.models import InboundMessage
from pintu.doors.tests.test_email_parse import mail
from pintu.org.models import Unit

pytestmark = pytest.mark.django_db

LOST = mail(
    "From: dosen@example.ac.id",
    "To: nobody@example.org",
    "Subject: Proyektor rusak",
    "Message-ID: <lost-1@example.ac.id>",
)
GARBAGE = b"\x00\x01\x02 these bytes are no mail"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def quarantined(raw: bytes) -> InboundMessage:
    assert ingest_email(raw).outcome == "quarantined"
    return InboundMessage.objects.get(dedupe_key=dedupe_key(raw))


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    client.cookies[conf.LANGUAGE_COOKIE_NAME] = "en"  # the tests read the English text
    return client


def test_admins_see_each_quarantined_mail_with_its_error(
    client: Client, personas: Personas, sops: None, django_assert_max_num_queries: Any
) -> None:
    lost, garbage = quarantined(LOST), quarantined(GARBAGE)
    signed_in(client, personas.admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("doors-quarantine"))
    assert page.status_code == 200
    html = page.content.decode()
    for message in (lost, garbage):
        assert reverse("doors-inbound-raw", args=[message.pk]) in html
        assert reverse("doors-inbound-retry", args=[message.pk]) in html
        assert message.received_at.astimezone().strftime("%Y") in html
    assert "no unit owns the address" in html and "not an e-mail message" in html
    assert "nobody@example.org" in html  # the error says which address no unit owns
    # Only a mail that found no unit offers the choice of unit.
    assert html.count('name="unit"') == 1


def test_the_query_count_does_not_grow_with_the_list(
    client: Client, personas: Personas, sops: None, django_assert_max_num_queries: Any
) -> None:
    for number in range(8):
        quarantined(LOST.replace(b"lost-1@", f"lost-{number + 2}@".encode()))
    signed_in(client, personas.admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("doors-quarantine")).status_code == 200


@pytest.mark.parametrize("who", ["staff", "supervisor", "auditor", "requester"])
def test_only_admins_may_see_the_quarantine(client: Client, personas: Personas, who: str) -> None:
    signed_in(client, getattr(personas, who))
    assert client.get(reverse("doors-quarantine")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("doors-quarantine"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_original_downloads_byte_for_byte(client: Client, personas: Personas) -> None:
    message = quarantined(GARBAGE)
    signed_in(client, personas.admin)
    response = client.get(reverse("doors-inbound-raw", args=[message.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="inbound-{message.pk}.eml"'
    assert response.content == GARBAGE


def test_staff_of_the_unit_may_download_the_original_of_their_request(
    client: Client, personas: Personas, sops: None
) -> None:
    result = ingest_email(LOST, unit=Unit.objects.get(code="UPT-SI"))
    message = InboundMessage.objects.get(dedupe_key=dedupe_key(LOST))
    assert message.ticket.reference == result.ticket
    url = reverse("doors-inbound-raw", args=[message.pk])
    assert signed_in(client, personas.staff).get(url).content == LOST
    assert signed_in(Client(), personas.other_staff).get(url).status_code == 404
    assert signed_in(Client(), personas.requester).get(url).status_code == 404
    # A quarantined one belongs to no request yet: admins only.
    garbage = quarantined(GARBAGE)
    url = reverse("doors-inbound-raw", args=[garbage.pk])
    assert signed_in(client, personas.staff).get(url).status_code == 404


def test_retry_after_naming_the_unit_opens_the_request(
    client: Client, personas: Personas, sops: None
) -> None:
    message = quarantined(LOST)
    signed_in(client, personas.admin)
    url = reverse("doors-inbound-retry", args=[message.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"unit": "UPT-SI"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("doors-quarantine")
    ticket = Ticket.objects.get()
    assert ticket.reference in response.content.decode()
    message.refresh_from_db()
    assert (message.outcome, message.ticket) == ("created", ticket)
    event = AuditEvent.objects.get(action="inbound.retry")
    assert (event.actor, event.after["unit"]) == (personas.admin, "UPT-SI")
    # Once processed it is no longer in quarantine, and cannot be retried again.
    assert ticket.reference not in client.get(reverse("doors-quarantine")).content.decode()
    again = client.post(url, follow=True)
    assert "Only a quarantined message can be retried." in again.content.decode()


def test_a_retry_that_fails_again_says_so(client: Client, personas: Personas) -> None:
    message = quarantined(GARBAGE)
    signed_in(client, personas.admin)
    response = client.post(reverse("doors-inbound-retry", args=[message.pk]), follow=True)
    assert "still quarantined (unparseable)" in response.content.decode()
    message.refresh_from_db()
    assert message.attempts == 2
    unknown = client.post(
        reverse("doors-inbound-retry", args=[message.pk]), {"unit": "NOPE"}, follow=True
    )
    assert "Unknown unit NOPE." in unknown.content.decode()


def test_only_admins_may_retry(client: Client, personas: Personas) -> None:
    message = quarantined(GARBAGE)
    signed_in(client, personas.staff)
    assert client.post(reverse("doors-inbound-retry", args=[message.pk])).status_code == 403
    message.refresh_from_db()
    assert message.attempts == 1
