"""Reads for the requester portal: the service catalogue, one requestable service, the
viewer's own requests and what their request page shows of each (its steps, and where
messages went when staff split or merged it). The query count never depends on how
many tickets there are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from pintu.desk.models import Article, Step, Ticket, TicketEvent
from pintu.desk.selectors import (
    Row,
    own_newest_ids,
    ticket_conversation,
    ticket_steps,
    tickets_visible_to,
    with_sla,
)
from pintu.org.models import Unit
from pintu.sop.definition import Service
from pintu.sop.models import ServiceType, Sop


@dataclass(frozen=True)
class Offer:
    """A service type the portal offers, with its definition (description, fields)."""

    service_type: ServiceType
    definition: Service

    def matches(self, words: list[str]) -> bool:
        """Whether each of ``words`` (casefolded) begins a word of the service's name or
        description or of its unit's name or code, whatever the case: "jaring" finds
        "jaringan", but "ringan" does not."""
        unit = self.service_type.sop.unit
        text = " ".join(
            (self.service_type.name, self.definition.description, unit.name, unit.code)
        ).casefold()
        return all(re.search(r"(?<!\w)" + re.escape(word), text) for word in words)


@dataclass(frozen=True)
class UnitOffers:
    unit: Unit
    offers: list[Offer]


def service_catalogue(*, query: str = "", unit: Unit | None = None) -> list[UnitOffers]:
    """The service types of every SOP in force (or of ``unit``'s), grouped by unit (two
    queries). A query keeps the services in which each of its words begins a word; the
    descriptions live in the SOPs' definitions, so the words are looked for here, in
    the few dozen services there are, the same on every database."""
    sops = Sop.objects.filter(is_current=True)
    if unit is not None:
        sops = sops.filter(unit=unit)
    sops = (
        sops.select_related("unit")
        .prefetch_related(Prefetch("service_types", queryset=ServiceType.objects.order_by("id")))
        .order_by("unit__name", "code")
    )
    words = query.casefold().split()
    offers: list[Offer] = []
    for sop in sops:
        definitions = {service.key: service for service in sop.parsed().services}
        for service_type in sop.service_types.all():
            offer = Offer(service_type, definitions[service_type.key])
            if offer.matches(words):
                offers.append(offer)
    return [
        UnitOffers(owner, list(items))
        for owner, items in groupby(offers, key=lambda offer: offer.service_type.sop.unit)
    ]


def offer_get(*, sop_code: str, service_key: str) -> Offer:
    """A service type of the SOP in force, or 404 (an old revision is not offered)."""
    service_type = (
        ServiceType.objects.select_related("sop__unit")
        .filter(sop__code=sop_code, sop__is_current=True, key=service_key)
        .first()
    )
    if service_type is None:
        raise Http404
    return Offer(service_type, service_type.definition())


def my_requests(*, viewer: Any, now: datetime, limit: int = 100) -> list[Row]:
    """The viewer's requests, newest first: the ones made in the portal and the ones that
    came from their e-mail address or number through another door. Two queries (their
    ids, then their rows), plus the calendar of each unit and year shown (for the SLA
    state)."""
    ids = own_newest_ids(viewer, limit)
    tickets = (
        Ticket.objects.filter(id__in=ids)
        .select_related("unit", "service_type")
        .order_by("-received_at", "-id")[:limit]
    )
    return with_sla(list(tickets), now)


def latest_public_article_id(ticket: Ticket) -> int:
    return (
        ticket.articles.exclude(kind=Article.Kind.NOTE)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or 0


def conversation_mark(latest_article_id: int, status: str) -> str:
    """What the live conversation compares to see whether anything changed."""
    return f"{latest_article_id}-{status}"


def request_details(ticket: Ticket) -> list[tuple[str, str]]:
    """The service's declared fields with the values the requester (or staff) gave, in
    the order the SOP declares them; "" where nothing was given."""
    return [
        (field.label, str(ticket.fields.get(field.key, "")))
        for field in ticket.service_type.definition().fields
    ]


_OPEN_STEPS = (Step.State.PENDING, Step.State.ACTIVE)


@dataclass(frozen=True)
class Progress:
    """One SOP step of a request as its requester reads it: the activity's description,
    never the internal role that performs it."""

    description: str
    # done, active, next, or possible (one of the outcomes a step still to be decided
    # branches to); steps not taken are left out.
    phase: str
    yours: bool  # the requester performs it (sending the request, answering a question)
    finished_at: datetime | None


def request_progress(ticket: Ticket) -> list[Progress]:
    """The request's steps from the requester's side, in order (one query)."""
    definition = ticket.service_type.sop.parsed()
    steps = ticket_steps(ticket)
    undecided = {step.activity.key for step in steps if step.state in _OPEN_STEPS}
    # The outcomes of a branch nobody has chosen yet: only one of them will happen.
    outcomes = {
        branch.to
        for activity in definition.activities
        if activity.key in undecided
        for branch in activity.next
    }
    progress = []
    for step in steps:
        if step.state == Step.State.SKIPPED:
            continue
        if step.state == Step.State.PENDING:
            phase = "possible" if step.activity.key in outcomes else "next"
        else:
            phase = str(step.state)
        progress.append(
            Progress(
                description=step.activity.description,
                phase=phase,
                yours=definition.by_requester(step.activity.actor),
                finished_at=step.finished_at,
            )
        )
    return progress


@dataclass(frozen=True)
class Moved:
    """Messages of a request that staff moved to another one (a split), or the whole
    request folded into another (a merge): where they went, and whether the viewer may
    open that request."""

    at: datetime
    reference: str
    messages: int | None  # how many moved in a split; None for a merge
    visible: bool


def _moves(*, viewer: Any, ticket: Ticket) -> list[Moved]:
    """Where messages of ``ticket`` went, oldest first, from its split and merge events
    (two queries when there are any: the events, then which of the requests named in
    them the viewer may see)."""
    events = list(ticket.events.filter(kind__in=[TicketEvent.Kind.SPLIT, TicketEvent.Kind.MERGED]))
    # A merge records on the request it came from where it went, and on the request it
    # went to where it came from; only the first moved anything away.
    moves = [event for event in events if event.detail.get("into")]
    if not moves:
        return []
    named = {str(event.detail["into"]) for event in moves}
    visible = set(
        tickets_visible_to(viewer).filter(reference__in=named).values_list("reference", flat=True)
    )
    return [
        Moved(
            at=event.at,
            reference=str(event.detail["into"]),
            messages=(
                int(event.detail.get("public", event.detail.get("articles", 0)))
                if event.kind == TicketEvent.Kind.SPLIT
                else None
            ),
            visible=str(event.detail["into"]) in visible,
        )
        for event in moves
    ]


@dataclass(frozen=True)
class Entry:
    """One line of a request's conversation as its requester reads it: a public message,
    or the notice that messages went to another request."""

    at: datetime
    article: Article | None = None
    moved: Moved | None = None


def request_conversation(*, viewer: Any, ticket: Ticket) -> list[Entry]:
    """The public messages and, where they were when they left, the notices of messages
    moved to another request, oldest first (three queries, four with moves)."""
    entries = [
        Entry(article.created_at, article=article)
        for article in ticket_conversation(viewer=viewer, ticket=ticket)
        if article.is_public
    ]
    entries += [Entry(move.at, moved=move) for move in _moves(viewer=viewer, ticket=ticket)]
    return sorted(entries, key=lambda entry: entry.at)
