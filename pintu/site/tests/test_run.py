"""`pintu run` as a newcomer runs it: a real process serving the web and supervising a
real worker, which comes back when it is killed; a worker that cannot start at all ends
the run with a clear message."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pintu.conftest import child_environment
from pintu.core.models import WorkerHeartbeat


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], object], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return json.load(response)
    except OSError:
        return None


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def workers_cleaned_up() -> Iterator[None]:
    """The worker has a process group of its own: should a test fail before `pintu run`
    stopped it, it would outlive the test."""
    yield
    for pid in WorkerHeartbeat.objects.filter(stopped_at=None).values_list("pid", flat=True):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_started_again_and_stopped_with_the_run(
    tmp_path: Path, workers_cleaned_up: None
) -> None:
    port = free_port()
    console = tmp_path / "console.log"
    with console.open("w") as output:
        run = subprocess.Popen(
            [sys.executable, "-m", "pintu", "run", f"127.0.0.1:{port}"],
            env=child_environment(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        live = WorkerHeartbeat.objects.filter(stopped_at=None)
        wait_for(lambda: live.exists() or run.poll() is not None, "the first worker")
        assert run.poll() is None, console.read_text()
        first = live.get().pid
        health = f"http://127.0.0.1:{port}/healthz"
        wait_for(lambda: (get_json(health) or {}).get("worker", {}).get("running"), "the web")

        os.kill(first, signal.SIGKILL)
        wait_for(lambda: live.exclude(pid=first).exists(), "a second worker")
        second = live.exclude(pid=first).get().pid
        assert (get_json(health) or {})["status"] == "ok"
    finally:
        stop(run)
    printed = console.read_text()
    assert run.returncode == 0, printed
    assert "pintu run: the worker was killed by SIGKILL after " in printed
    assert "starting it again in 1 s" in printed
    # The second worker was stopped cleanly by the run; the first never could say so.
    assert WorkerHeartbeat.objects.get(pid=second).stopped_at is not None
    assert WorkerHeartbeat.objects.get(pid=first).stopped_at is None


def test_a_worker_that_cannot_start_ends_the_run_with_a_clear_message(tmp_path: Path) -> None:
    # A newcomer who skipped `pintu migrate`: the web serves, the worker dies at once.
    environ = child_environment(PINTU_VAR_DIR=str(tmp_path / "var"))
    del environ["DATABASE_URL"]
    began = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pintu", "run", f"127.0.0.1:{free_port()}"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "giving up" in run.stderr
    assert "4 times in a row" in run.stderr
    assert "Run `pintu worker` on its own to see why." in run.stderr
    assert run.stderr.count("starting it again in") == 3
    assert time.monotonic() - began >= 1 + 2 + 4
