"""Mail that used to be lost or refused: NUL characters (which PostgreSQL cannot store),
a header block under other lines, and a different message reusing a Message-ID. Each is
filed on SQLite and PostgreSQL alike, and its bytes are kept as they came."""

from __future__ import annotations

import pytest

from pintu.desk.models import Article, Ticket
from pintu.doors.email.ingest import ingest_email
from pintu.doors.email.parse import parse_email
from pintu.doors.models import InboundMessage
from pintu.doors.tests.test_email_ingest import HELPDESK, NOW, mail, mail_settings, mailbox

pytestmark = pytest.mark.django_db
__all__ = ["mail_settings", "mailbox"]  # fixtures used here

HEADERS = (
    b"From: Budi <budi@example.ac.id>\r\n"
    b"To: " + HELPDESK.encode() + b"\r\n"
    b"Subject: Wi-Fi lab mati\r\n"
    b"Message-ID: <h1@example.ac.id>\r\n"
    b"\r\n"
    b"Wi-Fi lab 3 mati.\r\n"
)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Subject: Wi-Fi\x00 lab mati", "Wi-Fi lab 3 mati."),
        ("Subject: Wi-Fi lab mati", "Wi-Fi\x00 lab 3\x00 mati."),
        ("Subject: =?utf-8?B?V2ktRmkAIGxhYiBtYXRp?=", "Wi-Fi lab 3 mati."),
        ("Subject: =?utf-8?Q?Wi-Fi=00_lab_mati?=", "Wi-Fi lab 3 mati."),
    ],
)
def test_nul_characters_are_stripped_and_the_mail_files_with_its_bytes_kept(
    mailbox, subject: str, body: str
) -> None:
    raw = mail(
        "From: Budi <budi@example.ac.id>",
        f"To: {HELPDESK}",
        subject,
        "Message-ID: <nul@example.ac.id>",
        body=body,
    )
    result = ingest_email(raw, mailbox=mailbox, now=NOW)
    assert result.outcome == "created", result
    ticket = Ticket.objects.get(reference=result.ticket)
    assert ticket.subject == "Wi-Fi lab mati"
    article = ticket.articles.get(kind=Article.Kind.INBOUND)
    assert "\x00" not in article.body and "lab" in article.body
    assert bytes(InboundMessage.objects.get(ticket=ticket).raw) == raw


def test_the_parser_strips_nul_from_every_text_it_gives() -> None:
    raw = (
        b"From: =?utf-8?Q?Bu=00di?= <budi@example.ac.id>\r\nSubject: a\x00b\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/html\r\n\r\n<p>x\x00y</p>\r\n"
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="f\x00.bin"\r\n\r\n\x00\x01\r\n--b--\r\n'
    )
    parsed = parse_email(raw)
    assert (parsed.subject, parsed.from_name) == ("ab", "Budi")
    assert "\x00" not in parsed.html + parsed.text
    (attachment,) = parsed.attachments
    assert "\x00" not in attachment.filename
    assert attachment.data == b"\x00\x01"  # a file's bytes are its own


@pytest.mark.parametrize(
    "before",
    [
        b"From budi@example.ac.id Tue Dec  1 10:00:00 2026\r\n",
        b"From budi@example.ac.id Tue Dec  1 10:00:00 2026\n",
        b"---- Original message ----\r\n",
        b"\r\n-------- Original Message --------\r\n\r\n",
        b"Forwarded by the gateway on 1 Dec 2026\r\nrelay: 3\r\n\r\n",
    ],
)
def test_a_header_block_under_other_lines_is_found_and_the_whole_message_kept(
    mailbox, before: bytes
) -> None:
    raw = before + HEADERS
    result = ingest_email(raw, mailbox=mailbox, now=NOW)
    assert result.outcome == "created", result
    ticket = Ticket.objects.get(reference=result.ticket)
    assert (ticket.subject, ticket.contact.email) == ("Wi-Fi lab mati", "budi@example.ac.id")
    assert ticket.articles.get(kind=Article.Kind.INBOUND).body == "Wi-Fi lab 3 mati."
    assert bytes(InboundMessage.objects.get(ticket=ticket).raw) == raw


def test_text_that_is_no_mail_at_all_is_still_refused() -> None:
    with pytest.raises(ValueError, match="no e-mail header"):
        parse_email(b"---- Original message ----\r\nJust some words\r\nand more\r\n")


def test_a_different_message_reusing_a_message_id_is_kept_flagged_and_shown(
    mailbox, client, personas
) -> None:
    ingest_email(HEADERS, mailbox=mailbox, now=NOW)
    other = HEADERS.replace(b"Wi-Fi lab 3 mati.", b"Transfer dana ke rekening ini.")
    result = ingest_email(other, mailbox=mailbox, now=NOW)
    assert (result.outcome, result.reason) == ("quarantined", "message-id reused")
    kept = InboundMessage.objects.exclude(ticket__isnull=False).get()
    assert bytes(kept.raw) == other and kept.reason == "message-id reused"
    assert Article.objects.filter(kind=Article.Kind.INBOUND).count() == 1
    # The same different message again is the same kept message, not a third.
    assert ingest_email(other, mailbox=mailbox, now=NOW).reason == "message-id reused"
    assert InboundMessage.objects.count() == 2
    client.force_login(personas.admin)
    page = client.get("/doors/quarantine/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert f"/doors/inbound/{kept.pk}/raw" in page.content.decode()


def test_the_same_message_through_another_mailbox_is_still_a_duplicate(mailbox) -> None:
    ingest_email(HEADERS, mailbox=mailbox, now=NOW)
    copy = b"Received: from relay\r\nDelivered-To: p4m@pintu.test\r\n" + HEADERS
    assert ingest_email(copy, now=NOW).reason == "duplicate"
    assert InboundMessage.objects.count() == 1
