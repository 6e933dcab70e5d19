"""Reads of the outbox for pages: what staff must know about rows that never left."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, QuerySet

from pintu.outbox.delivery import TRANSPORTS
from pintu.outbox.models import OutboxItem


def dead_letters(cause: models.Model) -> QuerySet[OutboxItem]:
    """The messages and jobs of ``cause`` (a ticket) that were given up on (refused,
    bounced, out of attempts), newest first, for its page to show with a retry button."""
    return OutboxItem.objects.filter(
        cause_type=ContentType.objects.get_for_model(cause),
        cause_id=cause.pk,
        status=OutboxItem.Status.DEAD,
    ).order_by("-created_at", "-id")


def transport_health() -> dict[str, dict[str, Any]]:
    """Per transport (a door out, or an outside system: ldap, moodle, ...), for
    monitoring: when it last succeeded, what waits, what is failing or given up on."""
    sent = [OutboxItem.Status.SENT, OutboxItem.Status.DELIVERED, OutboxItem.Status.READ]
    waiting = [OutboxItem.Status.PENDING, OutboxItem.Status.FAILED, OutboxItem.Status.SENDING]
    counts = (
        OutboxItem.objects.filter(status__in=[*waiting, OutboxItem.Status.DEAD])
        .values("transport", "status")
        .annotate(n=Count("id"))
    )
    health: dict[str, dict[str, Any]] = {}
    for name in sorted({*TRANSPORTS, *(row["transport"] for row in counts)}):
        last = (
            OutboxItem.objects.filter(transport=name, status__in=sent, sent_at__isnull=False)
            .order_by("-sent_at")
            .values_list("sent_at", flat=True)
            .first()
        )
        health[name] = {
            "last_success_at": last.isoformat() if last else None,
            "waiting": 0,
            "failing": 0,
            "given_up": 0,
        }
    for row in counts:
        key = {"failed": "failing", "dead": "given_up"}.get(row["status"], "waiting")
        health[row["transport"]][key] += row["n"]
    return health
