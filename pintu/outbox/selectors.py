"""Reads of the outbox for pages: what staff must know about messages that never left."""

from __future__ import annotations

from django.db.models import QuerySet

from pintu.desk.models import Ticket
from pintu.outbox.models import OutboundMessage


def dead_letters(ticket: Ticket) -> QuerySet[OutboundMessage]:
    """The ticket's messages that were given up on (refused, bounced, out of attempts),
    newest first, for the ticket page to show with a retry button."""
    return OutboundMessage.objects.filter(
        ticket=ticket, status=OutboundMessage.Status.DEAD
    ).order_by("-created_at", "-id")
