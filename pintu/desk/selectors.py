"""Reads of tickets, always through the viewer's visibility, with a fixed query count."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from pintu.core.models import AuditEvent
from pintu.desk import access, search
from pintu.desk.models import (
    ACTIVE_STATUSES,
    Article,
    Attachment,
    SavedFilter,
    Step,
    Ticket,
    TicketEvent,
)
from pintu.org.models import Unit, User
from pintu.sla.calendars import CalendarCache
from pintu.sla.clock import SlaState
from pintu.sla.deadlines import SlaView, ticket_sla_state
from pintu.sop.models import ServiceType


def tickets_visible_to(user: Any) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    rule = access.visibility_filter(user)
    return tickets if rule is None else tickets.filter(rule)


def ticket_get(*, viewer: Any, reference: str) -> Ticket:
    """The ticket, or 404 when it does not exist or the viewer may not see it. Found by
    its reference alone (the unique index), then held to the visibility rule: joined
    into the query, the rule's OR made SQLite read every ticket."""
    ticket = (
        Ticket.objects.select_related(
            "unit", "service_type__sop", "requester", "contact", "assignee", "merged_into"
        )
        .filter(reference=reference)
        .first()
    )
    if ticket is None or not access.can_read(viewer, ticket):
        raise Http404
    return ticket


def ticket_conversation(*, viewer: Any, ticket: Ticket) -> list[Article]:
    """The articles the viewer may read: requesters never see internal notes."""
    articles = ticket.articles.select_related("author").prefetch_related("attachments")
    if not access.can_read_in(viewer, ticket.unit):
        articles = articles.exclude(kind=Article.Kind.NOTE)
    return list(articles)


def ticket_steps(ticket: Ticket) -> list[Step]:
    return list(ticket.steps.select_related("activity", "done_by").order_by("position"))


@dataclass(frozen=True)
class Row:
    """A ticket as a list shows it: with its SLA state derived now."""

    ticket: Ticket
    sla: SlaView

    @property
    def state(self) -> SlaState:
        return self.sla.overall


QUEUE_FILTERS = ("status", "service", "door", "assignee", "sla", "q")


@dataclass(frozen=True)
class QueueFilter:
    status: str = ""  # a status, "active" (default) or "all"
    service: str = ""  # a service type key
    door: str = ""
    assignee: str = ""  # a user id, "me" or "none"
    sla: str = ""  # on_track, at_risk, breached
    q: str = ""  # reference or subject text

    @classmethod
    def from_query(cls, query: Any) -> QueueFilter:
        return cls(**{name: str(query.get(name, "")).strip() for name in QUEUE_FILTERS})


def queue(
    *, viewer: Any, unit: Unit, filters: QueueFilter, now: datetime, limit: int = 100
) -> list[Row]:
    """A unit's queue, next deadline first. A fixed number of queries whatever the size:
    the tickets (one query with their joins) and the unit's calendar."""
    if not access.can_read_in(viewer, unit):
        raise Http404
    tickets = Ticket.objects.filter(unit=unit).select_related(
        "unit", "service_type", "requester", "contact", "assignee"
    )
    if filters.status in ("", "active"):
        tickets = tickets.filter(status__in=ACTIVE_STATUSES)
    elif filters.status != "all":
        tickets = tickets.filter(status=filters.status)
    if filters.service:
        tickets = tickets.filter(service_type__key=filters.service)
    if filters.door:
        tickets = tickets.filter(door=filters.door)
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=viewer)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.q:
        tickets = tickets.filter(reference__iexact=filters.q) | tickets.filter(
            subject__icontains=filters.q
        )
    if filters.sla == "breached":
        tickets = tickets.filter(next_due_at__lt=now)
    tickets = tickets.order_by("next_due_at", "id")
    wanted = limit * 3 if filters.sla else limit
    if filters.q:
        # The matches' order needs none of the joins: the page's ids first, then their
        # rows, rather than every match (a common word is in thousands) joined and sorted.
        tickets = tickets.filter(id__in=list(tickets.values_list("id", flat=True)[:wanted]))
    rows = with_sla(list(tickets[:wanted]), now)
    if filters.sla:
        rows = [row for row in rows if row.state.value == filters.sla]
    return rows[:limit]


