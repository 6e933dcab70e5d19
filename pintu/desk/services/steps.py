"""The SOP steps of a ticket: made from its service's activities when it opens, completed
one by one against their Mutu Baku, closed when the ticket is resolved.

A step the requester performs (the SOP's "Pemohon"/"Pengguna" rows) is the requester's
time: while one is in progress the ticket waits for the requester (its clock paused),
the requester's next message does it, and it is never timed against the unit.

Which step comes next is ``pintu.desk.flow``'s (pure); a step that a unit module acts on
runs that module's registered action (``pintu.desk.actions``) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.desk import access, flow
from pintu.desk.actions import action_for, bound_form
from pintu.desk.models import DONE_STATUSES, Status, Step, Ticket
from pintu.desk.services.common import audit, now_or_current
from pintu.desk.services.tickets import ticket_set_status
from pintu.org.models import User
from pintu.sla.calendars import CalendarCache
from pintu.sla.clock import due_at, parse_target, working_minutes_between
from pintu.sop.definition import Definition
from pintu.sop.models import Activity


def steps_create(ticket: Ticket, received_at: datetime) -> None:
    """The service's activities become the ticket's steps, in the states the flow
    opens them with."""
    service = ticket.service_type
    keys = service.definition().activities
    rows = {a.key: a for a in Activity.objects.filter(sop=service.sop, key__in=keys)}
    steps = []
    states = flow.opening_states(service.sop.parsed(), keys)
    for position, (key, state) in enumerate(zip(keys, states, strict=True), start=1):
        activity = rows[key]
        step = Step(ticket=ticket, activity=activity, position=position, state=state)
        if state == flow.DONE:
            step.started_at = step.finished_at = received_at
            step.output = activity.output
            step.elapsed_minutes = 0
        elif state == flow.ACTIVE:
            step.started_at = received_at
        steps.append(step)
    Step.objects.bulk_create(steps)


def _action_outcome(
    actor: User, step: Step, data: Mapping[str, Any] | None, files: Any, now: datetime
) -> tuple[str, str] | None:
    """Run the module's action of this step, if one is registered: (output, branch)."""
    action = action_for(step.ticket.service_type.sop.code, step.activity.key)
    if action is None:
        return None
    form = bound_form(action, step, data or {}, files)
    if not form.is_valid():
        raise ValidationError(
            {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    outcome = action.perform(actor=actor, step=step, data=form.cleaned_data, now=now)
    return outcome.output, outcome.branch


@transaction.atomic
def ticket_complete_step(
    *,
    actor: User,
    step: Step,
    output: str = "",
    branch: str = "",
    data: Mapping[str, Any] | None = None,
    files: Any = None,
    now: datetime | None = None,
) -> Step:
    """Record a step as done with its output, timed against its Mutu Baku; start the
    next one (or the chosen branch, leaving the other branches not taken).

    A step with a registered action needs that action's form (``data``, as the step
    panel posts it): the action performs the step's work and may choose the branch.
    """
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
    if activity.next and not any(b.to == branch for b in activity.next):
        acted = None  # ask for the way on before the module acts
    else:
        acted = _action_outcome(actor, step, data, files, now)
    if acted is not None:
        output, branch = acted[0] or output, acted[1] or branch
    try:
        move = flow.after_completion(
            definition,
            [s.activity.key for s in steps],
            {s.activity.key: s.state for s in steps},
            step.activity.key,
            branch,
        )
    except flow.FlowError:
        raise ValidationError(
            _("Choose what happens next: %(choices)s")
            % {"choices": "; ".join(b.when for b in activity.next)}
        ) from None
    _finish(actor, step, definition, output, branch, now)
    _move(step.ticket, by_key, move, now)
    _wait_for_requester_steps(actor, ticket, definition, now, _is_requesters(definition, step))
    return step


def _is_requesters(definition: Definition, step: Step) -> bool:
    return definition.by_requester(step.activity.actor)


def _finish(
    actor: User | None,
    step: Step,
    definition: Definition,
    output: str,
    branch: str,
    now: datetime,
) -> None:
    """Record the step done, timed against its Mutu Baku, with its audit row."""
    assert step.started_at is not None  # an active step has started
    ticket = step.ticket
    calendar = CalendarCache().get(ticket.unit, timezone.localtime(step.started_at).year)
    step.state = Step.State.DONE
    step.finished_at = now
    step.done_by = actor
    step.output = output or step.activity.output
    step.branch = branch
    step.elapsed_minutes = working_minutes_between(calendar, step.started_at, now)
    if step.activity.time_standard and not _is_requesters(definition, step):
        # Within the Mutu Baku when done by the deadline that standard sets from the
        # step's start, on the unit's working clock. The requester's own steps are
        # their time, not the unit's: never timed.
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


def _move(ticket: Ticket, by_key: dict[str, Step], move: flow.Move, now: datetime) -> None:
    for key in move.skip:
        by_key[key].state = Step.State.SKIPPED
        by_key[key].save(update_fields=["state"])
    for key in move.start:
        by_key[key].state = Step.State.ACTIVE
        by_key[key].started_at = now
        by_key[key].save(update_fields=["state", "started_at"])


def _wait_for_requester_steps(
    actor: User | None, ticket: Ticket, definition: Definition, now: datetime, after_theirs: bool
) -> None:
    """While a step of the requester's is in progress the ticket waits for the
    requester; once none is, a ticket that waited for the step just done goes on."""
    ticket.refresh_from_db(fields=["status"])
    if ticket.status in DONE_STATUSES:
        return
    running = ticket.steps.filter(state=Step.State.ACTIVE).select_related("activity")
    waiting = any(_is_requesters(definition, s) for s in running)
    if waiting and ticket.status in (Status.NEW, Status.OPEN):
        ticket_set_status(
            actor=actor, ticket=ticket, status=Status.WAITING_REQUESTER, now=now, by_requester=True
        )
    elif not waiting and after_theirs and ticket.status == Status.WAITING_REQUESTER:
        ticket_set_status(
            actor=actor, ticket=ticket, status=Status.OPEN, now=now, by_requester=True
        )


def steps_done_by_requester(ticket: Ticket, author: User | None, now: datetime) -> int:
    """The requester wrote: the steps of theirs in progress are done by that message,
    and so are those of theirs that follow at once (received the reply, then answered).
    Runs inside the message's transaction; returns how many steps it did."""
    definition = ticket.service_type.sop.parsed()
    done = 0
    while True:
        steps = list(ticket.steps.select_related("activity").order_by("position"))
        mine = [s for s in steps if s.state == Step.State.ACTIVE and _is_requesters(definition, s)]
        if not mine:
            break
        step = mine[0]
        keys = [s.activity.key for s in steps]
        try:
            move = flow.after_completion(
                definition, keys, {s.activity.key: s.state for s in steps}, step.activity.key
            )
        except flow.FlowError:
            break  # a branching step of the requester's: staff choose the way on
        _finish(author, step, definition, "", "", now)
        _move(ticket, {s.activity.key: s for s in steps}, move, now)
        done += 1
    return done
