"""Periodic jobs are enqueued once per period, however many workers ask."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pintu.core.models import PeriodicJob
from pintu.core.periodic import SCHEDULES, enqueue_due
from pintu.org.models import Holiday

pytestmark = pytest.mark.django_db(transaction=True)


def test_holiday_sync_is_registered_daily() -> None:
    assert SCHEDULES["pintu.org.tasks.sync_holidays"].every == timedelta(days=1)


def test_a_due_job_is_enqueued_once_per_period() -> None:
    now = timezone.now()
    assert "pintu.org.tasks.sync_holidays" in enqueue_due(now)
    # A second worker asking at the same moment, or a few seconds later, gets nothing.
    assert enqueue_due(now) == []
    assert enqueue_due(now + timedelta(seconds=5)) == []
    assert DBTaskResult.objects.count() == len(SCHEDULES)
    # A day later it is due again.
    assert "pintu.org.tasks.sync_holidays" in enqueue_due(now + timedelta(days=1, seconds=1))
    job = PeriodicJob.objects.get(name="pintu.org.tasks.sync_holidays")
    assert job.next_run_at > now + timedelta(days=1)


def test_worker_batch_runs_the_due_jobs() -> None:
    call_command("worker", "--batch")
    year = timezone.localdate().year
    assert Holiday.objects.filter(date__year=year).exists()
    assert Holiday.objects.filter(date__year=year + 1).exists()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(SCHEDULES)
