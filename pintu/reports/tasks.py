"""The worker's part of the reports: writing a version's file, and the daily reminders
before a year's report is due."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.reports.generation import generation_run
from pintu.reports.reminders import reminders_send


@task()
def generate_report(version_pk: int) -> str:
    return generation_run(version_pk, timezone.now()).status


@periodic(every=timedelta(days=1))
@task()
def report_reminders() -> int:
    return len(reminders_send(timezone.now(), timezone.localdate()))
