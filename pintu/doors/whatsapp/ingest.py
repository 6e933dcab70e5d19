"""WhatsApp in: keep every webhook body first, then turn its messages into articles.

Each step is safe to repeat after a crash at any point:

1. ``webhook_receive`` (in the web request, ``pintu.doors.whatsapp.services``): the signed
   raw body is stored, and the filing task is queued once that commits (unless a run
   is waiting to start already). Nothing is parsed yet.
2. ``unpack`` (worker): in one transaction, stored bodies' messages become
   ``InboundMessage`` rows under ``whatsapp:<message id>`` (unique, so Meta's
   redeliveries add nothing), their status reports update our outbound messages, and
   the bodies are marked processed.
3. ``process`` (worker): one pending message becomes an article, in a transaction
   that also records the outcome, so it happens once. Media is downloaded before that
   transaction (no network call inside one); a message that fails is quarantined with
   its error and the messages after it go on.

A message from a number with an open request of the WhatsApp unit continues it;
otherwise it opens one, filed under the unit's default service.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.desk.models import ACTIVE_STATUSES, Article, Contact, Door, Ticket
from pintu.desk.services import (
    Opening,
    contact_for,
    ticket_create,
    ticket_requester_message,
)
from pintu.desk.services.uploads import Upload, article_attach, validate_upload
from pintu.doors.intake import default_service
from pintu.doors.models import InboundMessage, WebhookDelivery
from pintu.doors.whatsapp import gateway as gateways
from pintu.doors.whatsapp.content import Content, MediaRef, render
from pintu.doors.whatsapp.payload import (
    Message,
    Notification,
    PayloadError,
    Status,
    parse,
    parse_value,
)
from pintu.org.models import Unit
from pintu.outbox.services import delivery_status

logger = logging.getLogger("pintu.doors.whatsapp")

Outcome = InboundMessage.Outcome

# A body that keeps failing for another reason than its content is given up after this
# many tries (its error stays on the row for admins).
DELIVERY_ATTEMPTS = 5
# Pending messages read at once (then filed one transaction each).
BATCH = 100
# A message that fails on a database error (locked, connection lost) is tried this many
# times before it is quarantined.
PASSING_ATTEMPTS = 3
# A file WhatsApp could not give us yet is asked for again this often, this many times.
MEDIA_ATTEMPTS = 5
MEDIA_RETRY_AFTER = timedelta(minutes=5)

# WhatsApp's status words and ours; "played" (a voice message listened to) is read.
STATUSES = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "played": "read",
    "failed": "failed",
}


class Reason:
    """Why an inbound WhatsApp message ended as it did (``InboundMessage.reason``)."""

    NO_OPEN_REQUEST = "no-open-request"  # a reaction or notice with nothing to join
    MEDIA_PENDING = "media-pending"  # the article is there, its file is asked for again
    MEDIA_FAILED = "media-failed"  # the file could not be had
    MEDIA_REFUSED = "media-refused"  # too large or a type the attachment rules refuse


# ---------------------------------------------------------------- 2. unpack


def unpack(*, limit: int = BATCH, skip: Collection[int] = ()) -> list[WebhookDelivery]:
    """Unpack the oldest stored bodies not yet processed (up to ``limit``, in one
    transaction); returns them, each marked processed unless it failed for a reason
    worth another try. An empty list: none waits."""
    with transaction.atomic():
        deliveries = list(
            WebhookDelivery.objects.filter(processed_at__isnull=True)
            .exclude(pk__in=skip)
            .order_by("received_at", "id")
            .select_for_update(skip_locked=True)[:limit]
        )
        if not deliveries:
            return []
        now = timezone.now()
        try:
            with transaction.atomic():
                _unpack_together(deliveries, now)
        except Exception:
            # One of them trips the database: take them one by one to find which.
            for delivery in deliveries:
                _unpack_alone(delivery, now)
    return deliveries


def _unpack_together(deliveries: list[WebhookDelivery], now: datetime) -> None:
    rows: list[InboundMessage] = []
    readable, unreadable = [], []
    for delivery in deliveries:
        try:
            notification = parse(bytes(delivery.body))
        except PayloadError as refused:
            unreadable.append((delivery, str(refused)))
            continue
        readable.append(delivery)
        rows += _inbound_rows(delivery, notification)
        for status in notification.statuses:
            _apply_status(status)
        for reported in notification.errors:
            logger.warning("whatsapp: webhook %s reports: %s", delivery.pk, reported.describe())
    # Meta delivers at least once: a message id seen before adds nothing.
    InboundMessage.objects.bulk_create(rows, ignore_conflicts=True)
    WebhookDelivery.objects.filter(pk__in=[d.pk for d in readable]).update(
        processed_at=now, error="", attempts=F("attempts") + 1
    )
    for delivery, why in unreadable:
        # Not a notification at all: trying again cannot help. The body stays.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            processed_at=now, error=why, attempts=F("attempts") + 1
        )
        delivery.error = why
    for delivery in deliveries:
        delivery.processed_at = now
        delivery.attempts += 1


def _unpack_alone(delivery: WebhookDelivery, now: datetime) -> None:
    try:
        with transaction.atomic():
            _unpack_together([delivery], now)
    except Exception as error:
        logger.exception("whatsapp: webhook body %s could not be unpacked", delivery.pk)
        delivery.error = f"{type(error).__name__}: {error}"
        delivery.attempts += 1
        if delivery.attempts >= DELIVERY_ATTEMPTS:
            delivery.processed_at = now  # given up; the body and its error stay
        delivery.save(update_fields=["error", "processed_at", "attempts"])


def _inbound_rows(delivery: WebhookDelivery, notification: Notification) -> list[InboundMessage]:
    rows = []
    for message in notification.messages:
        raw = message.raw()
        rows.append(
            InboundMessage(
                door=InboundMessage.Door.WHATSAPP,
                dedupe_key=dedupe_key(message.id),
                raw=raw,
                sha256=hashlib.sha256(raw).hexdigest(),
                received_at=delivery.received_at,
            )
        )
    return rows


def dedupe_key(message_id: str) -> str:
    key = f"whatsapp:{message_id}"
    if len(key) > 500:
        key = "whatsapp:sha256:" + hashlib.sha256(message_id.encode()).hexdigest()
    return key


def _apply_status(status: Status) -> None:
    ours = STATUSES.get(status.status)
    if ours is None or not status.message_id:
        return  # e.g. a call's RINGING: nothing we sent
    error = "; ".join(e.describe() for e in status.errors)
    try:
        with transaction.atomic():  # one bad report must not undo the body's messages
            delivery_status(external_id=status.message_id, status=ours, error=error)
    except Exception:
        logger.exception("whatsapp: status %s of %s not recorded", ours, status.message_id)


# ---------------------------------------------------------------- 3. process


@dataclass(frozen=True)
class Fetched:
    """A message's file, or why it is not there."""

    upload: Upload | None = None
    note: str = ""
    reason: str = ""
    error: str = ""


