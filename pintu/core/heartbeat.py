"""The worker's heartbeat: `pintu worker` records that it is alive, /healthz and the
page layout tell whether any worker is.

Each worker process has one ``WorkerHeartbeat`` row, beaten every ``BEAT_EVERY`` from its
scheduler loop and marked stopped when it stops cleanly. Whether a worker is alive is
derived when read (``worker_health``), never stored: a worker that was killed cannot
say so, it just stops beating.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from pintu.core.models import WorkerHeartbeat

BEAT_EVERY = timedelta(seconds=15)
# Four beats missed: the worker is dead or hung, not merely busy with a slow query
# (PINTU_WORKER_STALE_SECONDS, read when asked so that tests can shorten it).
STALE_AFTER = timedelta(minutes=1)


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "PINTU_WORKER_STALE_SECONDS", 60))


# Rows of workers gone this long are dropped when the next worker starts.
KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Beat:
    last_beat_at: datetime
    stopped: bool


@dataclass(frozen=True)
class WorkerHealth:
    """``ok``: a worker beat within ``STALE_AFTER``. ``stale``: the newest workers
    stopped beating without stopping cleanly (killed, crashed or hung). ``stopped``:
    every worker stopped cleanly. ``none``: no worker has ever beaten."""

    status: str
    last_beat_at: datetime | None
    running: int  # workers that beat within STALE_AFTER


def worker_health(
    beats: Iterable[Beat], *, now: datetime, stale_after: timedelta = STALE_AFTER
) -> WorkerHealth:
    beats = list(beats)
    if not beats:
        return WorkerHealth(status="none", last_beat_at=None, running=0)
    last = max(beat.last_beat_at for beat in beats)
    running = sum(
        1 for beat in beats if not beat.stopped and now - beat.last_beat_at <= stale_after
    )
    if running:
        status = "ok"
    elif any(not beat.stopped for beat in beats if beat.last_beat_at == last):
        status = "stale"
    else:
        status = "stopped"
    return WorkerHealth(status=status, last_beat_at=last, running=running)


def current_worker_health(*, now: datetime) -> WorkerHealth:
    rows = WorkerHeartbeat.objects.values_list("last_beat_at", "stopped_at")
    return worker_health(
        (Beat(last_beat_at=beat, stopped=stopped is not None) for beat, stopped in rows),
        now=now,
        stale_after=stale_after(),
    )


def this_worker_id() -> str:
    """How this process is known among the workers: its host and process id."""
    return f"{socket.gethostname()}-{os.getpid()}"[:64]


@transaction.atomic
def heartbeat_start(*, worker_id: str, now: datetime) -> None:
    """A worker starts: its first beat, and the rows of long-gone workers are dropped."""
    WorkerHeartbeat.objects.filter(last_beat_at__lt=now - KEPT).delete()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "last_beat_at": now,
            "stopped_at": None,
        },
    )


def heartbeat_beat(*, worker_id: str, now: datetime) -> None:
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_beat_at=now):
        # The row went missing (dropped by hand, or a database restored from a backup).
        heartbeat_start(worker_id=worker_id, now=now)


def heartbeat_stop(*, worker_id: str, now: datetime) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_beat_at=now, stopped_at=now)
