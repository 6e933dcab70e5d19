"""`pintu seed bench`: synthetic tickets that look like the desk's own, and the queue's
index on PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from pintu.conftest import fields_for, service
from pintu.core.models import AuditEvent
from pintu.desk import services
from pintu.desk.bench import explain_queue, queue_sql, seed_bench
from pintu.desk.models import (
    ACTIVE_STATUSES,
    DONE_STATUSES,
    Article,
    ReferenceCounter,
    Status,
    Step,
    Ticket,
)
from pintu.desk.sweep import SweepResult, sweep
from pintu.org.models import Role, Unit, User
from pintu.outbox.models import OutboxItem
from pintu.sla.calendars import CalendarCache
from pintu.sla.deadlines import Clock, ticket_deadlines

pytestmark = pytest.mark.django_db
TICKETS = 300
REFERENCE = re.compile(r"^(?P<prefix>[A-Z0-9-]+)-(?P<yy>\d{2})-(?P<number>\d{5})$")


def seed(tickets: int = TICKETS) -> str:
    out = StringIO()
    call_command("seed", "bench", "--tickets", str(tickets), stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def bench(sops: None) -> list[Ticket]:
    seed()
    return list(
        Ticket.objects.select_related("unit", "service_type").prefetch_related(
            "pauses", "articles", "steps"
        )
    )


def test_references_count_per_unit_and_year_and_the_counters_follow(bench) -> None:
    assert len(bench) == TICKETS
    numbers: dict[tuple[int, int], list[int]] = {}
    for ticket in bench:
        match = REFERENCE.match(ticket.reference)
        assert match, ticket.reference
        assert match["prefix"] == ticket.unit.reference_prefix
        year = timezone.localtime(ticket.received_at).year
        assert int(match["yy"]) == year % 100
        numbers.setdefault((ticket.unit_id, year), []).append(int(match["number"]))
    for (unit_id, year), taken in numbers.items():
        # Numbered in the order of arrival, without gaps.
        assert sorted(taken) == list(range(1, len(taken) + 1))
        assert ReferenceCounter.objects.get(unit_id=unit_id, year=year).last == len(taken)


def test_a_ticket_created_after_the_bench_takes_the_next_number(bench) -> None:
    light = service("PR.33.8", "layanan-ringan")
    now = timezone.now()
    year = timezone.localtime(now).year
    same_year = sum(
        1
        for t in bench
        if t.unit_id == light.sop.unit_id and timezone.localtime(t.received_at).year == year
    )
    requester = User.objects.get(username="bench-pemohon-001")
    ticket = services.ticket_create(
        actor=requester,
        service_type=light,
        requester=requester,
        opening=services.Opening(subject="Wi-Fi lab mati", body="Sejak pagi."),
        fields=fields_for(light),
        now=now,
    ).ticket
    assert ticket.reference == f"SI-{year % 100:02d}-{same_year + 1:05d}"


def test_deadlines_are_those_the_sla_clock_computes(bench) -> None:
    """Warnings and escalations whose moment has passed are cleared, as the sweep
    leaves them once it has sent them."""
    calendars = CalendarCache()
    now = timezone.now()

    def as_swept(stored, computed):
        """What the seed keeps of a moment: all of it, or nothing once it has passed."""
        return computed if stored is not None or computed is None or computed > now else None

    for ticket in bench:
        service_type = ticket.service_type
        expected = ticket_deadlines(
            Clock.for_service(
                calendar=calendars.get(ticket.unit, timezone.localtime(ticket.received_at).year),
                received_at=ticket.received_at,
                first_response=service_type.first_response,
                resolution=service_type.resolution,
                clock=service_type.clock,
                pauses=[(p.started_at, p.ended_at) for p in ticket.pauses.all()],
                first_response_at=ticket.first_response_at,
                resolved_at=ticket.resolved_at,
            )
        )
        stored = (
            ticket.first_response_due_at,
            ticket.resolution_due_at,
            ticket.next_due_at,
            ticket.next_warn_at,
            ticket.next_escalate_at,
        )
        assert stored == (
            expected.first_response_due_at,
            expected.resolution_due_at,
            expected.next_due_at,
            as_swept(ticket.next_warn_at, expected.next_warn_at),
            as_swept(ticket.next_escalate_at, expected.next_escalate_at),
        ), ticket.reference


def test_the_first_sweep_finds_nothing_the_past_would_have_sent(sops) -> None:
    now = timezone.now()
    seed_bench(tickets=TICKETS, now=now)
    assert Ticket.objects.filter(status__in=ACTIVE_STATUSES).exists()
    assert sweep(now) == SweepResult(warned=0, escalated=0)
    assert not OutboxItem.objects.exists()


def test_tickets_have_articles_steps_and_a_realistic_mix(bench) -> None:
    statuses = Counter(ticket.status for ticket in bench)
    active = sum(statuses[s] for s in ACTIVE_STATUSES)
    assert 0 < active < TICKETS * 0.2, statuses
    assert len({ticket.unit_id for ticket in bench}) == 5
    assert len({ticket.door for ticket in bench}) == 5
    with_steps = 0
    for ticket in bench:
        articles = list(ticket.articles.all())
        assert 1 <= len(articles) <= 4
        assert articles[0].kind == Article.Kind.INBOUND
        assert articles[0].created_at == ticket.received_at
        if ticket.first_response_at is not None:
            assert any(
                a.kind == Article.Kind.REPLY and a.created_at == ticket.first_response_at
                for a in articles
            )
        activities = ticket.service_type.sop.parsed()
        keys = next(s for s in activities.services if s.key == ticket.service_type.key).activities
        steps = list(ticket.steps.all())
        assert [step.position for step in steps] == list(range(1, len(keys) + 1))
        with_steps += bool(steps)
        if ticket.status in DONE_STATUSES:
            assert ticket.resolved_at is not None
            assert not [s for s in steps if s.state in (Step.State.PENDING, Step.State.ACTIVE)]
        if ticket.status in (Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY):
            assert [p.ended_at for p in ticket.pauses.all()] == [None]
    assert with_steps > TICKETS / 3
    # Synthetic tickets get no audit rows (see pintu.desk.bench).
    assert not AuditEvent.objects.filter(object_type="desk.ticket").exists()


def test_a_second_run_adds_tickets_and_keeps_the_people(sops) -> None:
    seed(20)
    people = User.objects.count()
    seed(30)
    assert Ticket.objects.count() == 50
    assert User.objects.count() == people
    assert Ticket.objects.values("reference").distinct().count() == 50


def test_bench_staff_work_in_their_unit(sops) -> None:
    seed(10)
    unit = Unit.objects.get(code="UPT-SI")
    staff = User.objects.filter(memberships__unit=unit, memberships__role=Role.STAFF)
    assert staff.filter(username__startswith="bench-").count() == 10


def test_bench_needs_the_sops(db) -> None:
    with pytest.raises(CommandError, match="pintu sop load"):
        seed(10)


def test_bench_is_refused_in_production(sops, settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed(10)
    assert not Ticket.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason='connection.vendor != "postgresql"')
def test_the_queue_query_is_served_by_its_partial_index(sops) -> None:
    # The bench ends with ANALYZE, so the planner knows that a unit's active tickets are
    # a few per cent of the table: already at a thousand tickets it reads them through
    # the small partial index rather than scanning the table, with no need to switch
    # off sequential scans. (With this few rows it may still sort them itself; with
    # thousands in a queue it takes them in the index's order: see bench/README.md.)
    seed(1000)
    unit = Unit.objects.get(code="UPT-SI")
    staff = User.objects.get(username="bench-upt-si-staf-01")
    plan = explain_queue(queue_sql(viewer=staff, unit=unit, now=timezone.now()))
    assert "ticket_queue_idx" in plan, plan