def with_sla(tickets: Sequence[Ticket], now: datetime) -> list[Row]:
    """Rows with their SLA state; one calendar load per unit, whatever the years shown."""
    calendars = CalendarCache()
    spans: dict[int, tuple[Unit, int, int]] = {}
    for ticket in tickets:
        year = timezone.localtime(ticket.received_at).year
        unit, first, last = spans.get(ticket.unit_id, (ticket.unit, year, year))
        spans[ticket.unit_id] = (unit, min(first, year), max(last, year))
    for unit, first, last in spans.values():
        calendars.cover(unit, first, last)
    rows = []
    for ticket in tickets:
        calendar = calendars.get(ticket.unit, timezone.localtime(ticket.received_at).year)
        rows.append(
            Row(
                ticket=ticket,
                sla=ticket_sla_state(
                    calendar=calendar,
                    received_at=ticket.received_at,
                    first_response_due_at=ticket.first_response_due_at,
                    resolution_due_at=ticket.resolution_due_at,
                    first_response_at=ticket.first_response_at,
                    resolved_at=ticket.resolved_at,
                    now=now,
                    first_response=ticket.service_type.first_response,
                    resolution=ticket.service_type.resolution,
                    clock=ticket.service_type.clock,
                ),
            )
        )
    return rows


def staff_units(viewer: Any) -> QuerySet[Unit]:
    from pintu.org import access as org_access

    if org_access.can_read_everything(viewer):
        return Unit.objects.filter(calendar__isnull=False).order_by("code")
    return Unit.objects.filter(pk__in=access.work_unit_ids(viewer)).order_by("code")


def new_since(*, viewer: Any, unit: Unit, since: datetime) -> int:
    """How many tickets arrived in ``unit`` after ``since`` (the queue's live check)."""
    if not access.can_read_in(viewer, unit):
        raise Http404
    return Ticket.objects.filter(unit=unit, created_at__gt=since).count()


# ---------------------------------------------------------------- staff workspace


def unit_service_types(unit: Unit) -> QuerySet[ServiceType]:
    """The request types of the unit's SOPs in force, for the queue's filter."""
    return ServiceType.objects.filter(sop__unit=unit, sop__is_current=True).order_by("name")


def unit_people(unit: Unit) -> QuerySet[User]:
    """Who works in ``unit`` (staff, sub-coordinators, heads): whom a ticket can go to."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__unit=unit,
            memberships__role__in=access.WORKING_ROLES,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def ticket_history(ticket: Ticket) -> list[AuditEvent]:
    """The ticket's audit rows, newest first."""
    return list(
        AuditEvent.objects.filter(
            object_type=Ticket._meta.label_lower, object_id=str(ticket.pk)
        ).select_related("actor")
    )


def ticket_deadline_events(ticket: Ticket) -> list[TicketEvent]:
    """The SLA sweep's warnings and escalations on the ticket (merges and splits are in
    its audit history already)."""
    return list(
        ticket.events.filter(
            kind__in=[TicketEvent.Kind.SLA_WARNING, TicketEvent.Kind.SLA_ESCALATION]
        ).select_related("recipient")
    )


def ticket_step(ticket: Ticket, step_id: int) -> Step:
    step = ticket.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404
    return step


def attachment_get(*, viewer: Any, pk: int) -> Attachment:
    """An attachment of a ticket the viewer may see, or 404; attachments of internal
    notes only for those who see the notes."""
    attachment = (
        Attachment.objects.select_related("article__ticket__unit")
        .filter(pk=pk, article__ticket__in=tickets_visible_to(viewer))
        .first()
    )
    if attachment is None:
        raise Http404
    ticket = attachment.article.ticket
    if attachment.article.kind == Article.Kind.NOTE and not access.can_read_in(viewer, ticket.unit):
        raise Http404
    return attachment


