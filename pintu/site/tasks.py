"""The site's periodic job: the demo's live arrivals, filed once their moment has come."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.site.demo.arrivals import arrivals_file_due


@periodic(every=timedelta(seconds=30))
@task()
def demo_arrivals() -> int:
    return len(arrivals_file_due(timezone.now()))
