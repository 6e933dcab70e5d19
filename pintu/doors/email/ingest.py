"""Mail in: keep the raw message first, then turn it into a request or a reply.

Every path (the IMAP poller, ``pintu ingest email``, an admin's retry) comes through
``ingest_email``. The raw bytes are committed under a dedupe key before anything is
parsed, so a crash, a re-poll or the same mail in two mailboxes never yields a second
article; processing is one transaction that either does everything or nothing, and what
fails is quarantined with its error and its bytes, never raised to the caller.
"""

from __future__ import annotations

import hashlib
import re
import traceback
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk import access
from pintu.desk.models import ACTIVE_STATUSES, Article, Door, Ticket
from pintu.desk.services import (
    Created,
    Opening,
    Upload,
    contact_for,
    ticket_create,
    ticket_requester_message,
    validate_upload,
)
from pintu.doors.email.charsets import DEFAULT_FALLBACK_CHARSETS
from pintu.doors.email.classify import Classification, Kind, classify
from pintu.doors.email.mime import message_id_of
from pintu.doors.email.parse import ParsedEmail, UnparseableEmail, parse_email
from pintu.doors.intake import NoServiceError, default_service
from pintu.doors.models import InboundMessage, Mailbox
from pintu.org import access as org_access
from pintu.org.models import Unit, User
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import delivery_bounced

Outcome = InboundMessage.Outcome
_TO_DO = (Outcome.PENDING, Outcome.QUARANTINED)
REUSED_MESSAGE_ID = "message-id reused"
# A reference in brackets anywhere in the subject, any unit's prefix: [SI-26-00042].
_REFERENCE = re.compile(r"\[\s*([A-Za-z0-9][A-Za-z0-9-]*-\d{2}-\d{5,})\s*\]")


@dataclass(frozen=True)
class IngestResult:
    outcome: str  # created, appended, ignored or quarantined
    ticket: str | None  # the reference
    reason: str | None  # bounce, auto-reply, loop, bulk, duplicate, no unit, ...

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "ticket": self.ticket, "reason": self.reason}