class _Taken(Exception):
    """Another worker filed the message first; this transaction must not count."""


class _Busy(Exception):
    """Another worker is filing the message right now."""


def _take(inbound: InboundMessage) -> None:
    """Lock the message's row for this transaction, or say why not. Workers read the
    same oldest messages: each skips the rows another holds (PostgreSQL's SKIP LOCKED;
    SQLite runs one writer at a time anyway), so that they file different messages side
    by side instead of each filing the same one for the claim to undo all but one."""
    outcome = (
        InboundMessage.objects.select_for_update(skip_locked=True)
        .filter(pk=inbound.pk)
        .values_list("outcome", flat=True)
        .first()
    )
    if outcome is None:
        raise _Busy
    if outcome != Outcome.PENDING:
        raise _Taken


def pending(limit: int) -> list[InboundMessage]:
    """The oldest WhatsApp messages waiting to be filed, in the order they came."""
    return list(
        InboundMessage.objects.filter(
            door=InboundMessage.Door.WHATSAPP, outcome=Outcome.PENDING
        ).order_by("received_at", "id")[:limit]
    )


def process(
    inbound: InboundMessage, *, unit: Unit | None, held: set[str] | None = None
) -> InboundMessage:
    """Turn one pending message into an article, filed under ``unit`` (the WhatsApp
    unit). A message another worker filed meanwhile is left as that worker left it; one
    another worker is filing right now is left to it, still pending.

    ``held``: the senders of the messages this pass left pending (another worker's, or
    failed for a passing reason); their later messages wait for the next pass, so that
    each sender's messages are filed in the order they came. Adds to it."""
    sender = ""
    try:
        message = stored_message(inbound)
        sender = message.sender
        if held is not None and sender in held:
            return inbound
        content = render(message)
        fetched = fetch(content.media)  # before the transaction: it is a network call
        with transaction.atomic():
            _take(inbound)
            _one_sender_at_a_time(sender)
            _file(inbound, message, content, fetched, unit)
    except _Busy:
        pass
    except _Taken:
        inbound.refresh_from_db()
    except Exception as error:
        # A busy or lost database is worth a few more tries; anything else is the
        # message's own problem: quarantine it, and the messages after it go on.
        passing = isinstance(error, OperationalError) and inbound.attempts + 1 < PASSING_ATTEMPTS
        logger.exception(
            "whatsapp: message %s %s",
            inbound.dedupe_key,
            "failed, will retry" if passing else "quarantined",
        )
        InboundMessage.objects.filter(pk=inbound.pk, outcome=Outcome.PENDING).update(
            outcome=Outcome.PENDING if passing else Outcome.QUARANTINED,
            error=f"{type(error).__name__}: {error}"[:5000],
            attempts=F("attempts") + 1,
            processed_at=timezone.now(),
        )
        inbound.refresh_from_db()
    if held is not None and sender and inbound.outcome == Outcome.PENDING:
        held.add(sender)
    return inbound


