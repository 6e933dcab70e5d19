"""`pintu run` keeps its worker alive: the restart policy, and the supervisor's loop
driving real short-lived child processes."""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from pintu.site.supervisor import RestartPolicy, Supervisor, exit_description, next_restart

POLICY = RestartPolicy(first_delay=1, quick=10, give_up_after=4)


@pytest.mark.parametrize(
    ("lifetime", "quick_deaths", "expected"),
    [
        (0.2, 0, (1, 1)),  # the first quick death: wait the first delay
        (0.2, 1, (2, 2)),  # then twice as long each time
        (9.9, 2, (3, 4)),
        (0.2, 3, (4, None)),  # the fourth in a row: give up
        (10, 3, (0, 1)),  # a worker that lived past the quick limit starts the count afresh
        (3600, 0, (0, 1)),
    ],
)
def test_the_wait_doubles_with_each_quick_death_until_it_gives_up(
    lifetime: float, quick_deaths: int, expected: tuple[int, float | None]
) -> None:
    assert next_restart(lifetime=lifetime, quick_deaths=quick_deaths, policy=POLICY) == expected


def test_a_worker_that_dies_at_once_every_time_is_given_up_on_after_a_few_tries() -> None:
    # The longest run of waits before giving up stays short for a newcomer watching it.
    deaths, waits = 0, []
    while True:
        deaths, wait = next_restart(lifetime=0.5, quick_deaths=deaths, policy=RestartPolicy())
        if wait is None:
            break
        waits.append(wait)
    assert waits == [1, 2, 4]


@pytest.mark.parametrize(
    ("returncode", "text"),
    [
        (0, "exited with status 0"),
        (1, "exited with status 1"),
        (-signal.SIGKILL, "was killed by SIGKILL"),
        (-signal.SIGTERM, "was killed by SIGTERM"),
        (-200, "was killed by signal 200"),
    ],
)
def test_exit_description(returncode: int, text: str) -> None:
    assert exit_description(returncode) == text


FAST = RestartPolicy(first_delay=0.05, quick=30, give_up_after=3)


def python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def test_a_child_that_exits_at_once_is_restarted_then_given_up_on(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    lines: list[str] = []
    supervisor = Supervisor(
        python("import sys; open(sys.argv[1], 'a').write('x'); sys.exit(1)", str(starts)),
        policy=FAST,
        say=lines.append,
    )
    began = time.monotonic()
    reason = supervisor.run()
    assert starts.read_text() == "xxx"
    assert reason is not None and "3 times in a row" in reason and "pintu worker" in reason
    assert len(lines) == 2
    assert lines[0].startswith("the worker exited with status 1 after ")
    assert lines[0].endswith("starting it again in 0.05 s")
    assert lines[1].endswith("starting it again in 0.1 s")
    assert time.monotonic() - began >= 0.15  # it waited between the tries


def test_a_child_that_dies_once_is_restarted_and_stopped_with_the_supervisor(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "died-once"
    code = (
        "import pathlib, sys, time\n"
        "marker = pathlib.Path(sys.argv[1])\n"
        "if not marker.exists():\n"
        "    marker.touch()\n"
        "    sys.exit(3)\n"
        "marker.write_text('running')\n"
        "time.sleep(60)\n"
    )
    lines: list[str] = []
    supervisor = Supervisor(python(code, str(marker)), policy=FAST, say=lines.append)
    outcome: list[str | None] = []
    thread = threading.Thread(target=lambda: outcome.append(supervisor.run()))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not (marker.exists() and marker.read_text() == "running"):
            assert time.monotonic() < deadline, "the child was not started again"
            time.sleep(0.02)
        second = supervisor.child
        assert second is not None and second.poll() is None
    finally:
        supervisor.stop()
        thread.join(timeout=30)
    assert outcome == [None]
    assert second.returncode == -signal.SIGTERM
    assert len(lines) == 1 and lines[0].startswith("the worker exited with status 3")


def test_a_child_that_lived_long_enough_is_restarted_however_often_it_dies(
    tmp_path: Path,
) -> None:
    starts = tmp_path / "starts"
    lines: list[str] = []
    supervisor = Supervisor(
        python(
            "import sys, time; open(sys.argv[1], 'a').write('x'); time.sleep(0.3); sys.exit(1)",
            str(starts),
        ),
        policy=RestartPolicy(first_delay=0.01, quick=0.2, give_up_after=2),
        say=lines.append,
    )
    outcome: list[str | None] = []
    thread = threading.Thread(target=lambda: outcome.append(supervisor.run()))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(starts.read_text() if starts.exists() else "") < 4:
            assert thread.is_alive(), f"the supervisor gave up: {outcome}"
            assert time.monotonic() < deadline, "the child was not restarted"
            time.sleep(0.02)
    finally:
        supervisor.stop()
        thread.join(timeout=30)
    assert outcome == [None]
    assert all("starting it again in 0.01 s" in line for line in lines)


def test_a_stopped_supervisor_starts_nothing() -> None:
    supervisor = Supervisor(python("raise SystemExit(1)"), policy=FAST, say=print)
    supervisor.stop()
    assert supervisor.run() is None
    assert supervisor.child is None
