"""The partnerships' background work: expiry reminders, checked on the hour."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.partners.services.reminders import expiry_reminders_send


@periodic(every=timedelta(hours=1))
@task()
def send_expiry_reminders() -> int:
    return expiry_reminders_send(now=timezone.now())