def stored_message(inbound: InboundMessage) -> Message:
    try:
        value = json.loads(bytes(inbound.raw))
    except ValueError as error:
        raise PayloadError(f"the stored message is not JSON: {error}") from None
    messages = parse_value(value).messages if isinstance(value, dict) else ()
    if not messages:
        raise PayloadError("the stored record holds no message")
    return messages[0]


def fetch(media: MediaRef | None) -> Fetched:
    """Download a message's file through the gateway and check it against the
    attachment rules; a failure becomes a note on the article, never a lost message."""
    if media is None:
        return Fetched()
    limit = settings.PINTU_ATTACHMENT_MAX_BYTES
    try:
        file = gateways.gateway().download_media(media.id, max_bytes=limit)
    except gateways.GatewayError as error:
        if error.temporary:
            note = _(
                "The file (WhatsApp media %(id)s) could not be downloaded yet: %(error)s. "
                "Pintu will try again."
            )
            reason = Reason.MEDIA_PENDING
        else:
            note = _("The file (WhatsApp media %(id)s) could not be downloaded: %(error)s.")
            reason = Reason.MEDIA_FAILED
        return Fetched(None, note % {"id": media.id, "error": error}, reason, str(error))
    upload = Upload(
        name=media.filename,
        content_type=(media.mime_type or file.mime_type)[:100],
        data=file.data,
    )
    try:
        validate_upload(upload)
    except ValidationError as error:
        text = " ".join(error.messages)
        note = _("The file %(name)s (WhatsApp media %(id)s) was not kept: %(error)s")
        note %= {"name": media.filename, "id": media.id, "error": text}
        return Fetched(None, note, Reason.MEDIA_REFUSED, text)
    return Fetched(upload)


def _file(
    inbound: InboundMessage,
    message: Message,
    content: Content,
    fetched: Fetched,
    unit: Unit | None,
) -> None:
    sender = message.sender
    if not (sender.isdigit() and len(sender) <= 20):
        raise ValueError(f"the sender {sender!r} is not a WhatsApp number")
    if unit is None:
        raise LookupError(f"PINTU_WHATSAPP_UNIT={settings.PINTU_WHATSAPP_UNIT!r} is no unit")
    body = f"{content.text}\n\n{fetched.note}" if fetched.note else content.text
    uploads = [fetched.upload] if fetched.upload else []
    # The clock starts when WhatsApp received the message (not later, when we read it),
    # but never after it reached us: a sender's clock may be wrong.
    arrived = min(message.timestamp or inbound.received_at, inbound.received_at)
    name = message.sender_name or f"+{sender}"
    # Links a known person by number (and remembers the number for the next message).
    contact = contact_for(name=message.sender_name, phone=sender)
    ticket = open_ticket(unit, contact)
    article: Article | None = None
    if ticket is not None:
        known = contact.user if contact.user_id == ticket.requester_id else None
        article = ticket_requester_message(
            ticket=ticket,
            body=body,
            door=Door.WHATSAPP,
            author=known,
            author_name=name,
            uploads=uploads,
            external_id=message.id,
            now=arrived,
        )
        inbound.outcome = Outcome.APPENDED
    elif content.follow_up:
        inbound.outcome = Outcome.IGNORED
        inbound.reason = Reason.NO_OPEN_REQUEST
    else:
        ticket, article = ticket_create(
            actor=None,
            service_type=default_service(unit),
            requester=contact,
            opening=Opening(
                subject=content.subject or _("WhatsApp from %(name)s") % {"name": name},
                body=body,
                uploads=uploads,
                external_id=message.id,
            ),
            door=Door.WHATSAPP,
            now=arrived,
        )
        inbound.outcome = Outcome.CREATED
    if article is not None and fetched.reason:
        inbound.reason, inbound.error = fetched.reason, fetched.error
    inbound.ticket, inbound.article = ticket, article
    inbound.attempts += 1
    inbound.processed_at = timezone.now()
    # The claim: of two workers that filed the same message, only one finds it still
    # pending here; the other's transaction is undone.
    claimed = InboundMessage.objects.filter(pk=inbound.pk, outcome=Outcome.PENDING).update(
        outcome=inbound.outcome,
        reason=inbound.reason,
        error=inbound.error,
        ticket=ticket,
        article=article,
        attempts=inbound.attempts,
        processed_at=inbound.processed_at,
    )
    if not claimed:
        raise _Taken


