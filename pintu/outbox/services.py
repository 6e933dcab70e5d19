"""Writes to the outbox: queue a message or a job, send a failed row again, and record
what the transports tell us later (a bounce, a WhatsApp delivery status).

Who may retry which row is the caller's rule (the desk checks that the person works on
the ticket; the admin site is for admins): the outbox knows no tickets or people.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.outbox.models import OutboxItem
from pintu.outbox.tasks import deliver_now

Status = OutboxItem.Status


# While set, rows queued for a moment before it are records of a past being written
# down, not messages to send now (``recording_history``).
_HISTORY_BEFORE: ContextVar[datetime | None] = ContextVar("outbox_history_before", default=None)


@contextmanager
def recording_history(*, before: datetime) -> Iterator[None]:
    """Within this block, a message or job queued for a moment before ``before`` is
    recorded as sent at that moment and gets no delivery: it belongs to a past that is
    being written down (the demo's year, an import from an earlier help desk), whose
    requesters were answered back then. What falls at or after ``before`` is sent."""
    token = _HISTORY_BEFORE.set(before)
    try:
        yield
    finally:
        _HISTORY_BEFORE.reset(token)


def _settled(at: datetime | None) -> dict[str, Any]:
    """The row's moment and, for a row of the past being recorded, that it was sent then
    (a row to send is due at once, whatever moment its cause had)."""
    moment = at or timezone.now()
    before = _HISTORY_BEFORE.get()
    if before is not None and moment < before:
        return {
            "created_at": moment,
            "next_attempt_at": moment,
            "status": Status.SENT,
            "sent_at": moment,
        }
    return {"created_at": moment}


def _deliver_after_commit(item: OutboxItem) -> None:
    if item.status == Status.SENT:
        return  # recorded history: nothing to send
    # robust: the cause has committed by now; a queue that cannot take the task must
    # not turn it into an error (the periodic deliver_due picks the row up anyway).
    transaction.on_commit(lambda: deliver_now.enqueue(item.pk), robust=True)


def _in_cause_transaction(what: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} must run inside the transaction of its cause")


def _generic(obj: models.Model | None) -> tuple[ContentType | None, int | None]:
    if obj is None:
        return None, None
    return ContentType.objects.get_for_model(obj), obj.pk


def message_queue(
    *,
    transport: str,
    purpose: str,
    recipient: str,
    body_text: str,
    subject: str = "",
    cause: models.Model | None = None,
    source: models.Model | None = None,
    at: datetime | None = None,
) -> OutboxItem:
    """Queue a message; call inside the transaction of the change that causes it (``at``
    is that change's moment). Once that commits, a task delivers it at once."""
    _in_cause_transaction("message_queue")
    cause_type, cause_id = _generic(cause)
    source_type, source_id = _generic(source)
    item = OutboxItem.objects.create(
        transport=transport,
        purpose=purpose,
        recipient=recipient,
        subject=subject[:300],
        body_text=body_text,
        cause_type=cause_type,
        cause_id=cause_id,
        source_type=source_type,
        source_id=source_id,
        **_settled(at),
    )
    _deliver_after_commit(item)
    return item


def job_queue(
    *,
    transport: str,
    payload: dict[str, Any],
    idempotency_key: str,
    cause: models.Model | None = None,
    source: models.Model | None = None,
    at: datetime | None = None,
) -> OutboxItem:
    """Queue a job for an outside system (create a directory entry, update a course) in
    the transaction of its cause. A job is known by its ``idempotency_key``: asking
    again for the same key returns the row already queued instead of a second one."""
    _in_cause_transaction("job_queue")
    if not idempotency_key.strip():
        raise ValueError("a job needs an idempotency key")
    existing = OutboxItem.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    cause_type, cause_id = _generic(cause)
    source_type, source_id = _generic(source)
    item = OutboxItem.objects.create(
        transport=transport,
        purpose=OutboxItem.Purpose.JOB,
        payload=payload,
        idempotency_key=idempotency_key[:200],
        cause_type=cause_type,
        cause_id=cause_id,
        source_type=source_type,
        source_id=source_id,
        **_settled(at),
    )
    _deliver_after_commit(item)
    return item


@transaction.atomic
def item_retry(
    *, actor: Any, item: OutboxItem, unit: Any = None, now: datetime | None = None
) -> OutboxItem:
    """Send a dead letter (or a failed row waiting for its next try) again, with a fresh
    count of attempts. The caller has checked that ``actor`` may; ``unit`` files the
    audit row under the unit whose record caused it."""
    item = OutboxItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in (Status.DEAD, Status.FAILED):
        raise ValidationError(_("Only a message that failed can be sent again."))
    before = {"status": item.status, "attempts": item.attempts}
    item.status = Status.PENDING
    item.attempts = 0
    item.next_attempt_at = now or timezone.now()
    item.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        actor=actor,
        action="outbox.retry",
        obj=item,
        before={**before, "last_error": item.last_error},
        after={"status": item.status, "attempts": 0},
        unit=unit,
    )
    _deliver_after_commit(item)
    return item


def _message_id_forms(message_id: str) -> list[str]:
    bare = message_id.strip().strip("<>")
    return [f"<{bare}>", bare]


def delivery_bounced(*, transport: str, message_id: str, reason: str) -> bool:
    """A bounce names one of our messages on ``transport`` (by the id the transport gave
    it; for e-mail the Message-ID, with or without angle brackets): it never arrived,
    so it becomes a dead letter with the bounce's reason. Returns whether the id is
    one of ours."""
    if not message_id.strip():
        return False
    matches = OutboxItem.objects.filter(
        transport=transport, external_id__in=_message_id_forms(message_id)
    )
    if not matches.exists():
        return False
    matches.exclude(status=Status.DEAD).update(
        status=Status.DEAD, last_error=f"bounced: {reason}"[:2000]
    )
    return True


# WhatsApp reports sent, delivered and read in any order (and more than once); a status
# only ever moves forward.
_PROGRESS = {Status.SENT: 1, Status.DELIVERED: 2, Status.READ: 3}


def delivery_status(*, external_id: str, status: str, error: str = "") -> bool:
    """Record a transport's report on a message it accepted (WhatsApp status callbacks:
    ``sent``, ``delivered``, ``read``, ``failed`` with its error). Returns whether
    ``external_id`` names one of our messages, whether or not its status moved."""
    if status not in ("sent", "delivered", "read", "failed"):
        raise ValueError(f"unknown delivery status {status!r}")
    matches = OutboxItem.objects.filter(external_id=external_id) if external_id else None
    if matches is None or not matches.exists():
        return False
    if status == "failed":
        # Read proves it arrived; a late failure report cannot undo that.
        matches.exclude(status__in=[Status.READ, Status.DEAD]).update(
            status=Status.DEAD, last_error=error or "failed"
        )
        return True
    target = Status(status)
    earlier = [s for s, rank in _PROGRESS.items() if rank < _PROGRESS[target]]
    matches.filter(status__in=earlier).update(status=target)
    return True