def saved_filters(user: Any) -> list[SavedFilter]:
    return list(SavedFilter.objects.filter(user=user))


# ---------------------------------------------------------------- the API's list

# The list counts exactly up to this many tickets; beyond it says "at least".
COUNT_BOUND = 1_000


@dataclass(frozen=True)
class ListFilter:
    status: str = ""
    unit: str = ""  # a unit code
    service: str = ""  # a service type key
    q: str = ""  # words, each the start of one of the ticket's (pintu.desk.search)


@dataclass(frozen=True)
class Cursor:
    """Where a page of the newest-first list ended: the next page starts after it."""

    received_at: datetime
    id: int

    def encode(self) -> str:
        text = f"{self.received_at.isoformat()}|{self.id}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        """A cursor a list gave, or ValueError."""
        try:
            text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            moment, _bar, number = text.partition("|")
            received_at, pk = datetime.fromisoformat(moment), int(number)
        except ValueError:
            raise ValueError("not a cursor this list gave") from None
        if timezone.is_naive(received_at) or pk < 1:
            raise ValueError("not a cursor this list gave")
        return cls(received_at, pk)


@dataclass(frozen=True)
class TicketPage:
    tickets: list[Ticket]
    count: int  # exact when ``count_exact``, else at least this many
    count_exact: bool
    next: Cursor | None  # where the next page starts, None on the last page


# A branch of a union as its SQL and its parameters.
Branch = tuple[str, list[Any]]


def ticket_list(
    *, viewer: Any, filters: ListFilter, limit: int, offset: int = 0, after: Cursor | None = None
) -> TicketPage:
    """The tickets ``viewer`` may see, newest first, a page of ``limit`` from ``offset``
    (or from just after ``after``, which does not slow down with depth).

    Visibility is a union of branches that each walk one index in the list's order (the
    viewer's own tickets, those of their address, each unit's), each stopping after the
    rows the page needs: one condition joining them with OR is one scan of every ticket.
    A search is one branch instead: its words' index finds the few matching tickets
    first, and visibility filters those. The page's ids come first, then their rows (one
    query joining both makes PostgreSQL plan for longer than it runs). The count stops
    at COUNT_BOUND."""
    conditions = _list_conditions(filters)
    if filters.q:
        branches = [(tickets_visible_to(viewer).filter(conditions), True)]
    else:
        branches = [
            (branch.filter(conditions), alone) for branch, alone in _visible_branches(viewer)
        ]
    # of the whole list, wherever the page starts
    count = _bounded_count([branch for branch, _alone in branches])
    if after is not None:
        branches = [
            (
                branch.filter(received_at__lte=after.received_at).exclude(
                    received_at=after.received_at, id__gte=after.id
                ),
                alone,
            )
            for branch, alone in branches
        ]
    wanted = offset + limit + 1
    newest = [
        # A search's matches all at once (at most as many as the words find); a person's
        # own tickets by their own index, then the newest; a unit's in the list's order.
        _planned_alone(branch, None if filters.q else wanted)
        if alone
        else branch.order_by("-received_at", "-id").values("id", "received_at")[:wanted]
        for branch, alone in branches
    ]
    ids = _page_ids(newest, offset, limit + 1)
    found = Ticket.objects.select_related(
        "unit", "service_type__sop", "requester", "contact", "assignee"
    ).in_bulk(ids)
    rows = [found[pk] for pk in ids if pk in found]
    page, more = rows[:limit], len(rows) > limit
    return TicketPage(
        tickets=page,
        count=min(count, COUNT_BOUND),
        count_exact=count <= COUNT_BOUND,
        next=Cursor(page[-1].received_at, page[-1].id) if more else None,
    )


def own_newest_ids(viewer: Any, limit: int) -> list[int]:
    """The ids of the viewer's ``limit`` newest tickets of their own: those they asked
    for and those from an address of theirs (``access.own_parts``), each part planned
    alone (``_planned_alone``). As one condition, ``requester = me OR contact IN
    (mine)`` has no index to serve it and PostgreSQL scans every ticket."""
    branches = [
        _planned_alone(Ticket.objects.filter(part), limit) for part in access.own_parts(viewer)
    ]
    return _page_ids(branches, 0, limit)


def _planned_alone(branch: QuerySet[Ticket], newest: int | None) -> Branch:
    """A branch's ``id, received_at``, planned on its own (PostgreSQL's OFFSET 0), then,
    with ``newest``, the newest of them.

    Left to plan the branch with the list's order, PostgreSQL walks every ticket newest
    first and tests each one: for a search's words, and for a person's own tickets,
    where it expects the join to their addresses to match at once (for staff with no
    such address it read all 1,000,000 tickets: 0.8 s). Planned alone, the branch reads
    its own index first: the words', the requester's, the contact's."""
    try:
        sql, params = branch.order_by().values("id", "received_at").query.sql_with_params()
    except EmptyResultSet:  # a condition no ticket can meet (a query of no words)
        return f"SELECT id, received_at FROM {Ticket._meta.db_table} WHERE 1 = 0", []  # noqa: S608
    if connection.vendor == "postgresql":
        sql += " OFFSET 0"
    if newest is None:
        return sql, list(params)
    return (
        f"SELECT id, received_at FROM ({sql}) alone "  # noqa: S608 (Django's SQL)
        "ORDER BY received_at DESC, id DESC LIMIT %s",
        [*params, newest],
    )


