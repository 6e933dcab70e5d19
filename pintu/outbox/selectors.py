"""Reads of the outbox for pages: what staff must know about rows that never left."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from pintu.outbox.models import OutboxItem


def dead_letters(cause: models.Model) -> QuerySet[OutboxItem]:
    """The messages and jobs of ``cause`` (a ticket) that were given up on (refused,
    bounced, out of attempts), newest first, for its page to show with a retry button."""
    return OutboxItem.objects.filter(
        cause_type=ContentType.objects.get_for_model(cause),
        cause_id=cause.pk,
        status=OutboxItem.Status.DEAD,
    ).order_by("-created_at", "-id")