class Quarantine(Exception):
    """Processing cannot go on until someone fixes something; ``reason`` is short."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def dedupe_key(raw: bytes) -> str:
    """``email:<message-id>`` (lower-cased, without <>) when the mail has one, so the same
    mail fetched twice or from two mailboxes is one message; else the hash of its bytes."""
    message_id = message_id_of(raw).lower()
    key = f"email:{message_id}"
    if message_id and len(key) <= 500:
        return key
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


def ingest_email(
    raw: bytes,
    *,
    mailbox: Mailbox | None = None,
    unit: Unit | None = None,
    now: datetime | None = None,
) -> IngestResult:
    """Store ``raw`` and process it; never raises for anything the message contains."""
    now = now or timezone.now()
    with transaction.atomic():
        message, created = InboundMessage.objects.get_or_create(
            dedupe_key=dedupe_key(raw),
            defaults={
                "door": InboundMessage.Door.EMAIL,
                "mailbox": mailbox,
                "raw": raw,
                "sha256": hashlib.sha256(raw).hexdigest(),
                "received_at": now,
            },
        )
    if not created and not _same_content(raw, bytes(message.raw)):
        return _reused_message_id(raw, message, mailbox, now)
    if not created and message.outcome not in _TO_DO:
        return _duplicate(message)
    return _process(message.pk, mailbox=mailbox or message.mailbox, unit=unit, now=now)


def _same_content(raw: bytes, stored: bytes) -> bool:
    """Whether two mails with one Message-ID are one mail: the same sender, subject,
    text and files (the headers relays add, and how the body was encoded, may differ)."""
    if raw == stored:
        return True
    return _fingerprint(raw) == _fingerprint(stored)


def _fingerprint(raw: bytes) -> tuple[Any, ...]:
    try:
        parsed = parse_email(raw)
    except UnparseableEmail:
        return ("raw", hashlib.sha256(raw).hexdigest())
    files = tuple(hashlib.sha256(a.data).hexdigest() for a in parsed.attachments)
    text = " ".join(parsed.text.split())
    return (parsed.from_address.lower(), parsed.subject, text, files)


def _reused_message_id(
    raw: bytes, earlier: InboundMessage, mailbox: Mailbox | None, now: datetime
) -> IngestResult:
    """A different mail under a Message-ID we already have: kept under the hash of its
    bytes and held in quarantine for an admin to look at, never dropped as a copy and
    never filed as if it were the earlier one (it may be a forgery)."""
    with transaction.atomic():
        message, created = InboundMessage.objects.get_or_create(
            dedupe_key=f"sha256:{hashlib.sha256(raw).hexdigest()}",
            defaults={
                "door": InboundMessage.Door.EMAIL,
                "mailbox": mailbox,
                "raw": raw,
                "sha256": hashlib.sha256(raw).hexdigest(),
                "received_at": now,
                "outcome": Outcome.QUARANTINED,
                "reason": REUSED_MESSAGE_ID,
                "error": _(
                    "Message %(id)s (kept as inbound message %(earlier)s) came earlier "
                    "with other content. Compare the two originals; retry this one to "
                    "file it as a message of its own."
                )
                % {"id": message_id_of(raw), "earlier": earlier.pk},
                "attempts": 1,
            },
        )
    if not created and message.outcome != Outcome.QUARANTINED:
        return _duplicate(message)
    return IngestResult(Outcome.QUARANTINED.value, None, REUSED_MESSAGE_ID)


def inbound_retry(
    *, actor: Any, message: InboundMessage, unit: Unit | None = None, now: datetime | None = None
) -> IngestResult:
    """An admin runs a quarantined message through processing again, after a fix (an
    address added to a unit, an SOP loaded), optionally naming the unit it belongs to."""
    if not org_access.is_admin(actor):
        raise PermissionDenied
    if message.outcome != Outcome.QUARANTINED:
        raise ValidationError(_("Only a quarantined message can be retried."))
    before = {"outcome": message.outcome, "reason": message.reason, "error": message.error[:200]}
    result = _process(message.pk, mailbox=message.mailbox, unit=unit, now=now or timezone.now())
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="inbound.retry",
            obj=message,
            before=before,
            after={**result.as_dict(), "unit": unit.code if unit else None},
            unit=unit or (message.mailbox.unit if message.mailbox else None),
        )
    return result


def _duplicate(message: InboundMessage) -> IngestResult:
    return IngestResult(
        Outcome.IGNORED.value, message.ticket.reference if message.ticket else None, "duplicate"
    )


def _process(pk: int, *, mailbox: Mailbox | None, unit: Unit | None, now: datetime) -> IngestResult:
    try:
        with transaction.atomic():
            message = InboundMessage.objects.select_for_update().get(pk=pk)
            if message.outcome not in _TO_DO:
                return _duplicate(message)
            result, ticket, article = _handle(bytes(message.raw), mailbox, unit, now)
            InboundMessage.objects.filter(pk=pk).update(
                outcome=result.outcome,
                reason=result.reason or "",
                error="",
                ticket=ticket,
                article=article,
                processed_at=now,
                attempts=F("attempts") + 1,
            )
            return result
    except Exception as error:  # whatever fails, the message is kept
        return _quarantine(pk, error)


def _quarantine(pk: int, error: Exception) -> IngestResult:
    if isinstance(error, Quarantine):
        reason, text = error.reason, str(error)
    elif isinstance(error, UnparseableEmail):
        reason, text = "unparseable", str(error)
    elif isinstance(error, NoServiceError):
        reason, text = "no service", str(error)
    else:
        reason = "error"
        text = f"{type(error).__name__}: {error}\n\n" + "".join(
            traceback.format_exception(error, limit=-6)
        )
    with transaction.atomic():
        updated = InboundMessage.objects.filter(pk=pk, outcome__in=_TO_DO).update(
            outcome=Outcome.QUARANTINED,
            reason=reason,
            error=text,
            attempts=F("attempts") + 1,
            processed_at=None,
        )
    if not updated:
        # Another worker processed it meanwhile: report what became of it.
        return _duplicate(InboundMessage.objects.select_related("ticket").get(pk=pk))
    return IngestResult(Outcome.QUARANTINED.value, None, reason)


def _handle(
    raw: bytes, mailbox: Mailbox | None, unit: Unit | None, now: datetime
) -> tuple[IngestResult, Ticket | None, Article | None]:
    parsed = parse_email(
        raw, fallback_charsets=(*settings.PINTU_EMAIL_FALLBACK_CHARSETS, *DEFAULT_FALLBACK_CHARSETS)
    )
    verdict = classify(parsed, _own_addresses(), settings.PINTU_EMAIL_DOMAIN)
    if verdict.kind == Kind.BOUNCE:
        _record_bounce(parsed)
    if not verdict.opens_tickets:
        return IngestResult(Outcome.IGNORED.value, None, str(verdict.kind)), None, None
    uploads, notes = _uploads(parsed)
    body = "\n\n".join(part for part in (parsed.text, *notes) if part)
    reason = str(verdict.kind) if verdict.kind != Kind.NORMAL else None
    ticket = _thread(parsed, _receiving_unit(parsed, mailbox, unit))
    if ticket is not None:
        article = ticket_requester_message(
            ticket=ticket,
            body=body,
            door=Door.EMAIL,
            author_name=_author_name(parsed),
            uploads=uploads,
            external_id=_external_id(parsed),
            body_html=parsed.html,
            now=now,
        )
        return IngestResult(Outcome.APPENDED.value, ticket.reference, reason), ticket, article
    ticket, first = _open(parsed, verdict, body, uploads, mailbox, unit, now)
    return IngestResult(Outcome.CREATED.value, ticket.reference, reason), ticket, first


def _open(
    parsed: ParsedEmail,
    verdict: Classification,
    body: str,
    uploads: list[Upload],
    mailbox: Mailbox | None,
    unit: Unit | None,
    now: datetime,
) -> Created:
    if unit is None and mailbox is not None:
        unit = mailbox.unit
    if unit is None:
        mailbox, unit = _receiving(parsed)
    address = parsed.from_address if _plausible_address(parsed.from_address) else ""
    name = parsed.from_name[:200] or ("" if address else _("unknown sender"))
    # A sender without a usable address is still a contact (by name): the mail is kept
    # and staff see who wrote, though no reply can go back by e-mail.
    return ticket_create(
        actor=None,
        service_type=default_service(unit, mailbox.service_type if mailbox else None),
        requester=contact_for(name=name, email=address),
        opening=Opening(
            subject=parsed.subject or _first_line(parsed.text) or _("(no subject)"),
            body=body,
            body_html=parsed.html,
            uploads=uploads,
            external_id=_external_id(parsed),
        ),
        door=Door.EMAIL,
        acknowledge_receipt=verdict.acknowledge,
        now=now,
    )


def _receiving(parsed: ParsedEmail) -> tuple[Mailbox | None, Unit]:
    """The unit owning the address the mail was delivered to: the envelope recipient
    first (Delivered-To), then To, then Cc; a mailbox's address before a unit's."""
    addresses = list(dict.fromkeys([*parsed.delivered_to, *parsed.to, *parsed.cc]))
    mailboxes = {
        m.lower: m
        for m in Mailbox.objects.annotate(lower=Lower("address"))
        .filter(lower__in=addresses)
        .select_related("unit", "service_type__sop")
    }
    units = {
        u.lower: u for u in Unit.objects.annotate(lower=Lower("email")).filter(lower__in=addresses)
    }
    for address in addresses:
        if address in mailboxes:
            return mailboxes[address], mailboxes[address].unit
        if address in units:
            return None, units[address]
    sent_to = ", ".join(addresses) or _("no address")
    raise Quarantine(
        "no unit",
        _(
            "No unit owns the address this message was sent to (%(addresses)s). Add the "
            "address to a unit or a mailbox, or retry naming the unit."
        )
        % {"addresses": sent_to},
    )


def _receiving_unit(parsed: ParsedEmail, mailbox: Mailbox | None, unit: Unit | None) -> Unit | None:
    if unit is not None:
        return unit
    if mailbox is not None:
        return mailbox.unit
    try:
        return _receiving(parsed)[1]
    except Quarantine:
        return None


def _thread(parsed: ParsedEmail, receiving: Unit | None) -> Ticket | None:
    """The request this mail continues: our own Message-ID in In-Reply-To/References,
    then any other Message-ID we stored, then a reference in the subject.

    Our Message-IDs carry a random part, so whoever answers one was sent it. Another
    Message-ID or a reference may be known to anyone (references are sequential), so
    through those only the people of the conversation reach a request: a reference
    threads only in the unit it belongs to and for the requester, someone the
    conversation went to or came from, or staff of the unit; and no one else reopens a
    request that is done. Everyone else's mail opens a request of its own."""
    domain = "@" + settings.PINTU_EMAIL_DOMAIN.lower()
    mentioned = list(dict.fromkeys([*parsed.in_reply_to, *reversed(parsed.references)]))
    ours = [m for m in mentioned if m.lower().endswith(domain)]
    others = [m for m in mentioned if not m.lower().endswith(domain)]
    if ours:
        answered = (
            Ticket.objects.filter(outgoing__external_id__in=_forms(ours))
            .order_by("-outgoing__id")
            .first()
        )
        if answered is not None:
            return _current(answered)
    for candidates in (ours, others):
        article = (
            Article.objects.filter(external_id__in=_forms(candidates))
            .select_related("ticket")
            .order_by("-id")
            .first()
            if candidates
            else None
        )
        if article is not None:
            ticket = _current(article.ticket)
            if ticket.status in ACTIVE_STATUSES or _in_conversation(parsed.from_address, ticket):
                return ticket
    for reference in _REFERENCE.findall(parsed.subject):
        found = Ticket.objects.filter(reference__in={reference, reference.upper()}).first()
        if found is None:
            continue
        ticket = _current(found)
        if receiving == ticket.unit and _in_conversation(parsed.from_address, ticket):
            return ticket
    return None


