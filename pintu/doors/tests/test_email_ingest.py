"""Mail in, through the real services: kept first, threaded, classified, never lost."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pintu.conftest import Personas, service
from pintu.core.models import AuditEvent
from pintu.desk import services as desk_services
from pintu.desk.models import Article, Attachment, Contact, Door, Status, Ticket
from pintu.doors.email import ingest as ingest_module
from pintu.doors.email.ingest import IngestResult, dedupe_key, inbound_retry, ingest_email
from pintu.doors.models import InboundMessage, Mailbox
from pintu.doors.tests.test_email_parse import mail
from pintu.org.models import Unit
from pintu.outbox.models import OutboxItem

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=WIB)
HELPDESK = "helpdesk-si@pintu.test"


@pytest.fixture(autouse=True)
def mail_settings(settings: Any, tmp_path: Path) -> None:
    settings.PINTU_EMAIL_DOMAIN = "pintu.test"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mailbox(sops: None) -> Mailbox:
    return Mailbox.objects.create(
        unit=Unit.objects.get(code="UPT-SI"),
        address=HELPDESK,
        service_type=service("PR.33.8", "layanan-ringan"),
        host="127.0.0.1",
        username="helpdesk-si",
    )


def request_mail(
    *extra: str, message_id: str = "m1@example.ac.id", body: str = "Wi-Fi lab 3 mati."
) -> bytes:
    return mail(
        "From: Budi Siregar <budi@example.ac.id>",
        f"To: {HELPDESK}",
        "Subject: Wi-Fi lab mati",
        f"Message-ID: <{message_id}>",
        *extra,
        body=body,
    )


def inbound(raw: bytes) -> InboundMessage:
    return InboundMessage.objects.get(dedupe_key=dedupe_key(raw))


def test_a_new_mail_opens_a_request_acknowledged_with_its_reference(mailbox) -> None:
    raw = request_mail()
    result = ingest_email(raw, mailbox=mailbox, now=NOW)
    assert result == IngestResult("created", "SI-26-00001", None)
    ticket = Ticket.objects.get(reference="SI-26-00001")
    assert (ticket.door, ticket.subject, ticket.unit.code) == (
        Door.EMAIL,
        "Wi-Fi lab mati",
        "UPT-SI",
    )
    # The mailbox's service, although its required fields are empty: staff fill them in.
    assert ticket.service_type.key == "layanan-ringan" and ticket.fields == {}
    assert ticket.received_at == NOW
    assert (ticket.contact.name, ticket.contact.email) == ("Budi Siregar", "budi@example.ac.id")
    article = ticket.articles.get(kind=Article.Kind.INBOUND)
    assert (article.body, article.external_id) == ("Wi-Fi lab 3 mati.", "<m1@example.ac.id>")
    ack = OutboxItem.objects.get(ticket=ticket)
    assert (ack.purpose, ack.recipient) == ("ack", "budi@example.ac.id")
    assert "SI-26-00001" in ack.body_text
    message = inbound(raw)
    assert message.dedupe_key == "email:m1@example.ac.id"
    assert bytes(message.raw) == raw and message.mailbox == mailbox
    assert (message.outcome, message.ticket, message.article) == ("created", ticket, article)
    assert message.processed_at == NOW and message.attempts == 1


def reply_to(ticket: Ticket, purpose: str, message_id: str) -> None:
    """What the SMTP transport does when it sends: our Message-ID on the outbox row."""
    OutboxItem.objects.filter(ticket=ticket, purpose=purpose).update(
        external_id=f"<{message_id}>", status=OutboxItem.Status.SENT
    )


def test_a_reply_to_our_acknowledgement_continues_the_request(mailbox) -> None:
    ingest_email(request_mail(), mailbox=mailbox, now=NOW)
    ticket = Ticket.objects.get()
    reply_to(ticket, "ack", "ack-1@pintu.test")
    answer = mail(
        "From: budi@example.ac.id",
        f"To: {HELPDESK}",
        "Subject: Re: something else entirely",
        "Message-ID: <m2@example.ac.id>",
        "In-Reply-To: <ack-1@pintu.test>",
        body="Sudah saya coba restart.",
    )
    result = ingest_email(answer, mailbox=mailbox, now=NOW)
    assert result == IngestResult("appended", ticket.reference, None)
    bodies = list(ticket.articles.filter(kind=Article.Kind.INBOUND).values_list("body", flat=True))
    assert bodies == ["Wi-Fi lab 3 mati.", "Sudah saya coba restart."]
    assert inbound(answer).article == ticket.articles.get(external_id="<m2@example.ac.id>")
    # No second acknowledgement for a continuation.
    assert OutboxItem.objects.filter(purpose="ack").count() == 1


def test_a_reply_to_staff_found_only_in_references_continues_the_request(
    mailbox, personas: Personas
) -> None:
    ingest_email(request_mail(), mailbox=mailbox, now=NOW)
    ticket = Ticket.objects.get()
    desk_services.ticket_reply(actor=personas.staff, ticket=ticket, body="Sudah kami cek.", now=NOW)
    desk_services.ticket_set_status(
        actor=personas.staff, ticket=ticket, status=Status.WAITING_REQUESTER, now=NOW
    )
    reply_to(ticket, "reply", "reply-1@pintu.test")
    answer = mail(
        "From: budi@example.ac.id",
        "Subject: Re: Wi-Fi",
        "Message-ID: <m3@example.ac.id>",
        "References: <m1@example.ac.id> <reply-1@pintu.test> <unknown@elsewhere>",
        body="Masih mati.",
    )
    assert ingest_email(answer, mailbox=mailbox, now=NOW).outcome == "appended"
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN  # the requester answered: off the pause


def test_a_reply_all_by_a_colleague_threads_on_the_requesters_message_id(mailbox) -> None:
    ingest_email(request_mail(), mailbox=mailbox, now=NOW)
    ticket = Ticket.objects.get()
    colleague = mail(
        "From: Rina <rina@example.ac.id>",
        f"To: {HELPDESK}",
        "Subject: Re: Wi-Fi lab mati",
        "Message-ID: <m4@example.ac.id>",
        "In-Reply-To: <m1@example.ac.id>",
        body="Di lab 4 juga.",
    )
    assert ingest_email(colleague, mailbox=mailbox, now=NOW).ticket == ticket.reference
    assert ticket.articles.get(external_id="<m4@example.ac.id>").author_name == (
        "Rina <rina@example.ac.id>"
    )


@pytest.mark.parametrize("written", ["[SI-26-00001]", "[si-26-00001]", "[ SI-26-00001 ]"])
def test_the_reference_in_the_subject_continues_the_request(mailbox, written: str) -> None:
    ingest_email(request_mail(), mailbox=mailbox, now=NOW)
    again = mail(
        "From: budi@example.ac.id",
        f"To: {HELPDESK}",
        f"Subject: Re: {written} Wi-Fi lab mati",
        "Message-ID: <m5@example.ac.id>",
        body="Tambahan.",
    )
    assert ingest_email(again, mailbox=mailbox, now=NOW) == IngestResult(
        "appended", "SI-26-00001", None
    )


def test_an_unknown_reference_opens_a_new_request(mailbox) -> None:
    other = request_mail(message_id="m6@x").replace(b"Wi-Fi lab mati", b"[SI-26-09999] Printer")
    assert ingest_email(other, mailbox=mailbox, now=NOW).outcome == "created"


def test_a_reply_to_a_merged_request_goes_to_the_request_that_lives_on(
    mailbox, personas: Personas
) -> None:
    ingest_email(request_mail(), mailbox=mailbox, now=NOW)
    ingest_email(request_mail(message_id="m7@x"), mailbox=mailbox, now=NOW)
    first, second = Ticket.objects.order_by("id")
    desk_services.ticket_merge(actor=personas.staff, source=second, target=first, now=NOW)
    again = mail("From: budi@example.ac.id", "In-Reply-To: <m7@x>", "Message-ID: <m8@x>")
    assert ingest_email(again, mailbox=mailbox, now=NOW).ticket == first.reference


def test_the_same_mail_twice_is_one_article(mailbox) -> None:
    raw = request_mail()
    ingest_email(raw, mailbox=mailbox, now=NOW)
    assert ingest_email(raw, mailbox=mailbox, now=NOW) == IngestResult(
        "ignored", "SI-26-00001", "duplicate"
    )
    # The same mail through a second mailbox: other bytes, same Message-ID.
    copy = b"Delivered-To: p4m@pintu.test\r\n" + raw
    assert ingest_email(copy, now=NOW).reason == "duplicate"
    assert Article.objects.filter(kind=Article.Kind.INBOUND).count() == 1
    assert InboundMessage.objects.count() == 1


def test_mail_without_a_message_id_is_deduplicated_by_its_bytes(mailbox) -> None:
    raw = mail("From: budi@example.ac.id", f"To: {HELPDESK}", "Subject: tanpa id")
    assert ingest_email(raw, mailbox=mailbox, now=NOW).outcome == "created"
    assert ingest_email(raw, mailbox=mailbox, now=NOW).reason == "duplicate"
    assert inbound(raw).dedupe_key.startswith("sha256:")


def test_a_crash_while_processing_quarantines_the_mail_and_a_retry_recovers_it(
    mailbox, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Ticket:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_module, "ticket_create", broken)
    raw = request_mail()
    assert ingest_email(raw, mailbox=mailbox, now=NOW) == IngestResult("quarantined", None, "error")
    message = inbound(raw)
    assert bytes(message.raw) == raw
    assert (message.outcome, message.reason, message.attempts) == ("quarantined", "error", 1)
    assert message.error.startswith("RuntimeError: disk full")
    # Everything the failed attempt wrote was rolled back.
    assert not Ticket.objects.exists() and not Contact.objects.exists()
    # A re-poll of the same mail tries again rather than calling it a duplicate.
    assert ingest_email(raw, mailbox=mailbox, now=NOW).outcome == "quarantined"
    assert inbound(raw).attempts == 2

    monkeypatch.undo()
    with pytest.raises(PermissionDenied):
        inbound_retry(actor=personas.staff, message=message)
    result = inbound_retry(actor=personas.admin, message=message, now=NOW)
    assert result == IngestResult("created", "SI-26-00001", None)
    message.refresh_from_db()
    assert (message.outcome, message.error, message.attempts) == ("created", "", 3)
    event = AuditEvent.objects.get(action="inbound.retry")
    assert event.actor == personas.admin
    assert event.before["outcome"] == "quarantined" and event.after["outcome"] == "created"
    with pytest.raises(ValidationError):
        inbound_retry(actor=personas.admin, message=message)


def test_a_bounce_of_our_message_marks_that_delivery_failed_and_opens_nothing(mailbox) -> None:
    ingest_email(request_mail(), mailbox=mailbox, now=NOW)
    ticket = Ticket.objects.get()
    reply_to(ticket, "ack", "ack-2@pintu.test")
    bounce = mail(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.ac.id>",
        f"To: {HELPDESK}",
        "Subject: Undelivered Mail Returned to Sender",
        "Message-ID: <bounce-1@mx.example.ac.id>",
        "Return-Path: <>",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        body=(
            "--r\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
            "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
            "Final-Recipient: rfc822; budi@example.ac.id\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
            "--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <ack-2@pintu.test>\r\n"
            "Subject: [SI-26-00001] Wi-Fi lab mati\r\n--r--\r\n"
        ),
    )
    assert ingest_email(bounce, mailbox=mailbox, now=NOW) == IngestResult("ignored", None, "bounce")
    ack = OutboxItem.objects.get(purpose="ack")
    assert ack.status == OutboxItem.Status.DEAD
    assert "5.1.1" in ack.last_error and "no such user" in ack.last_error
    assert Ticket.objects.count() == 1 and ticket.articles.count() == 2  # request + ack
    assert (inbound(bounce).outcome, inbound(bounce).reason) == ("ignored", "bounce")


def test_an_automatic_reply_is_recorded_and_opens_nothing(mailbox) -> None:
    raw = request_mail("Auto-Submitted: auto-replied").replace(
        b"Wi-Fi lab mati", b"Out of Office: Wi-Fi lab mati"
    )
    assert ingest_email(raw, mailbox=mailbox, now=NOW) == IngestResult(
        "ignored", None, "auto-reply"
    )
    assert not Ticket.objects.exists()
    assert (inbound(raw).outcome, inbound(raw).reason) == ("ignored", "auto-reply")


def test_bulk_mail_opens_a_request_that_is_never_acknowledged(mailbox) -> None:
    raw = request_mail("Precedence: bulk", "List-Id: <berita.example.ac.id>")
    assert ingest_email(raw, mailbox=mailbox, now=NOW) == IngestResult(
        "created", "SI-26-00001", "bulk"
    )
    assert not OutboxItem.objects.exists()
    assert not Article.objects.filter(kind=Article.Kind.ACKNOWLEDGEMENT).exists()


@pytest.mark.parametrize("sender", ["Pintu <HELPDESK-SI@PINTU.TEST>", "layanan-si@pintu.test"])
def test_mail_from_our_own_addresses_is_a_loop_and_is_dropped(mailbox, sender: str) -> None:
    si = mailbox.unit
    si.email = "layanan-si@pintu.test"
    si.save(update_fields=["email"])
    ours = mail(f"From: {sender}", f"To: {HELPDESK}", "Message-ID: <a@b>", "Subject: x")
    assert ingest_email(ours, mailbox=mailbox, now=NOW) == IngestResult("ignored", None, "loop")
    assert not Ticket.objects.exists()


def test_mail_carrying_our_own_message_id_is_a_loop(mailbox) -> None:
    own_id = request_mail(message_id="ack-5@pintu.test")
    assert ingest_email(own_id, mailbox=mailbox, now=NOW).reason == "loop"
    assert inbound(own_id).outcome == "ignored"


def test_without_a_mailbox_the_unit_comes_from_the_addresses(sops: None) -> None:
    p4m = Unit.objects.get(code="P4M")
    p4m.email = "P4M@pintu.test"
    p4m.save(update_fields=["email"])
    raw = mail(
        "From: dosen@example.ac.id",
        "To: someone-else@example.ac.id",
        "Cc: p4m@pintu.test",
        "Subject: Jadwal pelatihan",
        "Message-ID: <p1@x>",
    )
    result = ingest_email(raw, now=NOW)
    assert result.outcome == "created" and result.ticket.startswith("P4M-26-")


def test_delivered_to_names_the_mailbox_whose_service_a_new_request_gets(mailbox) -> None:
    raw = mail(
        f"Delivered-To: {HELPDESK}",
        "From: dosen@example.ac.id",
        "To: list@example.ac.id",
        "Subject: Proyektor",
    )
    result = ingest_email(raw, now=NOW)
    assert result.ticket == "SI-26-00001"
    assert Ticket.objects.get().service_type.key == "layanan-ringan"


def test_the_unit_given_to_the_command_line_decides(sops: None) -> None:
    raw = mail("From: dosen@example.ac.id", "To: nobody@example.org", "Subject: x")
    result = ingest_email(raw, unit=Unit.objects.get(code="P4M"), now=NOW)
    assert result.ticket.startswith("P4M-")


def test_mail_for_no_known_unit_is_quarantined_until_an_admin_names_one(
    sops: None, personas: Personas
) -> None:
    raw = mail("From: dosen@example.ac.id", "To: nobody@example.org", "Subject: x")
    assert ingest_email(raw, now=NOW) == IngestResult("quarantined", None, "no unit")
    message = inbound(raw)
    assert "nobody@example.org" in message.error
    result = inbound_retry(
        actor=personas.admin, message=message, unit=Unit.objects.get(code="UPT-SI"), now=NOW
    )
    assert result.ticket == "SI-26-00001"


def test_a_unit_without_an_sop_quarantines_with_the_reason(personas: Personas) -> None:
    raw = mail("From: dosen@example.ac.id", "To: nobody@example.org", "Subject: x")
    result = ingest_email(raw, unit=Unit.objects.get(code="JTI"), now=NOW)
    assert result == IngestResult("quarantined", None, "no service")
    assert "JTI has no SOP loaded" in inbound(raw).error


def test_bytes_that_are_not_mail_are_quarantined_and_kept(mailbox) -> None:
    raw = b"%PDF-1.4\n%binary\x00\xff\n"
    assert ingest_email(raw, mailbox=mailbox, now=NOW) == IngestResult(
        "quarantined", None, "unparseable"
    )
    assert bytes(inbound(raw).raw) == raw


def test_attachments_are_kept_and_refused_types_stay_in_the_original(mailbox) -> None:
    body = (
        "--p\r\nContent-Type: text/plain\r\n\r\nTerlampir.\r\n"
        "--p\r\nContent-Type: application/pdf; name=bukti.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n"
        "--p\r\nContent-Type: application/x-msdownload; name=setup.exe\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAA=\r\n--p--\r\n"
    )
    raw = request_mail('Content-Type: multipart/mixed; boundary="p"', body=body)
    ingest_email(raw, mailbox=mailbox, now=NOW)
    article = Article.objects.get(kind=Article.Kind.INBOUND)
    [kept] = Attachment.objects.filter(article=article)
    assert (kept.filename, kept.content_type, kept.size) == ("bukti.pdf", "application/pdf", 8)
    assert kept.file.read() == b"%PDF-1.4"
    assert article.body.startswith("Terlampir.\n\n[")
    assert "setup.exe" in article.body
    assert b"TVqQAAMAAAA=" in bytes(inbound(raw).raw)


def test_html_mail_keeps_sanitised_html_beside_its_text(mailbox) -> None:
    raw = request_mail(
        "Content-Type: text/html; charset=utf-8",
        body="<p>Halo <b>tim</b><script>alert(1)</script></p>",
    )
    ingest_email(raw, mailbox=mailbox, now=NOW)
    article = Article.objects.get(kind=Article.Kind.INBOUND)
    assert (article.body, article.body_html) == ("Halo tim", "<p>Halo <b>tim</b></p>")


def test_mail_without_subject_or_sender_still_opens_a_request(mailbox) -> None:
    raw = mail(f"To: {HELPDESK}", "Message-ID: <anon@x>", body="\n\nPrinter macet di ruang 201.")
    assert ingest_email(raw, mailbox=mailbox, now=NOW).outcome == "created"
    ticket = Ticket.objects.get()
    assert ticket.subject == "Printer macet di ruang 201."
    assert ticket.contact.email == ""
    assert not OutboxItem.objects.exists()  # nobody to acknowledge
