"""The oversight of SOP SDM.5.OT.02.02-5068 flow b ("pengawasan"), run by the worker:
grants whose time is up end themselves (and open their passwords' rotation), and each
semester every person in charge gets an access review."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.vault import grants


@periodic(every=timedelta(minutes=1))
@task()
def grants_expire() -> int:
    return grants.grants_expire(now=timezone.now())


@periodic(every=timedelta(hours=6))
@task()
def reviews_open() -> int:
    return len(grants.reviews_open(now=timezone.now()))
