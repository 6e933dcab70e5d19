"""Tasks for the reaper's tests: each says it started, then waits to be released, so a
test can kill the worker that runs it at a known point."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from pintu.core.reaper import repeatable


def _held(folder: str, name: str) -> str:
    here = Path(folder)
    (here / f"started-{name}").touch()
    deadline = time.monotonic() + 120
    while not (here / "release").exists():
        assert time.monotonic() < deadline, "never released"
        time.sleep(0.05)
    (here / f"done-{name}").touch()
    return name


@repeatable
@task()
def held_repeatable(folder: str) -> str:
    return _held(folder, "repeatable")


@task()
def held_once(folder: str) -> str:
    return _held(folder, "once")
