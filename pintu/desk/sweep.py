"""The SLA sweep: warn the assignee before a deadline, escalate to the supervisor after.

Each ticket's ``next_warn_at`` / ``next_escalate_at`` is claimed with a conditional
UPDATE that clears it, so several workers never notify twice; the event row's unique
constraint (ticket, kind, deadline, due time) backs that up. Notifications are outbox
rows written in the same transaction as the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pintu.core.moments import stamp
from pintu.desk.models import Door, Ticket, TicketEvent
from pintu.org.models import Membership, Role, User
from pintu.outbox.services import message_queue
from pintu.sla.calendars import zone_for_unit


@dataclass(frozen=True)
class SweepResult:
    warned: int = 0
    escalated: int = 0


def sweep(now: datetime, batch: int = 500) -> SweepResult:
    """One pass: every ticket whose warning or escalation moment has come."""
    warned = escalated = 0
    due_warnings = Ticket.objects.filter(next_warn_at__lte=now).values_list("pk", "next_warn_at")
    for pk, moment in due_warnings.order_by("next_warn_at")[:batch]:
        assert moment is not None  # filtered on it
        warned += _notify(pk, "next_warn_at", moment, TicketEvent.Kind.SLA_WARNING, now)
    due_escalations = Ticket.objects.filter(next_escalate_at__lte=now).values_list(
        "pk", "next_escalate_at"
    )
    for pk, moment in due_escalations.order_by("next_escalate_at")[:batch]:
        assert moment is not None  # filtered on it
        escalated += _notify(pk, "next_escalate_at", moment, TicketEvent.Kind.SLA_ESCALATION, now)
    return SweepResult(warned=warned, escalated=escalated)


def _notify(pk: int, field: str, moment: datetime, kind: str, now: datetime) -> int:
    with transaction.atomic():
        claimed = Ticket.objects.filter(pk=pk, **{field: moment}).update(**{field: None})
        if not claimed:
            return 0  # another worker took it, or the ticket moved on
        ticket = Ticket.objects.select_related("unit", "assignee").get(pk=pk)
        if ticket.first_response_at is None:
            deadline, due = "first_response", ticket.first_response_due_at
        else:
            deadline, due = "resolution", ticket.resolution_due_at
        recipients = (
            _escalation_recipients(ticket)
            if kind == TicketEvent.Kind.SLA_ESCALATION
            else _warning_recipients(ticket)
        )
        try:
            with transaction.atomic():
                TicketEvent.objects.create(
                    ticket=ticket,
                    kind=kind,
                    deadline=deadline,
                    due_at=due,
                    at=now,
                    recipient=recipients[0] if recipients else None,
                    detail={"recipients": [user.username for user in recipients]},
                )
        except IntegrityError:
            return 0  # already recorded for this deadline
        for user in recipients:
            if user.email:
                message_queue(
                    transport=Door.EMAIL,
                    purpose="notification",
                    recipient=user.email,
                    subject=_subject(ticket, kind, deadline),
                    body_text=_body(ticket, deadline, due),
                    cause=ticket,
                    at=now,
                )
        return 1


def _warning_recipients(ticket: Ticket) -> list[User]:
    if ticket.assignee is not None:
        return [ticket.assignee]
    return _unit_people(ticket, (Role.STAFF,)) or _escalation_recipients(ticket)


def _escalation_recipients(ticket: Ticket) -> list[User]:
    return _unit_people(ticket, (Role.SUPERVISOR,)) or _unit_people(ticket, (Role.HEAD,))


def _unit_people(ticket: Ticket, roles: tuple[Role, ...]) -> list[User]:
    memberships = Membership.objects.filter(unit=ticket.unit, role__in=roles, user__is_active=True)
    return [m.user for m in memberships.select_related("user").order_by("user__username")]


def _subject(ticket: Ticket, kind: str, deadline: str) -> str:
    what = _("first response") if deadline == "first_response" else _("completion")
    if kind == TicketEvent.Kind.SLA_ESCALATION:
        text = _("Deadline passed (%(what)s)") % {"what": what}
    else:
        text = _("Deadline approaching (%(what)s)") % {"what": what}
    return f"[{ticket.reference}] {text}: {ticket.subject}"


def _body(ticket: Ticket, deadline: str, due: datetime) -> str:
    return _("%(reference)s (%(unit)s) is due %(due)s.") % {
        "reference": ticket.reference,
        "unit": ticket.unit.code,
        "due": stamp(due, zone_for_unit(ticket.unit)),
    }
