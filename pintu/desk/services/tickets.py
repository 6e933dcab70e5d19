"""A ticket's own state: its status (which pauses and stops the clock), assignee, the
service's fields and the requester's rating; several tickets at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.desk import access, search
from pintu.desk.models import DONE_STATUSES, PAUSED_STATUSES, Article, Pause, Status, Step, Ticket
from pintu.desk.services.common import (
    DEADLINE_FIELDS,
    audit,
    lock_ticket,
    now_or_current,
    refresh_deadlines,
    save_changed,
    snapshot,
)
from pintu.desk.services.notify import ask_for_rating
from pintu.org.models import User
from pintu.sop.definition import Field
from pintu.sop.models import ServiceType


def clean_fields(
    service_type: ServiceType, values: dict[str, Any], *, check_fields: bool = True
) -> dict[str, Any]:
    """Keep the service's declared fields; check the required ones and the choices
    unless ``check_fields`` is off (intake from a door stores what arrived)."""
    cleaned: dict[str, Any] = {}
    for field in service_type.definition().fields:
        value = field_value(field, values.get(field.key, ""), check=check_fields)
        if value not in ("", None):
            cleaned[field.key] = value
    return cleaned


def field_value(field: Field, value: Any, *, check: bool = True) -> Any:
    """One declared field's value, stripped; with ``check``, a required field must have
    one and a choice field one of its choices."""
    value = value.strip() if isinstance(value, str) else value
    if check and field.required and value in ("", None):
        raise ValidationError(_("%(label)s is required.") % {"label": field.label})
    if check and field.choices and value not in ("", None) and value not in field.choices:
        raise ValidationError(
            _("%(label)s must be one of: %(choices)s")
            % {"label": field.label, "choices": ", ".join(field.choices)}
        )
    return value


def steps_close_open(ticket: Ticket, now: datetime) -> None:
    """Steps nobody took when the ticket is resolved are marked not taken."""
    ticket.steps.filter(state__in=[Step.State.PENDING, Step.State.ACTIVE]).update(
        state=Step.State.SKIPPED
    )


ALLOWED_MOVES: dict[str, set[str]] = {
    Status.NEW: {
        Status.OPEN,
        Status.WAITING_REQUESTER,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.OPEN: {
        Status.WAITING_REQUESTER,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.WAITING_REQUESTER: {
        Status.OPEN,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.WAITING_THIRD_PARTY: {
        Status.OPEN,
        Status.WAITING_REQUESTER,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.RESOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
}


@transaction.atomic
def ticket_set_status(
    *,
    actor: Any,
    ticket: Ticket,
    status: str,
    now: datetime | None = None,
    by_requester: bool = False,
) -> Ticket:
    """Move a ticket; waiting statuses pause the clock, resolving stops it, reopening
    starts it again from the original deadline plus the pauses."""
    now = now_or_current(now)
    ticket = lock_ticket(ticket)
    if not by_requester:
        access.require_work(actor, ticket)
    if status not in Status.values:
        raise ValidationError(_("Unknown status %(status)s.") % {"status": status})
    if status == ticket.status:
        return ticket
    if status not in ALLOWED_MOVES[ticket.status]:
        raise ValidationError(
            _("A request cannot go from %(old)s to %(new)s.")
            % {"old": Status(ticket.status).label, "new": Status(status).label}
        )
    before = snapshot(ticket, ["status", "resolved_at", "closed_at"])
    was_paused = ticket.status in PAUSED_STATUSES
    if was_paused:
        Pause.objects.filter(ticket=ticket, ended_at__isnull=True).update(ended_at=now)
    if status in PAUSED_STATUSES:
        Pause.objects.create(ticket=ticket, started_at=now, reason=status)
    if status == Status.RESOLVED:
        ticket.resolved_at = now
        steps_close_open(ticket, now)
    elif status == Status.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    elif ticket.status in DONE_STATUSES:  # reopen
        ticket.resolved_at = None
        ticket.closed_at = None
    ticket.status = status
    ticket.paused_at = now if status in PAUSED_STATUSES else None
    refresh_deadlines(ticket)
    save_changed(ticket, ["status", "resolved_at", "closed_at", "paused_at", *DEADLINE_FIELDS])
    audit(
        actor,
        "ticket.status",
        ticket,
        before,
        snapshot(ticket, ["status", "resolved_at", "closed_at"]),
    )
    if status == Status.RESOLVED:
        ask_for_rating(ticket, now)
    return ticket


@transaction.atomic
def ticket_assign(*, actor: User, ticket: Ticket, assignee: User | None) -> Ticket:
    ticket = lock_ticket(ticket)
    access.require_work(actor, ticket)
    if assignee is not None and not access.can_work_in(assignee, ticket.unit):
        raise ValidationError(
            _("%(person)s does not work in %(unit)s.") % {"person": assignee, "unit": ticket.unit}
        )
    before = snapshot(ticket, ["assignee"])
    ticket.assignee = assignee
    save_changed(ticket, ["assignee"])
    audit(actor, "ticket.assign", ticket, before, snapshot(ticket, ["assignee"]))
    return ticket


@transaction.atomic
def ticket_rate(
    *, actor: User, ticket: Ticket, score: int, comment: str = "", now: datetime | None = None
) -> Ticket:
    ticket = lock_ticket(ticket)
    if not access.is_requester_of(actor, ticket):
        raise PermissionDenied
    if ticket.status not in DONE_STATUSES:
        raise ValidationError(_("A request can be rated once it is resolved."))
    if not 1 <= int(score) <= 5:
        raise ValidationError(_("Give a rating from 1 to 5."))
    if ticket.csat_score is not None:
        # A rating is evidence for the accreditation: given once, never rewritten.
        raise ValidationError(_("This request has already been rated."))
    before = snapshot(ticket, ["csat_score", "csat_comment"])
    ticket.csat_score = int(score)
    ticket.csat_comment = comment.strip()
    ticket.csat_at = now_or_current(now)
    save_changed(ticket, ["csat_score", "csat_comment", "csat_at"])
    audit(actor, "ticket.rate", ticket, before, snapshot(ticket, ["csat_score", "csat_comment"]))
    return ticket


def tickets_bulk(
    *,
    actor: User,
    tickets: Iterable[Ticket],
    assignee: User | None = None,
    unassign: bool = False,
    status: str | None = None,
) -> int:
    """Assign (or, with ``unassign``, leave to nobody) and/or move several tickets; each
    in its own transaction and audit row."""
    if unassign and assignee is not None:
        raise ValueError("unassign and an assignee exclude each other")
    count = 0
    for ticket in tickets:
        if assignee is not None or unassign:
            ticket_assign(actor=actor, ticket=ticket, assignee=assignee)
        if status is not None:
            ticket_set_status(actor=actor, ticket=ticket, status=status)
        count += 1
    return count


@transaction.atomic
def ticket_update_fields(*, actor: User, ticket: Ticket, fields: Mapping[str, Any]) -> Ticket:
    """Staff fill in or correct the service's own fields (a walk-in, an e-mail or a chat
    message often arrives without them). Only the fields given change; each is checked
    as ``clean_fields`` checks it, and a required field that has a value cannot be
    emptied."""
    ticket = lock_ticket(ticket)
    access.require_work(actor, ticket)
    declared = {field.key: field for field in ticket.service_type.definition().fields}
    unknown = sorted(set(fields) - set(declared))
    if unknown:
        raise ValidationError(
            _("This service has no field %(keys)s.") % {"keys": ", ".join(unknown)}
        )
    updated = dict(ticket.fields)
    for key, given in fields.items():
        # A required field left empty may stay empty; one that has a value keeps one.
        has_value = updated.get(key) not in ("", None)
        value = field_value(declared[key], given, check=has_value or given not in ("", None))
        if value in ("", None):
            updated.pop(key, None)
        else:
            updated[key] = value
    changed = sorted(
        key for key in {*ticket.fields, *updated} if ticket.fields.get(key) != updated.get(key)
    )
    if not changed:
        return ticket
    before = {"fields": {key: ticket.fields.get(key) for key in changed}}
    ticket.fields = updated
    ticket.search_text = search_words(ticket)
    save_changed(ticket, ["fields", "search_text"])
    audit(
        actor,
        "ticket.fields",
        ticket,
        before,
        {"fields": {key: updated.get(key) for key in changed}},
    )
    return ticket


def search_words(ticket: Ticket) -> str:
    """The ticket's search words as it reads now (its opening: the first inbound message)."""
    opening = (
        ticket.articles.filter(kind=Article.Kind.INBOUND)
        .order_by("created_at", "id")
        .values_list("body", flat=True)
        .first()
    )
    return search.ticket_document(ticket, opening or "")
