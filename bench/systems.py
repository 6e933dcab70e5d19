"""What ``compare.py`` needs of a system under test, and the pieces both share: timed
operations over HTTP, ingestion results, and the processes' peak memory from /proc.

A system (``pintu_system.Pintu``, ``peer.system.Helpdesk``) starts its web server (and
worker), signs its people in through its own login form, names its operations (one
request, or a page shell and the data it loads), files e-mail, and says how much memory
its processes took at most. Only the standard library here, so that nothing ties the
two sides together but HTTP, IMAP and their databases.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol


class Failure(Exception):
    """An operation did not get the answer a person would have got."""


@dataclass(frozen=True)
class Operation:
    """One named thing a person does; ``run(i)`` does it for round ``i`` (the round
    picks, say, which ticket to open) and raises ``Failure`` when the answer is wrong."""

    name: str
    requests: str  # what is asked, for the report
    run: Callable[[int], None]


@dataclass
class Ingestion:
    """Messages filed by a system: when each was done (seconds, its database's clock),
    and what became of them."""

    name: str
    done_at: list[float]
    outcomes: dict[str, int] = field(default_factory=dict)
    how: str = ""

    @property
    def gaps_ms(self) -> list[float]:
        """The time between one message filed and the next: what each message cost a
        worker that had all of them waiting."""
        moments = sorted(self.done_at)
        return [(b - a) * 1000 for a, b in pairwise(moments)]

    @property
    def per_second(self) -> float:
        moments = sorted(self.done_at)
        span = moments[-1] - moments[0] if len(moments) > 1 else 0.0
        return (len(moments) - 1) / span if span > 0 else 0.0


class System(Protocol):
    name: str  # "pintu", "django-helpdesk"
    tickets: int

    def start(self) -> None: ...

    def sign_in(self) -> None: ...

    def operations(self) -> list[Operation]: ...

    def ingest_email(self, name: str, mails: Sequence[bytes]) -> Ingestion: ...

    def peak_memory_mb(self) -> dict[str, float]: ...

    def stop(self) -> None: ...


def get(browser: Any, url: str, *, timeout: float = 300) -> bytes:
    """The body of ``url``; a Failure unless it answered 200 at that address (a
    redirection to a sign-in page is a failure, not a page)."""
    try:
        with browser.open(url, timeout=timeout) as response:
            body: bytes = response.read()
            final = response.url
    except urllib.error.HTTPError as error:
        raise Failure(f"HTTP {error.code} for {url}") from None
    except OSError as error:
        raise Failure(f"{error.__class__.__name__} for {url}: {error}") from None
    if final.split("?")[0] != url.split("?")[0]:
        raise Failure(f"{url} led to {final}")
    return body


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile (0.95 for p95), interpolated between ranks."""
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[round(share * 100) - 1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    """Until ``url`` answers at all (any status)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 (our own servers)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise Failure(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.2)


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (gunicorn's workers under its master)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.extend(int(child) for child in task.read_text().split())
    return found


def peak_rss_mb(pid: int) -> float:
    """The most resident memory the process has had (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise Failure(f"no VmHWM for process {pid}")


def start(command: Sequence[str], *, cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A server process in a session of its own, so that stopping it stops its children."""
    return subprocess.Popen(  # noqa: S603 (our own command lines)
        list(command), cwd=cwd, env=env, start_new_session=True
    )


def gunicorn(
    binary: Path, app: str, *, port: int, workers: int, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """A system's web server, started the same way for every system: ``workers`` sync
    workers on 127.0.0.1, quiet, and patient with slow pages."""
    return start(
        [
            str(binary),
            app,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
    )


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
