"""E-mail out, end to end: the outbox delivers to a real SMTP receiver on loopback."""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pintu.conftest import Personas, fields_for, service
from pintu.desk import services
from pintu.desk.models import Door, Ticket
from pintu.doors.email import transport
from pintu.doors.email.transport import (
    check_smtp_url,
    html_from_text,
    parse_smtp_url,
    thread_ids,
)
from pintu.doors.models import Mailbox
from pintu.doors.tests.smtp_peer import SmtpPeer, closed_port, smtp_peer
from pintu.org.models import Unit
from pintu.outbox.delivery import deliver_due
from pintu.outbox.models import OutboxItem
from pintu.outbox.selectors import dead_letters
from pintu.outbox.services import message_queue

pytestmark = pytest.mark.django_db

REQUESTER_MESSAGE_ID = "<CAF=req.4711@mail.example.ac.id>"
CONTEXT = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@pytest.fixture
def receiver(settings) -> Iterator[SmtpPeer]:
    with smtp_peer() as peer:
        settings.PINTU_SMTP_URL = peer.url
        settings.PINTU_EMAIL_DOMAIN = "pintu.poltek.ac.id"
        yield peer


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def email_ticket(*, acknowledge: bool = True) -> Ticket:
    svc = service("PR.33.8", "layanan-ringan")
    contact = services.contact_for(name="Dosen Tamu", email="tamu@example.ac.id")
    return services.ticket_create(
        actor=None,
        service_type=svc,
        requester=contact,
        opening=services.Opening(
            subject="Proyektor R.101 mati",
            body="Proyektor di R.101 tidak menyala.",
            external_id=REQUESTER_MESSAGE_ID,
        ),
        door=Door.EMAIL,
        fields=fields_for(svc),
        acknowledge_receipt=acknowledge,
    ).ticket


def later(minutes: float = 0) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


