"""Background work of the records app: the daily retention run."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.records.services import retention_run


@periodic(every=timedelta(days=1))
@task()
def retention_daily() -> int:
    """Destroy what the heads approved (archived and verified first) and propose what
    has passed its period since; returns the records destroyed."""
    return retention_run(now=timezone.now()).run.purged
