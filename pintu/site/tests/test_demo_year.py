"""The demo's year (`pintu seed demo`): requests in every unit, door, status and
service, through the desk's services, in working hours, answered and resolved mostly
on time, rated kindly, their steps timed against the Mutu Baku, and a queue for
staf-si that shows every state."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from pintu.conftest import restore_units
from pintu.core.models import AuditEvent
from pintu.desk.models import DONE_STATUSES, Article, Door, Status, Step, Ticket
from pintu.desk.selectors import QueueFilter, queue
from pintu.org.models import Unit, User
from pintu.outbox.models import OutboxItem
from pintu.site.demo import seed_demo
from pintu.site.tests.test_demo import NOW, WIB
from pintu.sla.calendars import CalendarCache
from pintu.sla.clock import SlaState
from pintu.sop.models import ServiceType

DAYS = 60
UNITS = {"UPT-SI", "P4M", "PHK", "KS", "BAA"}


@pytest.fixture(scope="module")
def year(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Sixty days of demo requests, seeded once for the tests that only read them and
    rolled back after them."""
    from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        restore_units()
        sop_load_dir(actor=None, directory=DEFINITIONS_DIR)
        seed_demo(now=NOW, days=DAYS)
        yield
        transaction.set_rollback(True)


def tickets() -> list[Ticket]:
    return list(Ticket.objects.select_related("unit", "service_type"))


@pytest.mark.django_db
def test_every_unit_door_status_and_service_has_requests(year: None) -> None:
    made = tickets()
    assert {t.unit.code for t in made} == UNITS
    assert {t.door for t in made} == set(Door.values)
    assert {t.status for t in made} == set(Status.values)
    current = ServiceType.objects.filter(sop__is_current=True)
    assert {t.service_type_id for t in made} == set(current.values_list("pk", flat=True))
    # Both demo people and outside contacts ask.
    assert {t.requester.username for t in made if t.requester} >= {"mahasiswa", "dosen"}
    outsiders = [t.contact for t in made if t.contact and t.contact.user_id is None]
    assert outsiders
    for contact in outsiders:
        assert contact.email.endswith(".example") or contact.email.split("@")[1] in (
            "example.com",
            "example.net",
            "example.org",
        )
        assert contact.phone.startswith("62812")


@pytest.mark.django_db
def test_every_request_went_through_the_services(year: None) -> None:
    made = tickets()
    audited = Counter(
        AuditEvent.objects.filter(object_type="desk.ticket").values_list("action", flat=True)
    )
    assert audited["ticket.create"] == len(made)
    assert audited["ticket.reply"] == Article.objects.filter(kind=Article.Kind.REPLY).count()
    assert audited["ticket.note"] == Article.objects.filter(kind=Article.Kind.NOTE).count()
    # Every step done after arrival is audited (by staff, or by the requester's
    # message); the requester's leading steps, done on arrival, are not.
    on_arrival = Step.objects.filter(done_by=None, finished_at=F("ticket__received_at"))
    assert (
        audited["ticket.step"]
        == Step.objects.filter(state=Step.State.DONE).exclude(pk__in=on_arrival).count()
    )
    assert audited["ticket.rate"] == Ticket.objects.exclude(csat_score=None).count()
    assert audited["ticket.fields"] > 0 and audited["ticket.assign"] > 0
    # Walk-ins and calls were typed in by staff after the requester came.
    typed = [t for t in made if t.door in (Door.WALK_IN, Door.PHONE)]
    assert typed and all(t.created_at > t.received_at for t in typed)


@pytest.mark.django_db
def test_requests_arrive_in_working_hours_or_online(year: None) -> None:
    cache = CalendarCache()
    closed_days = 0
    for ticket in tickets():
        calendar = cache.get(ticket.unit, ticket.received_at.year)
        local = ticket.received_at.astimezone(calendar.tz)
        hours = calendar.hours_on(local.date())
        if hours is None:  # a weekend, Independence Day, a closure
            assert ticket.door in (Door.EMAIL, Door.WHATSAPP), ticket.reference
            closed_days += 1
        elif ticket.door in (Door.WALK_IN, Door.PHONE):
            assert hours[0] <= local.time() < hours[1], ticket.reference
    assert 0 < closed_days < len(tickets()) / 10
    # The span's national holidays are on the units' calendars.
    si = Unit.objects.get(code="UPT-SI")
    assert cache.get(si, 2026).hours_on(datetime(2026, 8, 17, tzinfo=WIB).date()) is None


