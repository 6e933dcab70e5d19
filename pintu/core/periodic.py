"""Periodic jobs: tasks that the worker enqueues on a fixed interval.

Apps declare them in their ``tasks.py`` with ``@periodic(every=...)`` on top of
``@task``. ``enqueue_due`` claims each due job with a conditional UPDATE on
``PeriodicJob.next_run_at`` so that, however many workers run, one run is enqueued once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pintu.core.models import PeriodicJob
from pintu.core.reaper import REPEATABLE


@dataclass(frozen=True)
class Schedule:
    name: str
    task: Any  # a django_tasks Task
    every: timedelta


SCHEDULES: dict[str, Schedule] = {}


def periodic(*, every: timedelta) -> Callable[[Any], Any]:
    def register(task: Any) -> Any:
        name = task.module_path
        SCHEDULES[name] = Schedule(name=name, task=task, every=every)
        # A periodic job is a sweep over rows it claims one by one: a run cut short by a
        # dying worker is done again by the next (pintu.core.reaper).
        REPEATABLE.add(name)
        return task

    return register


def _claim(schedule: Schedule, now: datetime) -> bool:
    PeriodicJob.objects.bulk_create(
        [PeriodicJob(name=schedule.name, next_run_at=now)], ignore_conflicts=True
    )
    claimed = PeriodicJob.objects.filter(name=schedule.name, next_run_at__lte=now).update(
        next_run_at=now + schedule.every, last_run_at=now
    )
    return claimed == 1


def enqueue_due(now: datetime) -> list[str]:
    """Enqueue every job whose time has come; returns the names enqueued."""
    enqueued = []
    for schedule in SCHEDULES.values():
        if _claim(schedule, now):
            schedule.task.enqueue()
            enqueued.append(schedule.name)
    return enqueued
