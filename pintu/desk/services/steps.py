"""The SOP steps of a ticket: made from its service's activities when it opens, completed
one by one against their Mutu Baku, closed when the ticket is resolved."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.desk import access
from pintu.desk.models import Step, Ticket
from pintu.desk.services.common import audit, now_or_current
from pintu.org.models import User
from pintu.sla.calendars import CalendarCache
from pintu.sla.clock import due_at, parse_target, working_minutes_between
from pintu.sop.definition import Definition
from pintu.sop.models import Activity


def _requester_roles(definition: Definition) -> set[str]:
    return set(definition.requester_roles)


def steps_create(ticket: Ticket, received_at: datetime) -> None:
    """The service's activities become the ticket's steps. Leading steps that the
    requester performs (sending the request) are done on arrival."""
    service = ticket.service_type
    definition = service.sop.parsed()
    requester_roles = _requester_roles(definition)
    keys = service.definition().activities
    rows = {a.key: a for a in Activity.objects.filter(sop=service.sop, key__in=keys)}
    steps = []
    leading = True
    for position, key in enumerate(keys, start=1):
        activity = rows[key]
        step = Step(ticket=ticket, activity=activity, position=position)
        if leading and activity.actor in requester_roles:
            step.state = Step.State.DONE
            step.started_at = step.finished_at = received_at
            step.output = activity.output
            step.elapsed_minutes = 0
            step.within_standard = True
        elif leading:
            step.state = Step.State.ACTIVE
            step.started_at = received_at
            leading = False
        steps.append(step)
    Step.objects.bulk_create(steps)


def steps_close_open(ticket: Ticket, now: datetime) -> None:
    """Steps nobody took when the ticket is resolved are marked not taken."""
    ticket.steps.filter(state__in=[Step.State.PENDING, Step.State.ACTIVE]).update(
        state=Step.State.SKIPPED
    )


@transaction.atomic
def ticket_complete_step(
    *,
    actor: User,
    step: Step,
    output: str = "",
    branch: str = "",
    now: datetime | None = None,
) -> Step:
    """Record a step as done with its output, timed against its Mutu Baku; start the
    next one (or the chosen branch, leaving the other branches not taken)."""
    now = now_or_current(now)
    step = (
        Step.objects.select_for_update(of=("self",))
        .select_related("activity", "ticket__unit", "ticket__service_type__sop")
        .get(pk=step.pk)
    )
    ticket = step.ticket
    access.require_work(actor, ticket)
    if step.state != Step.State.ACTIVE:
        raise ValidationError(_("Only the step in progress can be completed."))
    definition = ticket.service_type.sop.parsed()
    activity = definition.activity(step.activity.key)
    steps = list(ticket.steps.select_related("activity").order_by("position"))
    by_key = {s.activity.key: s for s in steps}
    if activity.next:
        choices = {b.to: b for b in activity.next}
        if branch not in choices:
            raise ValidationError(
                _("Choose what happens next: %(choices)s")
                % {"choices": "; ".join(b.when for b in activity.next)}
            )
        following = [by_key[branch]] if branch in by_key else []
        for other in choices:
            if other != branch and other in by_key:
                skipped = by_key[other]
                skipped.state = Step.State.SKIPPED
                skipped.save(update_fields=["state"])
    elif activity.end:
        following = []
    else:
        following = [s for s in steps if s.position == step.position + 1]
    assert step.started_at is not None  # an active step has started
    calendar = CalendarCache().get(ticket.unit, timezone.localtime(step.started_at).year)
    step.state = Step.State.DONE
    step.finished_at = now
    step.done_by = actor
    step.output = output or step.activity.output
    step.branch = branch
    step.elapsed_minutes = working_minutes_between(calendar, step.started_at, now)
    if step.activity.time_standard:
        # Within the Mutu Baku when done by the deadline that standard sets from the
        # step's start, on the unit's working clock.
        standard = parse_target(step.activity.time_standard)
        step.within_standard = now <= due_at(calendar, step.started_at, standard)
    step.save(
        update_fields=[
            "state",
            "finished_at",
            "done_by",
            "output",
            "branch",
            "elapsed_minutes",
            "within_standard",
        ]
    )
    for nxt in following:
        if nxt.state == Step.State.PENDING:
            nxt.state = Step.State.ACTIVE
            nxt.started_at = now
            nxt.save(update_fields=["state", "started_at"])
    audit(
        actor,
        "ticket.step",
        ticket,
        None,
        {
            "step": step.position,
            "activity": step.activity.key,
            "output": step.output,
            "branch": branch,
            "elapsed_minutes": step.elapsed_minutes,
            "within_standard": step.within_standard,
        },
    )
    return step
