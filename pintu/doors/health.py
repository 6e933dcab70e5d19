"""Reads of the doors for monitoring (``/healthz``): when each door last let a message in,
and how many mailboxes fail to be read. No addresses or errors: ``/healthz`` answers
anyone; staff see the details on the quarantine and mailbox pages."""

from __future__ import annotations

from typing import Any

from pintu.doors.models import InboundMessage, Mailbox

FILED = [
    InboundMessage.Outcome.CREATED,
    InboundMessage.Outcome.APPENDED,
    InboundMessage.Outcome.IGNORED,
]


def door_health() -> dict[str, dict[str, Any]]:
    health: dict[str, dict[str, Any]] = {}
    for door in InboundMessage.Door:
        last = (
            InboundMessage.objects.filter(door=door, outcome__in=FILED)
            .order_by("-received_at")
            .values_list("received_at", flat=True)
            .first()
        )
        health[door.value] = {
            "last_success_at": last.isoformat() if last else None,
            "waiting": InboundMessage.objects.filter(
                door=door, outcome=InboundMessage.Outcome.PENDING
            ).count(),
        }
    mailboxes = Mailbox.objects.filter(is_active=True)
    last_read = (
        mailboxes.exclude(last_polled_at=None)
        .order_by("-last_polled_at")
        .values_list("last_polled_at", flat=True)
        .first()
    )
    health["email"].update(
        mailboxes=mailboxes.count(),
        mailboxes_failing=mailboxes.exclude(last_error="").count(),
        last_read_at=last_read.isoformat() if last_read else None,
    )
    return health
