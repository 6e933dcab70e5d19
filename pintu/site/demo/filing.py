"""Carry out the demo's plans through the desk's own services, each at its moment.

Every request is opened with ``ticket_create`` and lives its life through the services
that staff and requesters call (reply, note, assign, status, steps, fields, rating),
each given the plan's moment as ``now``, so that the clock, the steps' Mutu Baku and the
audit rows are what the desk itself writes. The messages those services queue for the
requester were sent back then: the seeding runs inside the outbox's
``recording_history``, so rows of a moment before the seeding are recorded as sent
(the worker would otherwise mail a year of replies at start-up); what happens at the
moment of seeding itself is left for the worker to send. A step that a unit module acts
on is completed with what its form starts with (the request's own details).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pintu.desk import services
from pintu.desk.actions import action_for, bound_form
from pintu.desk.models import Door, Step, Ticket
from pintu.org.models import User
from pintu.site.demo import plans
from pintu.sop.models import ServiceType


def _action_data(
    ticket: Ticket, step: Step, staff: User, details: Mapping[str, str]
) -> dict[str, Any] | None:
    """The form of the step's module action as it starts (from the request's details,
    which staff complete first when a mail or a chat message left them out), posted as
    the step panel posts it; None for a step no module acts on."""
    action = action_for(ticket.service_type.sop.code, step.activity.key)
    if action is None:
        return None
    missing = {key: value for key, value in details.items() if not step.ticket.fields.get(key)}
    if missing:
        services.ticket_update_fields(actor=staff, ticket=step.ticket, fields=missing)
        step.ticket.refresh_from_db(fields=["fields"])
    form = bound_form(action, step)
    return {form.add_prefix(name): form[name].value() or "" for name in form.fields}


class Filing:
    def __init__(
        self,
        *,
        now: datetime,
        people: Mapping[str, User],
        service_types: Mapping[tuple[str, str], ServiceType],
    ) -> None:
        self.now = now
        self.people = people
        self.service_types = service_types

    def _requester(self, plan: plans.Plan) -> services.Requester:
        """A person files through the portal or at the desk; by e-mail or WhatsApp the
        door knows them by their address or number (their contact links to them)."""
        who = plan.requester
        if who.username:
            user = self.people[who.username]
            if plan.door in (Door.EMAIL, Door.WHATSAPP):
                return services.ContactDetails(
                    name=user.full_name, email=user.email, phone=user.phone
                )
            return user
        return services.ContactDetails(name=who.name, email=who.email, phone=who.phone)

    def file(self, plan: plans.Plan) -> Ticket:
        offer = plan.offer
        service_type = self.service_types[(offer.sop, offer.key)]
        user = self.people.get(plan.requester.username)
        if plan.entered_by:
            actor: User | None = self.people[plan.entered_by]
        else:
            actor = user if plan.door == Door.WEB else None  # mail and chat: the door
        ticket, _ = services.ticket_create(
            actor=actor,
            service_type=service_type,
            requester=self._requester(plan),
            opening=services.Opening(subject=plan.opening.subject, body=plan.opening.body),
            door=plan.door,
            fields=dict(plan.opening.fields),
            received_at=plan.received_at if plan.entered_at != plan.received_at else None,
            now=plan.entered_at,
        )
        # The request's details as staff come to know them (a mail may leave them out).
        details = {
            **{k: v for e in plan.events if isinstance(e, plans.Fill) for k, v in e.fields.items()},
            **plan.opening.fields,
        }
        for event in plan.events:
            self._apply(ticket, event, user, details)
        return ticket

    def _apply(
        self,
        ticket: Ticket,
        event: plans.Event,
        requester: User | None,
        details: Mapping[str, str],
    ) -> None:
        at = event.at
        match event:
            case plans.Assign(staff=staff):
                person = self.people[staff]
                services.ticket_assign(actor=person, ticket=ticket, assignee=person)
            case plans.Reply(staff=staff, body=body, status=status):
                services.ticket_reply(
                    actor=self.people[staff],
                    ticket=ticket,
                    body=body,
                    status=status or None,
                    now=at,
                )
            case plans.Note(staff=staff, body=body):
                services.ticket_note(actor=self.people[staff], ticket=ticket, body=body, now=at)
            case plans.Move(staff=staff, status=status):
                services.ticket_set_status(
                    actor=self.people[staff], ticket=ticket, status=status, now=at
                )
            case plans.Message(body=body):
                # Mail and chat requesters answer the way they came; people at the
                # portal otherwise.
                door = ticket.door if ticket.door in (Door.EMAIL, Door.WHATSAPP) else Door.WEB
                services.ticket_requester_message(
                    ticket=ticket, body=body, door=door, author=requester, now=at
                )
            case plans.StepDone(staff=staff, activity=activity, branch=branch):
                step = ticket.steps.get(activity__key=activity)
                data = _action_data(ticket, step, self.people[staff], details)
                services.ticket_complete_step(
                    actor=self.people[staff], step=step, branch=branch, data=data, now=at
                )
            case plans.Fill(staff=staff, fields=fields):
                services.ticket_update_fields(
                    actor=self.people[staff], ticket=ticket, fields=dict(fields)
                )
            case plans.Rate(score=score, comment=comment):
                assert requester is not None  # only requesters with an account rate
                services.ticket_rate(
                    actor=requester, ticket=ticket, score=score, comment=comment, now=at
                )
            case _:
                raise TypeError(f"unknown demo event {event!r}")