@pytest.mark.django_db
def test_answers_and_resolutions_are_mostly_on_time_and_some_late(year: None) -> None:
    made = tickets()
    answered = [(t.first_response_at, t.first_response_due_at) for t in made if t.first_response_at]
    late_answers = [at for at, due in answered if at > due]
    assert 0.03 < len(late_answers) / len(answered) < 0.3
    resolved = [t for t in made if t.resolved_at]
    late = [t for t in resolved if t.resolved_at and t.resolved_at > t.resolution_due_at]
    assert 0.03 < len(late) / len(resolved) < 0.3
    assert all(t.status in DONE_STATUSES for t in resolved)
    assert Ticket.objects.filter(pauses__reason=Status.WAITING_REQUESTER).exists()
    assert Ticket.objects.filter(pauses__reason=Status.WAITING_THIRD_PARTY).exists()


@pytest.mark.django_db
def test_ratings_lean_positive_with_some_comments(year: None) -> None:
    rated = Ticket.objects.exclude(csat_score=None)
    scores = [score for score in rated.values_list("csat_score", flat=True) if score]
    assert len(scores) > 20
    assert set(scores) <= {1, 2, 3, 4, 5} and min(scores) <= 2
    assert statistics.mean(scores) > 3.6
    assert rated.exclude(csat_comment="").exists()
    # Only requesters with an account rate (the portal asks them).
    assert not rated.filter(requester=None).exists()


@pytest.mark.django_db
def test_steps_are_timed_against_their_mutu_baku_and_branch(year: None) -> None:
    done = Step.objects.filter(state=Step.State.DONE)
    timed = done.exclude(within_standard=None)
    assert timed.filter(within_standard=True).count() > timed.filter(within_standard=False).count()
    assert timed.filter(within_standard=False).exists()
    # SDM.5.OT.02.02-5068 flow b: the classification grants or refuses, never both.
    branches = Counter(done.filter(activity__key="b5-klasifikasi").values_list("branch", flat=True))
    assert set(branches) == {"b6-akses-diberikan", "b7-akses-ditolak"}
    assert branches["b6-akses-diberikan"] > branches["b7-akses-ditolak"]
    for step in done.filter(activity__key="b5-klasifikasi").select_related("ticket"):
        others = {
            s.activity.key: s.state
            for s in step.ticket.steps.select_related("activity")
            if s.activity.key in ("b6-akses-diberikan", "b7-akses-ditolak")
        }
        assert sorted(others.values()) == [Step.State.DONE, Step.State.SKIPPED]


@pytest.mark.django_db
def test_staf_si_queue_shows_every_state(year: None) -> None:
    staff = User.objects.get(username="staf-si")
    rows = queue(viewer=staff, unit=Unit.objects.get(code="UPT-SI"), filters=QueueFilter(), now=NOW)
    statuses = {row.ticket.status for row in rows}
    assert statuses == {
        Status.NEW,
        Status.OPEN,
        Status.WAITING_REQUESTER,
        Status.WAITING_THIRD_PARTY,
    }
    assert {SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.BREACHED} <= {r.state for r in rows}
    # Every other unit's queue has something in it too.
    for code in UNITS - {"UPT-SI"}:
        assert Ticket.objects.filter(unit__code=code, status__in=statuses).exists()


@pytest.mark.django_db
def test_past_messages_were_sent_then_and_one_question_waits_for_the_worker(
    year: None,
) -> None:
    sent = OutboxItem.objects.filter(status=OutboxItem.Status.SENT)
    assert sent.exists() and not sent.filter(created_at__gte=NOW).exists()
    # Replies, the e-learning changes P4M approved (jobs for Moodle), and what the
    # directory was asked for the year's account requests.
    assert set(sent.values_list("transport", flat=True)) == {"email", "whatsapp", "moodle", "ldap"}
    (waiting,) = OutboxItem.objects.exclude(status=OutboxItem.Status.SENT)
    assert waiting.transport == "email" and waiting.status == OutboxItem.Status.PENDING
    assert waiting.cause.status == Status.WAITING_REQUESTER
