"""The reply box says how a WhatsApp reply will leave before staff send it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, fields_for, service
from pintu.desk import services
from pintu.desk.models import Door


def whatsapp_ticket(hours_ago: int) -> str:
    svc = service("PR.33.8", "layanan-ringan")
    ticket = services.ticket_create(
        actor=None,
        service_type=svc,
        requester=services.contact_for(name="Tamu", phone="6281299990000"),
        opening=services.Opening(subject="Printer", body="Printer macet"),
        fields=fields_for(svc),
        door=Door.WHATSAPP,
        now=timezone.now() - timedelta(hours=hours_ago),
        acknowledge_receipt=False,
    ).ticket
    return ticket.reference


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours_ago", "words"),
    [(2, "sebagai pesan teks bebas"), (30, "sebagai templat yang disetujui")],
)
def test_the_reply_box_tells_free_text_inside_24_hours_else_the_template(
    client: Client, sops: None, personas: Personas, hours_ago: int, words: str
) -> None:
    reference = whatsapp_ticket(hours_ago)
    client.force_login(personas.staff)
    page = client.get(reverse("desk-ticket", args=[reference])).content.decode()
    assert words in page
    assert "+6281299990000" in page
