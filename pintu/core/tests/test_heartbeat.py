"""The worker's heartbeat: the rule that tells a live worker from a dead one, and the
rows a worker writes as it starts, beats and stops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pintu.core.heartbeat import (
    KEPT,
    Beat,
    current_worker_health,
    heartbeat_beat,
    heartbeat_start,
    heartbeat_stop,
    worker_health,
)
from pintu.core.models import WorkerHeartbeat

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("beats", "status", "running"),
    [
        ([], "none", 0),
        ([Beat(ago(5), stopped=False)], "ok", 1),
        ([Beat(ago(60), stopped=False)], "ok", 1),  # exactly a minute: still alive
        ([Beat(ago(61), stopped=False)], "stale", 0),
        ([Beat(ago(5), stopped=True)], "stopped", 0),
        # One live worker is enough, whatever became of the others.
        ([Beat(ago(3600), stopped=False), Beat(ago(2), stopped=False)], "ok", 1),
        ([Beat(ago(3), stopped=True), Beat(ago(2), stopped=False)], "ok", 1),
        ([Beat(ago(3), stopped=False), Beat(ago(2), stopped=False)], "ok", 2),
        # None alive: what the newest worker did decides between stale and stopped.
        ([Beat(ago(600), stopped=True), Beat(ago(90), stopped=False)], "stale", 0),
        ([Beat(ago(600), stopped=False), Beat(ago(90), stopped=True)], "stopped", 0),
        # A worker whose clock runs ahead of the web's is alive, not from the future.
        ([Beat(NOW + timedelta(seconds=20), stopped=False)], "ok", 1),
    ],
)
def test_worker_health_is_derived_from_the_beats(
    beats: list[Beat], status: str, running: int
) -> None:
    health = worker_health(beats, now=NOW)
    assert (health.status, health.running) == (status, running)
    assert health.last_beat_at == max((beat.last_beat_at for beat in beats), default=None)


def test_the_stale_limit_can_be_chosen() -> None:
    beats = [Beat(ago(20), stopped=False)]
    assert worker_health(beats, now=NOW, stale_after=timedelta(seconds=10)).status == "stale"
    assert worker_health(beats, now=NOW).status == "ok"


@pytest.mark.django_db
def test_start_beat_and_stop_write_one_row_per_worker() -> None:
    heartbeat_start(worker_id="lama-1", now=NOW - KEPT - timedelta(minutes=1))
    heartbeat_start(worker_id="kemarin-2", now=NOW - KEPT + timedelta(minutes=5))
    heartbeat_start(worker_id="host-3", now=ago(30))
    # A new worker drops the rows of workers gone for more than a day.
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {
        "kemarin-2",
        "host-3",
    }
    heartbeat_beat(worker_id="host-3", now=ago(10))
    row = WorkerHeartbeat.objects.get(worker_id="host-3")
    assert (row.started_at, row.last_beat_at, row.stopped_at) == (ago(30), ago(10), None)
    assert current_worker_health(now=NOW).status == "ok"

    heartbeat_stop(worker_id="host-3", now=ago(5))
    row.refresh_from_db()
    assert row.stopped_at == ago(5)
    assert current_worker_health(now=NOW).status == "stopped"

    # A beat for a row that went missing writes it again.
    WorkerHeartbeat.objects.all().delete()
    heartbeat_beat(worker_id="host-3", now=ago(1))
    assert current_worker_health(now=NOW).status == "ok"
