"""`pintu run` as a newcomer runs it: a real process serving the web, catching the
outbox's mail, and supervising a real worker, which comes back when it is killed; a
worker that cannot start at all ends the run with a clear message; in production nothing
is caught."""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction

from pintu.conftest import child_environment, free_port, wait_for
from pintu.core.models import WorkerHeartbeat
from pintu.doors.email.catcher import caught_files, caught_summary
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import message_queue


def get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return json.load(response)
    except OSError:
        return None


def stop(process: subprocess.Popen, signum: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(signum)
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


def start_run(environ: dict[str, str], console: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    environ.pop("PINTU_SMTP_URL", None)
    with console.open("w") as output:
        run = subprocess.Popen(
            [sys.executable, "-m", "pintu", "run", f"127.0.0.1:{port}"],
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Ctrl+C works as in a terminal even when the tests run with SIGINT ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    return run, port


def environment_of(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(pair.decode().partition("=")[::2] for pair in pairs if pair)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_comes_back_and_the_mail_it_sends_is_caught(
    tmp_path: Path, workers_cleaned_up: None
) -> None:
    console = tmp_path / "console.log"
    run, port = start_run(child_environment(PINTU_VAR_DIR=str(tmp_path / "var")), console)
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

        # The worker started again sends its mail to the catcher too.
        with transaction.atomic():
            message_queue(
                transport="email",
                purpose=OutboxItem.Purpose.NOTIFICATION,
                recipient="tamu@example.ac.id",
                subject="Uji penangkap surel",
                body_text="Halo dari Pintu.",
            )
        mail_dir = tmp_path / "var" / "mail"
        wait_for(lambda: caught_files(mail_dir), "the caught mail")
    finally:
        stop(run)
    printed = console.read_text()
    assert run.returncode == 0, printed
    assert "pintu run: the worker was killed by SIGKILL after " in printed
    assert "starting it again in 1 s" in printed
    assert "pintu run: outgoing mail is caught on smtp://127.0.0.1:" in printed
    (caught,) = caught_files(mail_dir)
    assert caught_summary(caught).subject == "Uji penangkap surel"
    assert OutboxItem.objects.get().status == OutboxItem.Status.SENT
    # The second worker was stopped cleanly by the run; the first never could say so.
    assert WorkerHeartbeat.objects.get(pid=second).stopped_at is not None
    assert WorkerHeartbeat.objects.get(pid=first).stopped_at is None


@pytest.mark.django_db(transaction=True)
def test_production_never_starts_the_catcher(tmp_path: Path, workers_cleaned_up: None) -> None:
    environ = child_environment(
        PINTU_ENV="production",
        PINTU_SECRET_KEY=secrets.token_urlsafe(64),
        PINTU_ALLOWED_HOSTS="127.0.0.1",
        PINTU_VAR_DIR=str(tmp_path / "var"),
    )
    console = tmp_path / "console.log"
    run, _port = start_run(environ, console)
    try:
        live = WorkerHeartbeat.objects.filter(stopped_at=None)
        wait_for(lambda: live.exists() or run.poll() is not None, "the worker")
        assert run.poll() is None, console.read_text()
        # The worker keeps the configured relay: run sets no PINTU_SMTP_URL of its own.
        assert "PINTU_SMTP_URL" not in environment_of(live.get().pid)
    finally:
        stop(run, signal.SIGINT)  # Ctrl+C
    printed = console.read_text()
    assert run.returncode == 0, printed
    assert "caught" not in printed
    assert live.count() == 0  # Ctrl+C stopped the worker cleanly too
    assert not (tmp_path / "var" / "mail").exists()


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
        timeout=300,  # a guard against a hang: four starts on a busy machine are slow
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "giving up" in run.stderr
    assert "4 times in a row" in run.stderr
    assert "Run `pintu worker` on its own to see why." in run.stderr
    # Waits doubling from 1 s before the four quick deaths in a row end it (on a busy
    # machine a start can outlast the 10 s of a quick death and begin the count again).
    delays = re.findall(r"starting it again in (\d+) s", run.stderr)
    assert delays[-3:] == ["1", "2", "4"], run.stderr
    assert time.monotonic() - began >= 1 + 2 + 4
