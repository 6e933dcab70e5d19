"""What the desk's services share: locking and saving a ticket, its audit rows, and the
deadlines refreshed from its transitions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk.models import Door, Ticket
from pintu.desk.texts import shorten, too_long
from pintu.sla.calendars import CalendarCache
from pintu.sla.deadlines import Clock, ticket_deadlines


def message_text(body: str, door: str) -> str:
    """A message's text within ``PINTU_MESSAGE_MAX_CHARS``: what a door brought (a mail,
    a chat message) is shortened, its whole text kept in the original message the door
    keeps; what a person typed into Pintu (the portal, the staff pages, the API; ``door``
    is then the request's) is refused when longer."""
    limit = settings.PINTU_MESSAGE_MAX_CHARS
    if not too_long(body, limit):
        return body
    if door in (Door.EMAIL, Door.WHATSAPP):
        return shorten(body, limit, _("[Shortened: the whole message is in the original.]"))
    raise ValidationError(
        _("The text is %(length)s characters long; at most %(limit)s are accepted.")
        % {"length": f"{len(body):,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")}
    )


def now_or_current(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def snapshot(ticket: Ticket, names: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(ticket, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = str(value)
        values[name] = value
    return values


def audit(
    actor: Any,
    action: str,
    ticket: Ticket,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    audit_record(
        actor=actor, action=action, obj=ticket, before=before, after=after, unit=ticket.unit
    )


def refresh_deadlines(ticket: Ticket, calendars: CalendarCache | None = None) -> None:
    """Recompute the stored deadlines from the ticket's transitions."""
    calendars = calendars or CalendarCache()
    service = ticket.service_type
    local_year = timezone.localtime(ticket.received_at).year
    pauses = [(p.started_at, p.ended_at) for p in ticket.pauses.all()] if ticket.pk else []
    deadlines = ticket_deadlines(
        Clock.for_service(
            calendar=calendars.get(ticket.unit, local_year),
            received_at=ticket.received_at,
            first_response=service.first_response,
            resolution=service.resolution,
            clock=service.clock,
            pauses=pauses,
            first_response_at=ticket.first_response_at,
            resolved_at=ticket.resolved_at,
        )
    )
    ticket.first_response_due_at = deadlines.first_response_due_at
    ticket.resolution_due_at = deadlines.resolution_due_at
    ticket.next_due_at = deadlines.next_due_at
    ticket.next_warn_at = deadlines.next_warn_at
    ticket.next_escalate_at = deadlines.next_escalate_at


DEADLINE_FIELDS = [
    "first_response_due_at",
    "resolution_due_at",
    "next_due_at",
    "next_warn_at",
    "next_escalate_at",
]


def save_changed(ticket: Ticket, fields: Iterable[str]) -> None:
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=[*fields, "updated_at"])


def lock_ticket(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("unit", "service_type__sop", "requester", "contact")
        .get(pk=ticket.pk)
    )
