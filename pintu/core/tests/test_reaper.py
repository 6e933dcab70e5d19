"""A worker killed with SIGKILL leaves its task RUNNING: the next worker finds it from the
heartbeats, runs it again when it is safe to repeat and fails it with the reason when it
is not; /healthz and the admins' pages show stuck work meanwhile."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pintu.conftest import Personas, child_environment, wait_for
from pintu.core.heartbeat import heartbeat_start, heartbeat_stop
from pintu.core.reaper import (
    LEASE,
    MAX_RUNS,
    queue_health,
    stuck_tasks,
    tasks_reap,
    tasks_release,
)
from pintu.core.tests.held_tasks import held_once, held_repeatable

STALE = "1"


def start_worker(*extra: str, stale: str = STALE) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pintu",
            "worker",
            "--interval",
            "0.1",
            "--beat-every",
            "0.2",
            *extra,
        ],
        env=child_environment(PINTU_WORKER_STALE_SECONDS=stale),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def killed_while_running(task: Any, folder: Path, name: str) -> DBTaskResult:
    # Patient: it must not reap the task the worker killed before it left.
    worker = start_worker("--schedule-every", "3600", stale="3600")
    try:
        result = task.enqueue(str(folder))
        wait_for(
            lambda: (folder / f"started-{name}").exists() or worker.poll() is not None,
            f"the worker to start {name}",
        )
        assert worker.poll() is None, worker.communicate()[0]
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.RUNNING  # what SIGKILL leaves behind
    return row


@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_tasks_are_shown_then_rerun_or_failed_by_the_next_worker(
    tmp_path: Path, settings: Any, client: Client, personas: Personas
) -> None:
    settings.PINTU_WORKER_STALE_SECONDS = int(STALE)
    again = killed_while_running(held_repeatable, tmp_path, "repeatable")
    once = killed_while_running(held_once, tmp_path, "once")
    wait_for(lambda: len(stuck_tasks(now=timezone.now())) == 2, "the dead workers to go stale")

    health = client.get("/healthz").json()["tasks"]
    assert (health["running"], health["stuck"]) == (2, 2)
    client.force_login(personas.admin)
    assert "2 tugas macet" in client.get(reverse("sop-catalogue")).content.decode()

    (tmp_path / "release").touch()
    worker = start_worker("--schedule-every", "0.2")
    try:
        wait_for(
            lambda: DBTaskResult.objects.get(pk=again.pk).status == TaskResultStatus.SUCCESSFUL,
            "the repeatable task to run again and finish",
        )
        wait_for(
            lambda: DBTaskResult.objects.get(pk=once.pk).status == TaskResultStatus.FAILED,
            "the other task to be failed",
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    assert (tmp_path / "done-repeatable").exists() and not (tmp_path / "done-once").exists()
    failed = DBTaskResult.objects.get(pk=once.pk)
    assert failed.exception_class_path == "pintu.core.reaper.WorkerGone"
    assert "not safe to run again" in failed.traceback
    health = client.get("/healthz").json()["tasks"]
    assert (health["running"], health["stuck"], health["failed_by_reaper"]) == (0, 0, 1)


def running_row(worker: str, *, runs: int = 1, started_minutes_ago: int = 1) -> DBTaskResult:
    result = held_repeatable.enqueue("/nowhere")
    started = timezone.now() - timedelta(minutes=started_minutes_ago)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=[worker] * runs
    )
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db
def test_a_task_of_a_worker_still_beating_is_left_alone() -> None:
    heartbeat_start(worker_id="alive-1", now=timezone.now())
    running_row("alive-1")
    assert stuck_tasks(now=timezone.now()) == []
    assert tasks_reap(now=timezone.now()).requeued == []


@pytest.mark.django_db
def test_a_worker_that_stopped_cleanly_mid_task_leaves_a_stuck_task() -> None:
    heartbeat_start(worker_id="w-1", now=timezone.now())
    heartbeat_stop(worker_id="w-1", now=timezone.now())
    row = running_row("w-1")
    assert tasks_reap(now=timezone.now()).requeued == [str(row.pk)]
    assert DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.READY


@pytest.mark.django_db
def test_a_worker_without_heartbeat_gets_the_lease_to_finish() -> None:
    row = running_row("plain-db-worker", started_minutes_ago=5)
    assert stuck_tasks(now=timezone.now()) == []
    later = timezone.now() + LEASE
    assert [t.pk for t in stuck_tasks(now=later)] == [row.pk]


@pytest.mark.django_db
def test_a_task_that_was_running_each_time_its_worker_died_is_given_up() -> None:
    row = running_row("gone", runs=MAX_RUNS)
    heartbeat_start(worker_id="gone", now=timezone.now() - timedelta(minutes=10))
    assert tasks_reap(now=timezone.now()).failed == [str(row.pk)]
    assert queue_health(now=timezone.now()).failed_by_reaper == 1


@pytest.mark.django_db
def test_queue_lag_is_how_long_the_oldest_due_task_has_waited() -> None:
    assert queue_health(now=timezone.now()).lag_seconds == 0
    held_once.enqueue("/nowhere")
    later = timezone.now() + timedelta(seconds=90)
    health = queue_health(now=later)
    assert health.ready == 1 and 89 <= health.lag_seconds <= 91


@pytest.mark.django_db
def test_a_live_worker_puts_back_the_task_the_database_cut_short_and_only_its_own() -> None:
    heartbeat_start(worker_id="me", now=timezone.now())
    heartbeat_start(worker_id="busy-elsewhere", now=timezone.now())
    mine = running_row("me")
    theirs = running_row("busy-elsewhere")
    assert stuck_tasks(now=timezone.now()) == []  # both workers still beat
    released = tasks_release(worker_id="me", now=timezone.now())
    assert (released.requeued, released.failed) == ([str(mine.pk)], [])
    assert DBTaskResult.objects.get(pk=mine.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=theirs.pk).status == TaskResultStatus.RUNNING
