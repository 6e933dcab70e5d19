"""Background work of the whatsapp door: file what the webhook stored.

Enqueued right after each webhook body commits, and every 10 seconds as a sweep for
bodies whose task was lost, messages left by a worker that stopped, and files to fetch
again. One run that reaches its time limit enqueues the next.
"""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from pintu.core.periodic import periodic
from pintu.doors.whatsapp.ingest import ingest


@periodic(every=timedelta(seconds=10))
@task()
def whatsapp_ingest() -> dict[str, int]:
    run = ingest()
    if not run.finished:
        whatsapp_ingest.enqueue()
    return {"deliveries": run.deliveries, "messages": run.messages, "media": run.media}
