"""What kind of mail this is, before it may open or continue a request (RFC 3834).

Pure: it reads a ``ParsedEmail`` and our own addresses, nothing else. Bounces and
automatic replies never open a request (answering them is how mail loops start); bulk
and machine-generated mail may open one but is never acknowledged; mail from ourselves
is a loop and is dropped. Every kind is still recorded by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from pintu.doors.email.parse import ParsedEmail


class Kind(StrEnum):
    NORMAL = "normal"
    BOUNCE = "bounce"
    AUTO_REPLY = "auto-reply"
    BULK = "bulk"
    LOOP = "loop"


@dataclass(frozen=True)
class Classification:
    kind: Kind
    reason: str  # which header or sign decided it, for the record

    @property
    def opens_tickets(self) -> bool:
        return self.kind in (Kind.NORMAL, Kind.BULK)

    @property
    def acknowledge(self) -> bool:
        return self.kind == Kind.NORMAL


# Local parts of the addresses mail systems send their failure reports from.
_DAEMONS = {"mailer-daemon", "mail-daemon", "postmaster", "mailerdaemon"}
# Subjects of out-of-office and other automatic replies that carry no header saying so,
# in the languages our correspondents write (Indonesian and English first).
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\W*(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)"
    r"|autoreply|balasan otomatis|jawaban otomatis|sedang cuti|di luar kantor"
    r"|abwesenheitsnotiz|r[ée]ponse automatique|respuesta autom[áa]tica)\b",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = {"bulk", "list", "junk"}


def classify(parsed: ParsedEmail, own_addresses: Iterable[str], own_domain: str) -> Classification:
    """Decide in this order: bounce, loop, automatic reply, bulk, normal.

    A bounce comes first so that a failure report about one of our messages is never
    mistaken for a loop; a loop comes before an automatic reply so the record says why.
    """
    own = {address.strip().lower() for address in own_addresses if address}
    sender = parsed.from_address.lower()
    if parsed.content_type == "multipart/report" and parsed.report_type == "delivery-status":
        return Classification(Kind.BOUNCE, "multipart/report; report-type=delivery-status")
    if parsed.delivery_status:
        return Classification(Kind.BOUNCE, "message/delivery-status part")
    if parsed.failed_recipients:
        return Classification(Kind.BOUNCE, "X-Failed-Recipients")
    if sender.split("@", 1)[0] in _DAEMONS:
        return Classification(Kind.BOUNCE, f"sent by {sender}")
    if sender and sender in own:
        return Classification(Kind.LOOP, f"sent from our own address {sender}")
    domain = own_domain.strip().lower()
    if domain and parsed.message_id.lower().endswith("@" + domain):
        return Classification(Kind.LOOP, f"our own Message-ID domain {domain}")
    auto_submitted = parsed.auto_submitted.split(";", 1)[0].strip()
    if auto_submitted == "auto-replied":
        return Classification(Kind.AUTO_REPLY, "Auto-Submitted: auto-replied")
    if parsed.autoreply_header:
        return Classification(Kind.AUTO_REPLY, "X-Autoreply header")
    if parsed.precedence == "auto_reply":
        return Classification(Kind.AUTO_REPLY, "Precedence: auto_reply")
    if parsed.content_type == "multipart/report" and parsed.report_type:
        # A read receipt (disposition-notification) or another machine report.
        return Classification(Kind.AUTO_REPLY, f"report-type={parsed.report_type}")
    if _AUTO_REPLY_SUBJECT.search(parsed.subject):
        return Classification(Kind.AUTO_REPLY, "out-of-office subject")
    if parsed.return_path == "":
        return Classification(Kind.BOUNCE, "null return path <>")
    if auto_submitted and auto_submitted != "no":
        return Classification(Kind.BULK, f"Auto-Submitted: {auto_submitted}")
    if parsed.precedence in _BULK_PRECEDENCE:
        return Classification(Kind.BULK, f"Precedence: {parsed.precedence}")
    if parsed.list_id or parsed.list_unsubscribe:
        return Classification(Kind.BULK, "mailing list (List-Id or List-Unsubscribe)")
    return Classification(Kind.NORMAL, "")
