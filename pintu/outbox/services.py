"""Writes to the outbox: queue a message, retry a dead letter, and record what the doors
tell us later (a bounce, a WhatsApp delivery status)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk import access
from pintu.org import access as org_access
from pintu.outbox.models import OutboundMessage
from pintu.outbox.tasks import deliver_now

Status = OutboundMessage.Status


def _deliver_after_commit(message: OutboundMessage) -> None:
    # robust: the cause has committed by now; a queue that cannot take the task must
    # not turn it into an error (the periodic deliver_due picks the message up anyway).
    transaction.on_commit(lambda: deliver_now.enqueue(message.pk), robust=True)


def message_queue(
    *,
    door: str,
    purpose: str,
    recipient: str,
    body_text: str,
    subject: str = "",
    ticket: Any = None,
    article: Any = None,
) -> OutboundMessage:
    """Queue a message; call inside the transaction of the change that causes it. Once
    that commits, a task delivers it at once."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("message_queue must run inside the transaction of its cause")
    message = OutboundMessage.objects.create(
        ticket=ticket,
        article=article,
        door=door,
        purpose=purpose,
        recipient=recipient,
        subject=subject[:300],
        body_text=body_text,
    )
    _deliver_after_commit(message)
    return message


@transaction.atomic
def message_retry(
    *, actor: Any, message: OutboundMessage, now: datetime | None = None
) -> OutboundMessage:
    """Staff send a dead letter (or a failed message waiting for its next try) again,
    with a fresh count of attempts."""
    message = (
        OutboundMessage.objects.select_for_update(of=("self",))
        .select_related("ticket__unit")
        .get(pk=message.pk)
    )
    if message.ticket is not None:
        access.require_work(actor, message.ticket)
    elif not org_access.is_admin(actor):
        raise PermissionDenied
    if message.status not in (Status.DEAD, Status.FAILED):
        raise ValidationError(_("Only a message that failed can be sent again."))
    before = {"status": message.status, "attempts": message.attempts}
    message.status = Status.PENDING
    message.attempts = 0
    message.next_attempt_at = now or timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        actor=actor,
        action="outbox.retry",
        obj=message,
        before={**before, "last_error": message.last_error},
        after={"status": message.status, "attempts": 0},
        unit=message.ticket.unit if message.ticket else None,
    )
    _deliver_after_commit(message)
    return message


def _message_id_forms(message_id: str) -> list[str]:
    bare = message_id.strip().strip("<>")
    return [f"<{bare}>", bare]


def delivery_bounced(*, message_id: str, reason: str) -> bool:
    """A bounce names one of our e-mails (by its Message-ID, with or without angle
    brackets): it never arrived, so it becomes a dead letter with the bounce's reason.
    Returns whether the Message-ID is one of ours."""
    if not message_id.strip():
        return False
    matches = OutboundMessage.objects.filter(
        door="email", external_id__in=_message_id_forms(message_id)
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
    """Record a door's report on a message it accepted (WhatsApp status callbacks:
    ``sent``, ``delivered``, ``read``, ``failed`` with its error). Returns whether
    ``external_id`` names one of our messages, whether or not its status moved."""
    if status not in ("sent", "delivered", "read", "failed"):
        raise ValueError(f"unknown delivery status {status!r}")
    matches = OutboundMessage.objects.filter(external_id=external_id) if external_id else None
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
