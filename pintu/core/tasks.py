"""Background work of the core: the audit chain's daily digest."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pintu.core.audit import audit_digest_record
from pintu.core.periodic import periodic


@periodic(every=timedelta(hours=1))
@task()
def audit_digest() -> int:
    """Keep today's digest of the audit chain head (its last head of the day)."""
    now = timezone.now()
    return audit_digest_record(day=timezone.localdate(now), now=now).seq