def test_mail_over_plain_smtp_loads_no_certificates_and_tls_loads_them_once(
    sops, receiver: SmtpPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loading the system's certificate authorities costs about 50 ms of CPU: every
    # message paid it, over plain SMTP on loopback too (issue #15's three workers).
    loaded = []

    def create_default_context() -> ssl.SSLContext:
        loaded.append(1)
        return CONTEXT

    monkeypatch.setattr(ssl, "create_default_context", create_default_context)
    transport._tls_context.cache_clear()
    try:
        for n in range(3):
            with transaction.atomic():
                message_queue(
                    transport=Door.EMAIL,
                    purpose=OutboxItem.Purpose.NOTIFICATION,
                    recipient=f"staf{n}@example.ac.id",
                    subject="Pemberitahuan",
                    body_text="Ada permintaan baru.",
                )
        assert deliver_due(later()) == 3
        assert len(receiver.messages) == 3 and loaded == []
        assert transport._tls_context() is transport._tls_context() is CONTEXT
        assert loaded == [1]
    finally:
        transport._tls_context.cache_clear()


def test_a_reply_arrives_from_the_unit_threaded_with_both_parts_and_the_attachment(
    sops, personas: Personas, receiver: SmtpPeer
) -> None:
    si = Unit.objects.get(code="UPT-SI")
    Mailbox.objects.create(
        unit=si, address="helpdesk-si@poltek.ac.id", host="127.0.0.1", username="helpdesk"
    )
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(
        actor=personas.staff,
        ticket=ticket,
        body="Teknisi kami menuju R.101.\nMohon tunggu <15 menit> & siapkan kabel.",
        uploads=[services.Upload("panduan.pdf", "application/pdf", b"%PDF-1.4 panduan")],
    )
    assert deliver_due(later()) == 1

    (received,) = receiver.messages
    mail = received.email
    assert received.mail_from == "helpdesk-si@poltek.ac.id"
    assert received.rcpt_tos == ["tamu@example.ac.id"]
    assert mail["From"].addresses[0].display_name == si.name
    assert mail["From"].addresses[0].addr_spec == "helpdesk-si@poltek.ac.id"
    assert mail["To"] == "tamu@example.ac.id"
    assert re.fullmatch(r"\[SI-\d\d-\d{5}\] Proyektor R\.101 mati", mail["Subject"])
    assert mail["Subject"].startswith(f"[{ticket.reference}]")
    assert mail["In-Reply-To"] == REQUESTER_MESSAGE_ID
    assert REQUESTER_MESSAGE_ID in mail["References"].split()
    assert "Auto-Submitted" not in mail

    message = OutboxItem.objects.get(purpose="reply")
    assert message.status == OutboxItem.Status.SENT and message.sent_at is not None
    assert mail["Message-ID"] == message.external_id
    assert re.fullmatch(
        rf"<{ticket.reference}\.{message.pk}\.[0-9a-f]{{12}}@pintu\.poltek\.ac\.id>",
        message.external_id,
    )

    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and "Mohon tunggu <15 menit> & siapkan kabel." in text.get_content()
    assert html is not None
    html_text = html.get_content().replace("\r\n", "\n")
    assert "R.101.<br>\nMohon tunggu &lt;15 menit&gt; &amp; siapkan" in html_text
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == "panduan.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == b"%PDF-1.4 panduan"


def test_a_second_reply_refers_to_the_whole_conversation(
    sops, personas: Personas, receiver: SmtpPeer
) -> None:
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
    deliver_due(later())
    services.ticket_requester_message(
        ticket=ticket,
        body="Sudah menyala, terima kasih.",
        door=Door.EMAIL,
        external_id="<second.4712@mail.example.ac.id>",
    )
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Baik, kami tutup.")
    deliver_due(later(1))

    first, second = (received.email for received in receiver.messages)
    assert second["In-Reply-To"] == "<second.4712@mail.example.ac.id>"
    assert second["References"].split() == [
        REQUESTER_MESSAGE_ID,
        first["Message-ID"],
        "<second.4712@mail.example.ac.id>",
    ]


def test_references_keep_the_last_twenty_and_always_the_mail_answered(
    sops, personas: Personas
) -> None:
    ticket = email_ticket(acknowledge=False)
    for number in range(25):
        services.ticket_requester_message(
            ticket=ticket,
            body=f"pesan {number}",
            door=Door.EMAIL,
            external_id=f"msg-{number}@mail.example.ac.id",  # stored without brackets
            now=later(number),
        )
    with transaction.atomic():
        message = message_queue(
            transport="email",
            purpose="reply",
            recipient="tamu@example.ac.id",
            body_text="x",
            cause=ticket,
        )
    in_reply_to, references = thread_ids(message)
    assert in_reply_to == "<msg-24@mail.example.ac.id>"
    assert len(references) == 20
    assert references[0] == "<msg-5@mail.example.ac.id>"
    assert references[-1] == in_reply_to


def test_an_acknowledgement_is_auto_replied_and_no_first_response(sops, receiver: SmtpPeer) -> None:
    ticket = email_ticket()
    assert deliver_due(later()) == 1
    (received,) = receiver.messages
    mail = received.email
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["In-Reply-To"] == REQUESTER_MESSAGE_ID
    assert ticket.reference in mail.get_body(("plain",)).get_content()
    ticket.refresh_from_db()
    assert ticket.first_response_at is None


def test_a_notification_is_auto_generated(sops, personas: Personas, receiver: SmtpPeer) -> None:
    ticket = email_ticket(acknowledge=False)
    with transaction.atomic():
        message_queue(
            transport="email",
            purpose="notification",
            recipient=personas.staff.email,
            subject="Tenggat mendekat",
            body_text="Segera tanggapi.",
            cause=ticket,
        )
    deliver_due(later())
    mail = receiver.messages[0].email
    assert mail["Auto-Submitted"] == "auto-generated"
    # The reference goes into a subject that lacks it, so answers thread back.
    assert mail["Subject"] == f"[{ticket.reference}] Tenggat mendekat"


def test_the_sender_falls_back_to_the_unit_address_then_to_pintu(
    sops, personas: Personas, receiver: SmtpPeer
) -> None:
    si = Unit.objects.get(code="UPT-SI")
    si.email = "upt-si@poltek.ac.id"
    si.save(update_fields=["email"])
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Satu.")
    deliver_due(later())
    si.email = ""
    si.save(update_fields=["email"])
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Dua.")
    with transaction.atomic():
        message_queue(
            transport="email",
            purpose="notification",
            recipient="x@poltek.ac.id",
            subject="Tanpa tiket",
            body_text="...",
        )
    deliver_due(later(1))
    senders = [received.email["From"].addresses[0] for received in receiver.messages]
    assert [(a.display_name, a.addr_spec) for a in senders] == [
        (si.name, "upt-si@poltek.ac.id"),
        (si.name, "pintu@pintu.poltek.ac.id"),
        ("Pintu", "pintu@pintu.poltek.ac.id"),
    ]


def test_the_html_part_is_the_text_escaped_with_its_line_breaks() -> None:
    assert "a &lt;b&gt; &amp; c<br>\nd<br>\ne" in html_from_text("a <b> & c\nd\r\ne")


def test_a_temporary_refusal_is_retried_later_then_delivered(
    sops, personas: Personas, receiver: SmtpPeer, settings
) -> None:
    settings.PINTU_OUTBOX_BACKOFF_SECONDS = 60
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
    message = OutboxItem.objects.get()
    receiver.refuse_next("451 4.3.0 mailbox busy", "451 4.3.0 mailbox busy")

    now = later()
    deliver_due(now)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxItem.Status.FAILED, 1)
    assert "451" in message.last_error
    first_wait = message.next_attempt_at - now
    assert timedelta(seconds=45) <= first_wait <= timedelta(seconds=75)
    message_id = message.external_id
    assert deliver_due(now + timedelta(seconds=30)) == 0  # not due yet

    now = message.next_attempt_at
    deliver_due(now)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxItem.Status.FAILED, 2)
    assert message.next_attempt_at - now > first_wait
    assert not receiver.messages

    deliver_due(message.next_attempt_at)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxItem.Status.SENT, 3)
    assert message.last_error == ""
    (received,) = receiver.messages
    # Every try carried the Message-ID reserved before the first.
    assert received.email["Message-ID"] == message_id == message.external_id


