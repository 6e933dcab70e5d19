"""The e-mail door both ways with real parts: dovecot holds the unit's mailbox, aiosmtpd
stands for the relay, and a requester's conversation goes round the whole loop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone

from pintu.conftest import Personas
from pintu.desk import services
from pintu.desk.models import Article, Ticket
from pintu.doors.email import imap
from pintu.doors.models import InboundMessage
from pintu.doors.tests.imap_peer import HELPDESK, ImapPeer, compose, dovecot
from pintu.doors.tests.smtp_peer import Received, SmtpPeer, smtp_peer
from pintu.outbox.delivery import deliver_due
from pintu.outbox.models import OutboxItem

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTER = "siti.rahma@mahasiswa.example.ac.id"


@pytest.fixture
def imap_peer() -> Iterator[ImapPeer]:
    with dovecot() as peer:
        yield peer


@pytest.fixture
def relay(settings) -> Iterator[SmtpPeer]:
    with smtp_peer() as peer:
        settings.PINTU_SMTP_URL = peer.url
        settings.PINTU_EMAIL_DOMAIN = "pintu.poltek.example.ac.id"
        yield peer


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def deliver_to(relay: SmtpPeer) -> Received:
    """Run the outbox worker once; exactly one new message reaches the relay."""
    before = len(relay.messages)
    assert deliver_due(timezone.now()) == 1
    assert len(relay.messages) == before + 1
    return relay.messages[-1]


def test_a_request_by_mail_is_acknowledged_answered_and_the_answer_threads_back(
    imap_peer: ImapPeer, relay: SmtpPeer, sops: None, personas: Personas
) -> None:
    mailbox = imap_peer.mailbox(HELPDESK, "UPT-SI")

    # 1. The requester writes to the helpdesk; the mail lands in the IMAP box.
    request = compose(
        "Tidak bisa masuk e-learning",
        sender=f"Siti Rahma <{REQUESTER}>",
        body="Selamat pagi, sejak kemarin saya tidak bisa masuk e-learning.",
    )
    request_id = request["Message-ID"]
    imap_peer.append(HELPDESK, request.as_bytes())

    # 2. The worker's poll opens a ticket for UPT-SI and marks the mail seen.
    polled = imap.poll_mailbox(mailbox)
    assert (polled.error, polled.outcomes["created"]) == ("", 1)
    ticket = Ticket.objects.get()
    assert ticket.unit.code == "UPT-SI"
    assert imap_peer.unseen(HELPDESK) == 0

    # 3. The acknowledgement reaches the requester, with the reference in the subject.
    ack = deliver_to(relay)
    assert ack.rcpt_tos == [REQUESTER]
    assert f"[{ticket.reference}]" in ack.email["Subject"]
    assert ack.email["Auto-Submitted"] == "auto-replied"
    assert ticket.reference in ack.email.get_body(("plain",)).get_content()
    ticket.refresh_from_db()
    assert ticket.first_response_at is None  # an acknowledgement is no first response

    # 4. Staff answer; the reply leaves from the unit's address, threaded on the request.
    services.ticket_reply(
        actor=personas.staff, ticket=ticket, body="Akun Anda sudah kami buka kembali."
    )
    reply = deliver_to(relay)
    assert reply.rcpt_tos == [REQUESTER]
    assert HELPDESK in reply.email["From"]
    assert reply.email["In-Reply-To"] == request_id
    assert request_id in reply.email["References"]
    assert f"[{ticket.reference}]" in reply.email["Subject"]
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None

    # 5. The requester answers that reply from her mail client.
    answer = compose(
        f"Re: {reply.email['Subject']}",
        sender=f"Siti Rahma <{REQUESTER}>",
        body="Terima kasih, sekarang sudah bisa.\n\n> Akun Anda sudah kami buka kembali.",
        In_Reply_To=reply.email["Message-ID"],
        References=f"{reply.email['References']} {reply.email['Message-ID']}",
    )
    answer_id = answer["Message-ID"]
    imap_peer.append(HELPDESK, answer.as_bytes())

    # 6. The next poll threads it onto the same ticket; no new ticket, no second ack.
    polled = imap.poll_mailbox(mailbox)
    assert (polled.error, polled.outcomes["appended"]) == ("", 1)
    assert Ticket.objects.count() == 1
    inbound = ticket.articles.filter(kind=Article.Kind.INBOUND).order_by("created_at", "id")
    assert [article.external_id.strip("<>") for article in inbound] == [
        request_id.strip("<>"),
        answer_id.strip("<>"),
    ]
    assert InboundMessage.objects.filter(mailbox=mailbox).count() == 2
    assert OutboxItem.objects.filter(purpose=OutboxItem.Purpose.ACKNOWLEDGEMENT).count() == 1
    assert imap_peer.unseen(HELPDESK) == 0
    assert deliver_due(timezone.now()) == 0
