"""Background work of the organisation app."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.org import services


@periodic(every=timedelta(days=1))
@task()
def sync_holidays() -> int:
    """Keep this year's and next year's national holidays loaded (corrections survive)."""
    year = timezone.localdate().year
    return services.holidays_sync(actor=None, years=[year, year + 1])
