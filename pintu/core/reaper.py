"""Tasks whose worker is gone: found from the heartbeats, run again where that is safe,
failed with the reason where it is not, and counted for /healthz and the admins.

A worker killed with SIGKILL (or by the kernel's OOM killer, or a machine that lost
power) cannot mark the task it was running; without this the task would stay RUNNING
forever. The lease is the heartbeat: a task is stuck when the worker that claimed it
stopped beating (``STALE_AFTER``) or stopped without finishing it. A task claimed by a
worker that never beats (Django's plain ``db_worker``) is given ``LEASE`` to finish.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Min, Q
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from pintu.core.heartbeat import stale_after
from pintu.core.models import WorkerHeartbeat

LEASE = timedelta(hours=1)
# A task that was running each of these times its worker died is not tried again: it
# may be what kills the worker.
MAX_RUNS = 3
# Task paths (``module.function``) that are safe to run twice: their work is claimed
# row by row in transactions, so a run cut short is simply done again. Periodic jobs
# register themselves here (``pintu.core.periodic``); others with ``@repeatable``.
REPEATABLE: set[str] = set()


def repeatable(task: Any) -> Any:
    REPEATABLE.add(task.module_path)
    return task


class WorkerGone(Exception):
    """Recorded on a task that its worker left RUNNING and that is not run again."""


@dataclass
class Reaped:
    requeued: list[str] = field(default_factory=list)  # task ids
    failed: list[str] = field(default_factory=list)


def _live_workers(now: datetime) -> tuple[set[str], set[str]]:
    """(workers beating now, every worker that has a heartbeat row)."""
    rows = list(WorkerHeartbeat.objects.values_list("worker_id", "last_beat_at", "stopped_at"))
    live = {w for w, beat, stopped in rows if stopped is None and now - beat <= stale_after()}
    return live, {w for w, _, _ in rows}


def gone_workers(*, now: datetime) -> set[str]:
    """The workers that stopped, or stopped beating: whatever they had claimed is
    abandoned (the outbox's claims too, ``pintu.outbox.delivery``)."""
    live, known = _live_workers(now)
    return known - live


def stuck_tasks(*, now: datetime) -> list[DBTaskResult]:
    """Tasks RUNNING whose worker is gone."""
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).defer(
            "args_kwargs", "return_value", "traceback"
        )
    )
    if not running:
        return []
    live, known = _live_workers(now)
    stuck = []
    for result in running:
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in live:
            continue
        if worker in known or result.started_at is None or now - result.started_at > LEASE:
            stuck.append(result)
    return stuck


def tasks_reap(*, now: datetime, log: Callable[[str], None] | None = None) -> Reaped:
    """Run again (READY) or fail each stuck task; each with a conditional UPDATE, so two
    workers reaping at once handle a task once."""
    return _reap(stuck_tasks(now=now), now=now, log=log)


def tasks_release(
    *, worker_id: str, now: datetime, log: Callable[[str], None] | None = None
) -> Reaped:
    """The tasks a live worker left RUNNING when the database went away under it (so
    that it could not record their end): run again or failed as if the worker had died.
    The worker runs one task at a time and calls this between tasks."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).defer(
        "args_kwargs", "return_value", "traceback"
    )
    mine = [r for r in running if r.worker_ids and r.worker_ids[-1] == worker_id]
    return _reap(mine, now=now, log=log)


def _reap(
    results: list[DBTaskResult], *, now: datetime, log: Callable[[str], None] | None
) -> Reaped:
    reaped = Reaped()
    for result in results:
        running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
        worker = result.worker_ids[-1] if result.worker_ids else "?"
        with transaction.atomic():
            if _is_repeatable(result) and len(result.worker_ids) < MAX_RUNS:
                if running.update(status=TaskResultStatus.READY, started_at=None):
                    reaped.requeued.append(str(result.pk))
            elif running.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerGone.__module__}.{WorkerGone.__qualname__}",
                traceback=(
                    f"WorkerGone: the worker {worker} stopped while running this task "
                    f"(run {len(result.worker_ids)} of at most {MAX_RUNS}); it is not "
                    "safe to run again by itself."
                ),
            ):
                reaped.failed.append(str(result.pk))
        if log is not None:
            log(f"task {result.pk} ({result.task_path}) of the gone worker {worker} reaped")
    return reaped


def _is_repeatable(result: DBTaskResult) -> bool:
    try:
        _ = result.task  # imports its module, which registers it when it is repeatable
    except Exception:  # a task whose code is gone is not run again
        return False
    return result.task_path in REPEATABLE


@dataclass(frozen=True)
class QueueHealth:
    ready: int  # waiting to run now
    running: int
    stuck: int  # running, but their worker is gone
    lag_seconds: float  # how long the oldest task due has waited; 0 when none waits
    failed_by_reaper: int  # given up after their worker died, for an admin to look at


def queue_health(*, now: datetime) -> QueueHealth:
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    # A task without a time to run after is due from when it was enqueued.
    unscheduled = ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"]
    scheduled = ready.filter(run_after__lte=now).aggregate(at=Min("run_after"))["at"]
    oldest = min((at for at in (unscheduled, scheduled) if at is not None), default=None)
    due = ready.filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
    gone = f"{WorkerGone.__module__}.{WorkerGone.__qualname__}"
    return QueueHealth(
        ready=due.count(),
        running=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        stuck=len(stuck_tasks(now=now)),
        lag_seconds=round((now - oldest).total_seconds(), 1) if oldest else 0.0,
        failed_by_reaper=DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, exception_class_path=gone
        ).count(),
    )