def _in_conversation(sender: str, ticket: Ticket) -> bool:
    """Whether ``sender`` is the requester of ``ticket``, was on one of its mails (from,
    to or copied), was written to about it, or works in its unit."""
    sender = sender.strip().lower()
    if not sender:
        return False
    tickets = [ticket.pk, *ticket.merged.values_list("pk", flat=True)]
    requesters = Ticket.objects.filter(pk__in=tickets).values_list(
        "contact__email", "contact__user__email", "requester__email"
    )
    if sender in {a.lower() for row in requesters for a in row if a}:
        return True
    staff = User.objects.filter(email__iexact=sender, is_active=True)
    if any(access.can_work_in(person, ticket.unit) for person in staff):
        return True
    sent_to = OutboxItem.objects.filter(
        cause_type=ContentType.objects.get_for_model(Ticket), cause_id__in=tickets
    ).values_list("recipient", flat=True)
    if sender in {a.lower() for a in sent_to}:
        return True
    mails = InboundMessage.objects.filter(door=InboundMessage.Door.EMAIL, ticket__in=tickets)
    return any(sender in _people_on(bytes(raw)) for raw in mails.values_list("raw", flat=True))


def _people_on(raw: bytes) -> set[str]:
    """The addresses in a stored mail's From, To and Cc, lower-cased, ours left out."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
    values = [str(v) for name in ("from", "to", "cc") for v in headers.get_all(name) or []]
    return {a.lower() for _, a in getaddresses(values) if a} - _own_addresses()


def _current(ticket: Ticket) -> Ticket:
    """Follow merges to the request that lives on."""
    seen = {ticket.pk}
    while ticket.merged_into_id is not None and ticket.merged_into_id not in seen:
        seen.add(ticket.merged_into_id)
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    return ticket


def _forms(message_ids: list[str]) -> list[str]:
    """Message-IDs as they may be stored: with and without angle brackets."""
    return [form for m in message_ids for form in (f"<{m}>", m)]


def _record_bounce(parsed: ParsedEmail) -> None:
    """A bounce of one of our messages makes that delivery a dead letter."""
    ours = "@" + settings.PINTU_EMAIL_DOMAIN.lower()
    for original in parsed.original_message_ids:
        if original.lower().endswith(ours):
            delivery_bounced(
                transport=Door.EMAIL, message_id=original, reason=parsed.delivery_summary
            )


def _uploads(parsed: ParsedEmail) -> tuple[list[Upload], list[str]]:
    """Attachments the desk accepts become files of the article. One it refuses (type
    or size) is not dropped: it stays in the original message, which is kept whole and
    which staff of the unit can download, and the article says so."""
    uploads, notes = [], []
    for attachment in parsed.attachments:
        upload = Upload(
            name=attachment.filename[:255],
            content_type=attachment.content_type[:100],
            data=attachment.data,
        )
        try:
            validate_upload(upload)
        except ValidationError as error:
            notes.append(
                _("[Kept only in the original message: %(problem)s]")
                % {"problem": " ".join(error.messages)}
            )
            continue
        uploads.append(upload)
    return uploads, notes


def _own_addresses() -> set[str]:
    return {
        address.lower()
        for address in [
            *Mailbox.objects.values_list("address", flat=True),
            *Unit.objects.exclude(email="").values_list("email", flat=True),
        ]
    }


def _external_id(parsed: ParsedEmail) -> str:
    form = f"<{parsed.message_id}>" if parsed.message_id else ""
    return form if len(form) <= 300 else ""


def _author_name(parsed: ParsedEmail) -> str:
    if parsed.from_name and parsed.from_address:
        return f"{parsed.from_name} <{parsed.from_address}>"[:200]
    return (parsed.from_name or parsed.from_address or _("unknown sender"))[:200]


def _plausible_address(address: str) -> bool:
    return 3 <= len(address) <= 254 and "@" in address and " " not in address


def _first_line(text: str) -> str:
    return next((line.strip()[:120] for line in text.splitlines() if line.strip()), "")