def _page_ids(
    branches: Sequence[QuerySet[Ticket, Any] | Branch], offset: int, limit: int
) -> list[int]:
    """The ids of the union of ``branches`` (each ``values("id", "received_at")``, or
    its SQL), newest first, ``limit`` of them from ``offset``."""
    sql, params = _union_sql(branches, columns="id, received_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM ({sql}) page ORDER BY received_at DESC, id DESC "  # noqa: S608
            "LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]


def _visible_branches(viewer: Any) -> list[tuple[QuerySet[Ticket], bool]]:
    """The branches of what ``viewer`` sees, each with whether it is to be planned alone:
    the person's own (as requester or contact), not a unit's."""
    parts = access.visibility_parts(viewer)
    if parts is None:
        return [(Ticket.objects.all(), False)]
    own = access.own_parts(viewer)
    return [(Ticket.objects.filter(part), part in own) for part in parts]


def _list_conditions(filters: ListFilter) -> Q:
    conditions = Q()
    if filters.status:
        conditions &= Q(status=filters.status)
    if filters.unit:
        conditions &= Q(unit__in=Unit.objects.filter(code=filters.unit).values("id"))
    if filters.service:
        conditions &= Q(
            service_type__in=ServiceType.objects.filter(key=filters.service).values("id")
        )
    if filters.q:
        conditions &= search.matching(filters.q)
    return conditions


def _union_sql(
    branches: Sequence[QuerySet[Ticket, Any] | Branch], columns: str = "id"
) -> tuple[str, list[Any]]:
    """``branches`` (each ``values()`` of ``columns``, perhaps ordered and sliced, or its
    SQL) as one UNION, each branch in a derived table of its own so that every database
    keeps its order and limit."""
    parts: list[str] = []
    params: list[Any] = []
    for n, branch in enumerate(branches):
        try:
            sql, branch_params = (
                branch if isinstance(branch, tuple) else branch.query.sql_with_params()
            )
        except EmptyResultSet:  # a condition no ticket can meet (a query of no words)
            continue
        parts.append(f"SELECT {columns} FROM ({sql}) branch_{n}")  # noqa: S608 (Django's SQL)
        params.extend(branch_params)
    if not parts:
        return f"SELECT {columns} FROM {Ticket._meta.db_table} WHERE 1 = 0", []  # noqa: S608
    return " UNION ".join(parts), params


def _bounded_count(branches: Sequence[QuerySet[Ticket]]) -> int:
    """How many tickets the branches hold together, counted up to COUNT_BOUND + 1."""
    sql, params = _union_sql(
        [branch.order_by().values("id")[: COUNT_BOUND + 1] for branch in branches]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) visible", params)  # noqa: S608
        return int(cursor.fetchone()[0])