def open_ticket(unit: Unit, contact: Contact) -> Ticket | None:
    """The open request of ``unit`` last active with ``contact`` (a number) as its
    contact, or as its requester through the person the number belongs to. Two lookups,
    each served by its own index, rather than one OR the planner cannot."""
    active = (
        Ticket.objects.filter(unit=unit, status__in=ACTIVE_STATUSES)
        .order_by("-updated_at", "-id")
        .only("id", "updated_at", "requester_id")  # the filing service locks and reads it
    )
    found = [active.filter(contact=contact).first()]
    if contact.user_id is not None:
        found.append(active.filter(requester_id=contact.user_id).first())
    candidates = [t for t in found if t is not None]
    return max(candidates, key=lambda t: (t.updated_at, t.pk)) if candidates else None


def _one_sender_at_a_time(sender: str) -> None:
    """Two workers filing two messages of one sender at once would both find no open
    request and open two. PostgreSQL: a transaction-scoped advisory lock per number.
    SQLite needs none: its write transactions already run one at a time."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"pintu-whatsapp:{sender}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


# ---------------------------------------------------------------- files asked for again


def retry_media_one(*, now: datetime) -> InboundMessage | None:
    """Ask again for the file of one article whose download failed for a passing reason
    (the Graph API down, a timeout) and attach it to that article."""
    inbound = (
        InboundMessage.objects.filter(
            door=InboundMessage.Door.WHATSAPP,
            reason=Reason.MEDIA_PENDING,
            processed_at__lte=now - MEDIA_RETRY_AFTER,
        )
        .order_by("processed_at", "id")
        .first()
    )
    if inbound is None:
        return None
    fetched = fetch(render(stored_message(inbound)).media)
    with transaction.atomic():
        locked = (
            InboundMessage.objects.select_for_update(of=("self",))
            .select_related("article")
            .get(pk=inbound.pk)
        )
        if locked.reason != Reason.MEDIA_PENDING:
            return locked
        locked.attempts += 1
        locked.processed_at = now
        if fetched.upload is not None and locked.article is not None:
            article_attach(locked.article, [fetched.upload])
            locked.reason, locked.error = "", ""
        else:
            gave_up = fetched.reason != Reason.MEDIA_PENDING or locked.attempts >= MEDIA_ATTEMPTS
            locked.reason = Reason.MEDIA_FAILED if gave_up else Reason.MEDIA_PENDING
            locked.error = fetched.error
        locked.save(update_fields=["reason", "error", "attempts", "processed_at"])
    return locked


# ---------------------------------------------------------------- the worker's job


@dataclass
class IngestRun:
    deliveries: int = 0
    messages: int = 0
    media: int = 0
    finished: bool = False  # False: stopped at the time limit with work left


def ingest(*, time_limit: float = 50.0) -> IngestRun:
    """Unpack every stored body, then file every pending message, then retry due files,
    for at most ``time_limit`` seconds."""
    deadline = time.monotonic() + time_limit
    run = IngestRun()
    failed: set[int] = set()
    unit = Unit.objects.filter(code=settings.PINTU_WHATSAPP_UNIT).first()
    while time.monotonic() < deadline:
        deliveries = unpack(skip=failed)
        if not deliveries:
            break
        run.deliveries += len(deliveries)
        failed.update(d.pk for d in deliveries if d.processed_at is None)  # a later run
    else:
        return run
    while time.monotonic() < deadline:
        batch = pending(BATCH)
        if not batch:
            break
        held: set[str] = set()
        for inbound in batch:
            if time.monotonic() >= deadline:
                return run
            if process(inbound, unit=unit, held=held).outcome != Outcome.PENDING:
                run.messages += 1
        if all(inbound.outcome == Outcome.PENDING for inbound in batch):
            # Each is another worker's now or waits to be tried again: a later run.
            break
    else:
        return run
    now = timezone.now()
    while time.monotonic() < deadline:
        if retry_media_one(now=now) is None:
            break
        run.media += 1
    else:
        return run
    run.finished = True
    return run
