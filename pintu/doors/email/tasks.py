"""Background work of the e-mail door: every mailbox is polled on a fixed interval."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.doors.email.imap import poll_all


@periodic(every=timedelta(seconds=settings.PINTU_IMAP_POLL_SECONDS))
@task()
def poll_mailboxes() -> list[dict[str, Any]]:
    """Poll each active mailbox in turn; one that fails is recorded and skipped."""
    return [result.summary() for result in poll_all()]