def test_no_such_user_is_a_dead_letter_at_once(
    sops, personas: Personas, receiver: SmtpPeer
) -> None:
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
    receiver.refuse_next("550 5.1.1 no such user")
    deliver_due(later())
    message = OutboxItem.objects.get()
    assert (message.status, message.attempts) == (OutboxItem.Status.DEAD, 1)
    assert "550" in message.last_error and "no such user" in message.last_error
    assert list(dead_letters(ticket)) == [message]
    assert deliver_due(later(24 * 60)) == 0


def test_a_server_that_is_down_is_retried_until_the_last_attempt(
    sops, personas: Personas, settings
) -> None:
    settings.PINTU_SMTP_URL = f"smtp://127.0.0.1:{closed_port()}?timeout=5"
    settings.PINTU_OUTBOX_MAX_ATTEMPTS = 3
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
    message = OutboxItem.objects.get()
    now = later()
    for attempt in (1, 2):
        deliver_due(now)
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxItem.Status.FAILED, attempt)
        assert "Connection refused" in message.last_error
        now = message.next_attempt_at
    deliver_due(now)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxItem.Status.DEAD, 3)
    assert list(dead_letters(ticket)) == [message]


def test_the_relay_login_is_used_and_a_wrong_password_waits_for_the_admin(
    sops, personas: Personas, settings
) -> None:
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
    message = OutboxItem.objects.get()
    with smtp_peer(login=("pintu@poltek.ac.id", "rahasia/123")) as peer:
        port = peer.port
        settings.PINTU_SMTP_URL = f"smtp://pintu%40poltek.ac.id:salah@127.0.0.1:{port}"
        deliver_due(later())
        message.refresh_from_db()
        assert message.status == OutboxItem.Status.FAILED
        assert "535" in message.last_error
        settings.PINTU_SMTP_URL = f"smtp://pintu%40poltek.ac.id:rahasia%2F123@127.0.0.1:{port}"
        deliver_due(message.next_attempt_at)
        message.refresh_from_db()
        assert message.status == OutboxItem.Status.SENT
        assert len(peer.messages) == 1


