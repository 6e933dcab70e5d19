"""RFC 3834 classification: which mail may open a request, which gets acknowledged."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from pintu.doors.email.classify import Kind, classify
from pintu.doors.email.parse import DeliveryStatus, ParsedEmail

OWN = {"helpdesk-si@pintu.test", "p4m@pintu.test"}
DOMAIN = "pintu.test"

PLAIN = ParsedEmail(
    message_id="m1@example.ac.id",
    in_reply_to=(),
    references=(),
    subject="Akun SIAKAD terkunci",
    from_name="Budi",
    from_address="budi@example.ac.id",
    to=("helpdesk-si@pintu.test",),
    cc=(),
    delivered_to=(),
    date=None,
    auto_submitted="",
    precedence="",
    autoreply_header=False,
    list_id="",
    list_unsubscribe="",
    return_path="budi@example.ac.id",
    content_type="text/plain",
    report_type="",
    failed_recipients=(),
    text="Mohon dibuka.",
    html="",
    attachments=(),
    delivery_status=(),
    original_message_ids=(),
)


def mail(**changes: Any) -> ParsedEmail:
    return replace(PLAIN, **changes)


FAILED = DeliveryStatus("x@example.org", "failed", "5.1.1", "550 unknown")


@pytest.mark.parametrize(
    ("parsed", "kind", "reason"),
    [
        (PLAIN, Kind.NORMAL, ""),
        # Bounces: a delivery-status report, its part, Exim's header, the daemons, <>.
        (
            mail(content_type="multipart/report", report_type="delivery-status"),
            Kind.BOUNCE,
            "multipart/report; report-type=delivery-status",
        ),
        (mail(delivery_status=(FAILED,)), Kind.BOUNCE, "message/delivery-status part"),
        (mail(failed_recipients=("x@example.org",)), Kind.BOUNCE, "X-Failed-Recipients"),
        (mail(from_address="MAILER-DAEMON@mx.example.org"), Kind.BOUNCE, "sent by"),
        (mail(from_address="postmaster@example.org"), Kind.BOUNCE, "sent by"),
        (mail(return_path=""), Kind.BOUNCE, "null return path <>"),
        # A bounce of our own mail, carrying our domain, is still a bounce, not a loop.
        (
            mail(message_id="b@pintu.test", delivery_status=(FAILED,)),
            Kind.BOUNCE,
            "message/delivery-status part",
        ),
        # Loops: our own address, our own Message-ID domain (any case).
        (mail(from_address="Helpdesk-SI@pintu.test"), Kind.LOOP, "our own address"),
        (mail(message_id="ack-9@PINTU.test"), Kind.LOOP, "our own Message-ID domain"),
        (
            mail(from_address="p4m@pintu.test", auto_submitted="auto-replied"),
            Kind.LOOP,
            "our own address",
        ),
        # Automatic replies: the header, the vendors' headers, receipts, the subjects.
        (mail(auto_submitted="auto-replied"), Kind.AUTO_REPLY, "Auto-Submitted: auto-replied"),
        (
            mail(auto_submitted="auto-replied; owner-email=x", return_path=""),
            Kind.AUTO_REPLY,
            "Auto-Submitted",
        ),
        (mail(autoreply_header=True), Kind.AUTO_REPLY, "X-Autoreply"),
        (mail(precedence="auto_reply"), Kind.AUTO_REPLY, "Precedence: auto_reply"),
        (
            mail(content_type="multipart/report", report_type="disposition-notification"),
            Kind.AUTO_REPLY,
            "report-type=disposition-notification",
        ),
        (mail(subject="Out of Office: Akun"), Kind.AUTO_REPLY, "out-of-office subject"),
        (mail(subject="Automatic reply: Akun"), Kind.AUTO_REPLY, "out-of-office subject"),
        (mail(subject="Balasan Otomatis: Akun"), Kind.AUTO_REPLY, "out-of-office subject"),
        (mail(subject="[Auto-Reply] sedang cuti"), Kind.AUTO_REPLY, "out-of-office subject"),
        (mail(subject="Autoreply"), Kind.AUTO_REPLY, "out-of-office subject"),
        # Not an automatic reply: the words elsewhere in a person's subject.
        (mail(subject="Re: cara memasang automatic reply di Outlook?"), Kind.NORMAL, ""),
        # Bulk and machine-generated mail: may open a request, no acknowledgement.
        (mail(auto_submitted="auto-generated"), Kind.BULK, "Auto-Submitted: auto-generated"),
        (mail(auto_submitted="auto-notified"), Kind.BULK, "Auto-Submitted: auto-notified"),
        (mail(auto_submitted="no"), Kind.NORMAL, ""),
        (mail(precedence="bulk"), Kind.BULK, "Precedence: bulk"),
        (mail(precedence="list"), Kind.BULK, "Precedence: list"),
        (mail(precedence="junk"), Kind.BULK, "Precedence: junk"),
        (mail(list_id="<berita.example.ac.id>"), Kind.BULK, "mailing list"),
        (mail(list_unsubscribe="<mailto:x@y>"), Kind.BULK, "mailing list"),
    ],
)
def test_mail_is_classified_per_rfc_3834(parsed: ParsedEmail, kind: Kind, reason: str) -> None:
    verdict = classify(parsed, OWN, DOMAIN)
    assert verdict.kind == kind
    assert reason in verdict.reason


@pytest.mark.parametrize(
    ("kind", "opens", "acknowledged"),
    [
        (Kind.NORMAL, True, True),
        (Kind.BULK, True, False),
        (Kind.BOUNCE, False, False),
        (Kind.AUTO_REPLY, False, False),
        (Kind.LOOP, False, False),
    ],
)
def test_only_normal_mail_is_acknowledged_and_only_normal_or_bulk_opens_requests(
    kind: Kind, opens: bool, acknowledged: bool
) -> None:
    from pintu.doors.email.classify import Classification

    verdict = Classification(kind, "")
    assert (verdict.opens_tickets, verdict.acknowledge) == (opens, acknowledged)


def test_without_own_addresses_or_domain_nothing_is_a_loop() -> None:
    assert classify(mail(message_id="x@"), [], "").kind == Kind.NORMAL
