"""Background work of the whatsapp door: file what the webhook stored.

Queued once a webhook body commits, unless a run is already waiting to start (that run
will read the body too: a burst of a thousand bodies queues one run, not a thousand
runs that find nothing left), and every 10 seconds as a sweep for bodies whose task
was lost, messages left by a worker that stopped, and files to fetch again. One run
that reaches its time limit queues the next.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.doors.whatsapp.ingest import ingest

# Set in the shared cache while a run waits in the queue; the run takes it off as it
# starts, before it reads anything, so a body that commits after that queues the next
# run. A mark left behind (the queue refused the task) lapses, and the 10-second sweep
# takes it off anyway.
WAITING = "whatsapp-ingest-waiting"
WAITING_LAPSES = 300  # seconds


def ingest_soon() -> None:
    """Have the stored bodies filed: queue a run unless one is waiting to start."""
    if cache.add(WAITING, True, timeout=WAITING_LAPSES):
        whatsapp_ingest.enqueue()


@periodic(every=timedelta(seconds=10))
@task()
def whatsapp_ingest() -> dict[str, int]:
    cache.delete(WAITING)
    run = ingest()
    if not run.finished:
        whatsapp_ingest.enqueue()
    return {"deliveries": run.deliveries, "messages": run.messages, "media": run.media}
