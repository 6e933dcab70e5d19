"""Expiry reminders: when each is due (pure, table and properties), and that each is
sent once through the outbox, even with two workers sending at the same moment."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from pintu.conftest import make_user
from pintu.core.models import AuditEvent
from pintu.core.periodic import SCHEDULES
from pintu.org.models import Role
from pintu.outbox.models import OutboxItem
from pintu.partners import services
from pintu.partners.expiry import reminder_due
from pintu.partners.models import ExpiryReminder
from pintu.partners.services.reminders import expiry_reminders_send
from pintu.partners.tests.conftest import agreement_signed, partner_made

END = date(2027, 6, 30)
DEFAULT_DAYS = (180, 90, 30)  # PINTU_PARTNERS_REMINDER_DAYS's default


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (END - timedelta(days=200), None),  # before the first threshold
        (END - timedelta(days=181), None),
        (END - timedelta(days=180), 180),
        (END - timedelta(days=120), 180),  # still the 180-day one until 90 comes
        (END - timedelta(days=90), 90),
        (END - timedelta(days=31), 90),
        (END - timedelta(days=30), 30),
        (END - timedelta(days=1), 30),
        (END, 30),  # the last day still runs
        (END + timedelta(days=1), None),  # expired: nothing to remind of
    ],
)
def test_the_nearest_threshold_passed_is_the_one_due(today: date, due: int | None) -> None:
    assert reminder_due(END, today, DEFAULT_DAYS) == due


def test_an_agreement_entered_late_skips_the_far_reminders() -> None:
    # Entered 60 days before its end: the 90-day reminder, never the 180-day one.
    assert reminder_due(END, END - timedelta(days=60), (180, 90, 30)) == 90


@given(
    days=st.sets(st.integers(1, 400), min_size=1, max_size=5),
    left=st.integers(-10, 500),
)
def test_a_due_reminder_is_a_threshold_no_nearer_than_the_days_left(
    days: set[int], left: int
) -> None:
    today = END - timedelta(days=left)
    due = reminder_due(END, today, days)
    if left < 0 or left > max(days):
        assert due is None
    else:
        assert due in days and due >= left
        assert all(not (left <= other < due) for other in days)


def at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.mark.django_db
def test_each_reminder_goes_once_to_the_units_staff_through_the_outbox(ks_staff: Any) -> None:
    make_user("kepala-ks", Role.HEAD, "KS")
    make_user("staf-si2", Role.STAFF, "UPT-SI")  # works elsewhere: not told
    agreement = agreement_signed(ks_staff, partner_made(ks_staff), ends_on=END)
    assert expiry_reminders_send(now=at(END - timedelta(days=181))) == 0
    assert expiry_reminders_send(now=at(END - timedelta(days=180))) == 1
    assert expiry_reminders_send(now=at(END - timedelta(days=180), 5)) == 0  # the next hour
    assert expiry_reminders_send(now=at(END - timedelta(days=150))) == 0
    rows = OutboxItem.objects.filter(purpose="notification").order_by("recipient")
    assert [(r.transport, r.recipient) for r in rows] == [
        ("email", "kepala-ks@pintu.test"),
        ("email", "staf-kerjasama@pintu.test"),
    ]
    assert rows[0].cause == agreement and "berakhir dalam 180 hari" in rows[0].subject
    assert f"/kerjasama/perjanjian/{agreement.pk}/" in rows[0].body_text
    assert expiry_reminders_send(now=at(END - timedelta(days=90))) == 1
    assert expiry_reminders_send(now=at(END - timedelta(days=30))) == 1
    assert expiry_reminders_send(now=at(END + timedelta(days=1))) == 0
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [30, 90, 180]
    audit = AuditEvent.objects.filter(action="agreement.remind").latest("id")
    assert audit.actor is None and audit.after["days_before"] == 30


@pytest.mark.django_db
def test_a_longer_agreement_is_reminded_again_before_its_new_end(ks_staff: Any) -> None:
    agreement = agreement_signed(ks_staff, partner_made(ks_staff), ends_on=END)
    assert expiry_reminders_send(now=at(END - timedelta(days=30))) == 1
    later = END + timedelta(days=365)
    services.agreement_update(actor=ks_staff, agreement=agreement, ends_on=later)
    assert expiry_reminders_send(now=at(END - timedelta(days=30), 5)) == 0
    assert expiry_reminders_send(now=at(later - timedelta(days=90))) == 1
    assert list(
        ExpiryReminder.objects.order_by("sent_at").values_list("ends_on", "days_before")
    ) == [
        (END, 30),
        (later, 90),
    ]


@pytest.mark.django_db
def test_terminated_and_unsigned_agreements_are_not_reminded(ks_staff: Any) -> None:
    partner = partner_made(ks_staff)
    ended = agreement_signed(ks_staff, partner, number="A", ends_on=END)
    services.agreement_move(actor=ks_staff, agreement=ended, status="terminated", reason="Selesai.")
    services.agreement_create(
        actor=ks_staff, partners=[partner], kind="mou", title="Draf", ends_on=END
    )
    assert expiry_reminders_send(now=at(END - timedelta(days=10))) == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_at_once_send_each_reminder_once(ks_staff: Any) -> None:
    partner = partner_made(ks_staff)
    for number in range(5):
        agreement_signed(ks_staff, partner, number=f"N-{number}", ends_on=END)
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            sent.append(expiry_reminders_send(now=at(END - timedelta(days=30))))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent) == 5 and ExpiryReminder.objects.count() == 5
    assert OutboxItem.objects.filter(purpose="notification").count() == 5


@pytest.mark.django_db
def test_the_worker_runs_the_reminders_on_the_hour_and_the_page_lists_them(
    ks_staff: Any,
) -> None:
    schedule = SCHEDULES["pintu.partners.tasks.send_expiry_reminders"]
    assert schedule.every == timedelta(hours=1)
    agreement = agreement_signed(ks_staff, partner_made(ks_staff), ends_on=END)
    expiry_reminders_send(now=at(END - timedelta(days=90)))
    client = Client()
    client.force_login(ks_staff)
    page = client.get(reverse("partners-agreement", args=[agreement.pk])).content.decode()
    assert "Pengingat terkirim" in page and "90 hari sebelum 30 Jun 2027" in page
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Pengingat" not in title and page.count('id="reminders-title"') == 1
