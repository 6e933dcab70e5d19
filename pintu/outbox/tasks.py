"""The outbox's background work: each queued message is sent right after its cause
commits (``deliver_now``), and every 30 seconds the worker sweeps up whatever is due:
retries, messages whose task was lost, claims abandoned by a dead worker."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.core.reaper import repeatable
from pintu.outbox import delivery


@periodic(every=timedelta(seconds=30))
@task()
def deliver_due() -> int:
    return delivery.deliver_due(timezone.now())


@repeatable  # a message is claimed with a lease and sent under its idempotency key
@task()
def deliver_now(message_id: int) -> bool:
    return delivery.deliver_one(message_id, timezone.now())
