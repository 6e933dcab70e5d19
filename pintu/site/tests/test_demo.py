"""`pintu seed demo` as it runs: the same seed makes the same requests, a second run adds
nothing, production refuses it, and the live arrivals are filed once each when due,
however many workers ask (what the year holds: ``test_demo_year``)."""

from __future__ import annotations

import contextlib
import re
import threading
from collections import Counter
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from pintu.core.models import AuditEvent
from pintu.core.periodic import SCHEDULES
from pintu.desk.models import Article, Door, Status, Ticket
from pintu.org.models import User
from pintu.outbox.models import OutboxItem
from pintu.site.demo import seed_demo
from pintu.site.demo.arrivals import ARRIVALS, arrivals_file_due, arrivals_schedule
from pintu.site.demo.people import DEMO_LECTURERS, DEMO_PEOPLE, DEMO_STUDENTS, people_seed
from pintu.site.demo.plans import working_before
from pintu.site.models import DemoArrival
from pintu.site.tasks import demo_arrivals
from pintu.sla.calendar import WorkingCalendar, parse_weekly_hours
from pintu.sla.clock import add_working_minutes

WIB = ZoneInfo("Asia/Jakarta")
# A Wednesday morning; the span before it holds Independence Day (17 August).
NOW = datetime(2026, 8, 26, 10, 0, tzinfo=WIB)


CALENDAR = WorkingCalendar(
    time_zone="Asia/Jakarta",
    weekly_hours=parse_weekly_hours([["07:30", "16:00"]] * 4 + [["07:30", "16:30"], None, None]),
    non_working_dates=frozenset({datetime(2026, 8, 17).date()}),
)


@pytest.mark.parametrize(
    ("end", "minutes", "start"),
    [
        ("2026-08-19T10:00", 30, "2026-08-19T09:30"),
        # Over the night, the weekend and Independence Day (Monday 17 August).
        ("2026-08-19T08:00", 60, "2026-08-18T15:30"),
        ("2026-08-18T08:00", 60, "2026-08-14T16:00"),
        # From outside working hours: the last closing first.
        ("2026-08-16T12:00", 10, "2026-08-14T16:20"),
        ("2026-08-19T20:00", 0, "2026-08-19T16:00"),
    ],
)
def test_working_before_runs_the_clock_backwards(end: str, minutes: int, start: str) -> None:
    moment = working_before(CALENDAR, datetime.fromisoformat(end).replace(tzinfo=WIB), minutes)
    assert moment == datetime.fromisoformat(start).replace(tzinfo=WIB)
    if minutes:
        assert add_working_minutes(CALENDAR, moment, minutes) <= datetime.fromisoformat(
            end
        ).replace(tzinfo=WIB)


# ---------------------------------------------------------------- runs and reruns


class Rollback(Exception):
    pass


def seeded(**options: Any) -> list[tuple[str, str, datetime, str]]:
    """What one seed makes, undone afterwards."""
    with contextlib.suppress(Rollback), transaction.atomic():
        seed_demo(now=NOW, days=5, **options)
        made = list(
            Ticket.objects.order_by("reference").values_list(
                "reference", "subject", "received_at", "status"
            )
        )
        raise Rollback
    return made


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_requests(sops: None) -> None:
    first = seeded()
    assert first and first == seeded()
    assert [row[1] for row in seeded(seed=7)] != [row[1] for row in first]


def snapshot() -> tuple[Any, ...]:
    return (
        sorted(Ticket.objects.values_list("reference", "status", "updated_at")),
        Article.objects.count(),
        AuditEvent.objects.count(),
        OutboxItem.objects.count(),
        sorted(DemoArrival.objects.values_list("key", "due_at")),
        sorted(User.objects.values_list("username", "password")),
    )


