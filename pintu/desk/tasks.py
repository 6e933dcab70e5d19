"""The SLA sweep, run by the worker every minute."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.desk.sweep import sweep


@periodic(every=timedelta(minutes=1))
@task()
def sla_sweep() -> dict[str, int]:
    result = sweep(timezone.now())
    return {"warned": result.warned, "escalated": result.escalated}
