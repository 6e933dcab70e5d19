"""One function decides the way back to the requester; replies, acknowledgements and
rating requests all leave by it, and the reply box says it in the door's words."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from pintu.conftest import Personas, fields_for, service
from pintu.desk import services
from pintu.desk.channels import Mode, channel_words, reply_channel
from pintu.desk.models import Door, Status, Ticket
from pintu.desk.services import ContactDetails, Opening
from pintu.outbox.models import OutboxItem

pytestmark = pytest.mark.django_db
NUMBER = "6281299990000"


def request(personas: Personas, *, door: str, requester: Any, at: datetime | None = None) -> Ticket:
    svc = service("PR.33.8", "layanan-ringan")
    return services.ticket_create(
        actor=personas.staff if door in (Door.WALK_IN, Door.PHONE) else None,
        service_type=svc,
        requester=requester,
        opening=Opening(subject="Printer", body="Printer macet"),
        fields=fields_for(svc),
        door=door,
        now=at,
    ).ticket


@pytest.mark.parametrize(
    ("door", "who", "mode", "via", "to"),
    [
        (Door.WEB, "person", Mode.EMAIL, Door.EMAIL, "mahasiswa@pintu.test"),
        (Door.EMAIL, "email", Mode.EMAIL, Door.EMAIL, "tamu@example.ac.id"),
        (Door.EMAIL, "name only", Mode.NONE, "", ""),
        (Door.WHATSAPP, "phone", Mode.WHATSAPP_TEXT, Door.WHATSAPP, NUMBER),
        (Door.WALK_IN, "person", Mode.EMAIL, Door.EMAIL, "mahasiswa@pintu.test"),
        (Door.PHONE, "phone", Mode.WHATSAPP_TEMPLATE, Door.WHATSAPP, NUMBER),
        (Door.WALK_IN, "person without address", Mode.PORTAL, "", ""),
        (Door.PHONE, "name only", Mode.NONE, "", ""),
    ],
)
def test_the_channel_back_follows_the_door_and_what_is_known(
    sops: None, personas: Personas, door: str, who: str, mode: Mode, via: str, to: str
) -> None:
    if who == "person without address":
        personas.requester.email = ""
        personas.requester.save(update_fields=["email"])
    requester = {
        "person": personas.requester,
        "person without address": personas.requester,
        "email": ContactDetails(name="Tamu", email="tamu@example.ac.id"),
        "phone": ContactDetails(name="Tamu", phone=NUMBER),
        "name only": ContactDetails(name="Tamu"),
    }[who]
    ticket = request(personas, door=door, requester=requester)
    channel = reply_channel(ticket, timezone.now())
    assert (channel.mode, channel.door, channel.recipient) == (mode, via, to)
    assert channel.sends == bool(via)


def test_a_whatsapp_reply_after_24_hours_goes_as_the_template(sops, personas) -> None:
    arrived = timezone.now() - timedelta(hours=30)
    ticket = request(
        personas, door=Door.WHATSAPP, requester=ContactDetails(phone=NUMBER), at=arrived
    )
    assert reply_channel(ticket, timezone.now()).mode == Mode.WHATSAPP_TEMPLATE
    assert reply_channel(ticket, arrived + timedelta(hours=2)).mode == Mode.WHATSAPP_TEXT


def test_replies_acknowledgements_and_rating_requests_leave_by_the_same_channel(
    sops: None, personas: Personas
) -> None:
    ticket = request(personas, door=Door.WHATSAPP, requester=ContactDetails(phone=NUMBER))
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Sudah kami cek.")
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    sent = OutboxItem.objects.order_by("id")
    assert [m.purpose for m in sent] == ["ack", "reply", "notification"]
    assert {(m.transport, m.recipient) for m in sent} == {(Door.WHATSAPP, NUMBER)}


def test_a_walk_in_without_an_account_gets_nothing_sent(sops, personas) -> None:
    ticket = request(personas, door=Door.WALK_IN, requester=ContactDetails(name="Tamu"))
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Sudah kami cek.")
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    assert not OutboxItem.objects.exists()


def test_a_walk_in_with_a_known_address_is_answered_by_e_mail_but_not_acknowledged(
    sops: None, personas: Personas
) -> None:
    """Answered face to face at the counter, so no acknowledgement; the written reply
    and the rating request follow by e-mail as well as in the portal."""
    ticket = request(personas, door=Door.WALK_IN, requester=personas.requester)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Sudah kami pasang.")
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    sent = OutboxItem.objects.order_by("id")
    assert [(m.purpose, m.transport, m.recipient) for m in sent] == [
        ("reply", Door.EMAIL, "mahasiswa@pintu.test"),
        ("notification", Door.EMAIL, "mahasiswa@pintu.test"),
    ]


@pytest.mark.parametrize(
    ("door", "who", "words"),
    [
        (Door.WEB, "person", "Tampil di portal dan dikirim lewat e-mail ke mahasiswa@"),
        (Door.EMAIL, "email", "Dikirim lewat e-mail ke tamu@example.ac.id"),
        (Door.WHATSAPP, "phone", "+6281299990000 sebagai pesan teks bebas"),
        (Door.WALK_IN, "person", "Tampil di portal dan dikirim lewat e-mail ke mahasiswa@"),
        (Door.WALK_IN, "name only", "Tidak dikirim"),
        (Door.PHONE, "name only", "Tidak dikirim"),
    ],
)
def test_the_reply_box_words_come_from_the_door(
    sops: None, personas: Personas, door: str, who: str, words: str
) -> None:
    requester = {
        "person": personas.requester,
        "email": ContactDetails(name="Tamu", email="tamu@example.ac.id"),
        "phone": ContactDetails(name="Tamu", phone=NUMBER),
        "name only": ContactDetails(name="Tamu"),
    }[who]
    ticket = request(personas, door=door, requester=requester)
    assert words in channel_words(reply_channel(ticket, timezone.now()))