@pytest.mark.django_db
def test_a_second_run_adds_nothing_and_says_it_kept_the_first(sops: None) -> None:
    out = StringIO()
    call_command("seed", "demo", "--days", "3", stdout=out, stderr=StringIO())
    assert out.getvalue().count("(new)") == len(DEMO_PEOPLE)
    assert re.search(r"Demo requests: \d+ over the last 3 days \(new", out.getvalue())
    everyone = {p.username for p in (*DEMO_PEOPLE, *DEMO_STUDENTS, *DEMO_LECTURERS)}
    assert set(User.objects.values_list("username", flat=True)) == everyone
    # The requesters who are not logins cannot sign in.
    assert not User.objects.get(username=DEMO_STUDENTS[0].username).has_usable_password()
    first = snapshot()
    out = StringIO()
    call_command("seed", "demo", "--days", "3", stdout=out, stderr=StringIO())
    assert "(new)" not in out.getvalue() and out.getvalue().count("(kept)") == len(DEMO_PEOPLE)
    assert "Demo requests: kept" in out.getvalue()
    assert snapshot() == first


@pytest.mark.django_db(transaction=True)
def test_the_worker_is_left_only_the_messages_still_to_send(sops: None) -> None:
    seed_demo(days=3)
    pending = OutboxItem.objects.exclude(status=OutboxItem.Status.SENT)
    queued = DBTaskResult.objects.filter(task_path="pintu.outbox.tasks.deliver_now")
    assert pending.exists()
    assert {task.args_kwargs["args"][0] for task in queued} == {item.pk for item in pending}


@pytest.mark.django_db
def test_the_demo_is_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed", "demo", stdout=StringIO())
    assert not Ticket.objects.exists() and not User.objects.exists()


# ---------------------------------------------------------------- live arrivals


@pytest.mark.django_db
def test_live_arrivals_are_filed_once_each_when_their_moment_comes(sops: None) -> None:
    people_seed()
    arrivals_schedule(NOW)
    assert arrivals_file_due(NOW) == []
    first_due = NOW + min(a.after for a in ARRIVALS)
    assert arrivals_file_due(first_due - timedelta(seconds=1)) == []
    (first,) = arrivals_file_due(first_due)
    assert first.subject == ARRIVALS[0].subject and first.status == Status.NEW
    assert first.created_at == first_due  # it arrived then: the queue shows it as new
    later = arrivals_file_due(NOW + timedelta(hours=1))
    assert [t.subject for t in later] == [a.subject for a in ARRIVALS[1:]]
    assert arrivals_file_due(NOW + timedelta(hours=2)) == []
    filed = DemoArrival.objects.select_related("ticket")
    assert all(a.ticket is not None and a.filed_at for a in filed)
    creations = AuditEvent.objects.filter(action="ticket.create")
    assert creations.count() == len(ARRIVALS)
    # The e-mailed ones are acknowledged, for the mail catcher to show.
    acknowledged = OutboxItem.objects.filter(purpose=OutboxItem.Purpose.ACKNOWLEDGEMENT)
    assert acknowledged.count() == sum(a.door == Door.EMAIL for a in ARRIVALS)


@pytest.mark.django_db
def test_the_worker_files_arrivals_every_thirty_seconds(sops: None) -> None:
    assert SCHEDULES["pintu.site.tasks.demo_arrivals"].every == timedelta(seconds=30)
    people_seed()
    arrivals_schedule(datetime.now(WIB) - timedelta(minutes=5))
    assert demo_arrivals.call() == 3  # due 2, 3 and 5 minutes after
    assert demo_arrivals.call() == 0


@pytest.mark.django_db(transaction=True)
def test_three_workers_at_once_file_each_arrival_exactly_once(sops: None) -> None:
    people_seed()
    arrivals_schedule(NOW)
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            arrivals_file_due(NOW + timedelta(hours=1))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    subjects = Counter(Ticket.objects.values_list("subject", flat=True))
    assert subjects == Counter(a.subject for a in ARRIVALS)