def test_starttls_asked_of_a_server_without_it_fails_softly(
    sops, personas: Personas, receiver: SmtpPeer, settings
) -> None:
    settings.PINTU_SMTP_URL = f"{receiver.url}?starttls=1"
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
    deliver_due(later())
    message = OutboxItem.objects.get()
    assert message.status == OutboxItem.Status.FAILED
    assert "STARTTLS" in message.last_error
    assert not receiver.messages


@pytest.mark.parametrize(
    ("url", "host", "port", "security", "username", "password"),
    [
        ("smtp://mail.poltek.ac.id", "mail.poltek.ac.id", 25, "none", "", ""),
        ("smtp://relay:2525?starttls=1", "relay", 2525, "starttls", "", ""),
        ("smtps://u%40x.id:p%3Aw@smtp.gmail.com", "smtp.gmail.com", 465, "tls", "u@x.id", "p:w"),
        ("smtp://127.0.0.1:587?starttls=1&timeout=5", "127.0.0.1", 587, "starttls", "", ""),
    ],
)
def test_smtp_urls_are_read(url, host, port, security, username, password) -> None:
    server = parse_smtp_url(url)
    assert (server.host, server.port, server.security) == (host, port, security)
    assert (server.username, server.password) == (username, password)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://mail.poltek.ac.id", "scheme must be smtp:// or smtps://"),
        ("smtp://", "host name is missing"),
        ("smtp://mail:port", "Port could not be cast"),
        ("smtp://mail?tls=1", "unknown option(s) tls"),
        ("smtp://mail?starttls=yes", "starttls must be 0 or 1"),
        ("smtps://mail?starttls=1", "smtps:// is TLS already"),
        ("smtp://mail?timeout=0", "more than 0 seconds"),
    ],
)
def test_a_wrong_smtp_url_says_what_is_wrong(url, why) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(why)):
        parse_smtp_url(url)


def test_the_password_never_shows_in_the_error_or_the_check(settings) -> None:
    settings.PINTU_SMTP_URL = "smtps://pintu:geheim@mail?starttls=1"
    (error,) = check_smtp_url()
    assert error.id == "pintu.E101"
    assert "geheim" not in error.msg and "PINTU_SMTP_URL" in error.msg
    settings.PINTU_SMTP_URL = "smtp://127.0.0.1:25"
    assert check_smtp_url() == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_reply_enqueues_its_delivery_and_the_worker_sends_it(
    sops, personas: Personas, receiver: SmtpPeer
) -> None:
    ticket = email_ticket(acknowledge=False)
    assert not DBTaskResult.objects.exists()
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek sekarang.")
    message = OutboxItem.objects.get()
    task = DBTaskResult.objects.get(task_path="pintu.outbox.tasks.deliver_now")
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}
    assert not receiver.messages  # nothing leaves inside the request

    call_command("worker", "--batch")
    (received,) = receiver.messages
    assert received.email["Subject"].startswith(f"[{ticket.reference}]")
    message.refresh_from_db()
    assert message.status == OutboxItem.Status.SENT
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_reply_enqueues_nothing(sops, personas: Personas) -> None:
    ticket = email_ticket(acknowledge=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
        raise RuntimeError("the request failed after the reply")
    assert not OutboxItem.objects.exists()
    assert not DBTaskResult.objects.exists()
