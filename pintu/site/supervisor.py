"""Keeps the worker that `pintu run` started alive: it is started again when it dies,
after a wait that doubles with each quick death, and after a few quick deaths in a row
the supervisor gives up, since a worker that dies at once every time has a cause to fix
(an unmigrated database, a bad setting) that no restart will cure.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RestartPolicy:
    first_delay: float = 1.0  # seconds before restarting; doubles after each quick death
    quick: float = 10.0  # a worker that dies within this many seconds of starting
    give_up_after: int = 4  # quick deaths in a row


def next_restart(
    *, lifetime: float, quick_deaths: int, policy: RestartPolicy
) -> tuple[int, float | None]:
    """After a worker died ``lifetime`` seconds after it started, following
    ``quick_deaths`` quick deaths in a row: the quick deaths in a row now, and how long
    to wait before starting it again (None: give up)."""
    if lifetime >= policy.quick:
        return 0, policy.first_delay
    deaths = quick_deaths + 1
    if deaths >= policy.give_up_after:
        return deaths, None
    return deaths, policy.first_delay * 2 ** (deaths - 1)


def exit_description(returncode: int) -> str:
    if returncode >= 0:
        return f"exited with status {returncode}"
    try:
        return f"was killed by {signal.Signals(-returncode).name}"
    except ValueError:
        return f"was killed by signal {-returncode}"


class Supervisor:
    """Runs ``command`` as a child process and starts it again whenever it dies, until
    ``stop``. The child gets a process group of its own, so that Ctrl+C in the terminal
    reaches only the supervising process, which then stops the child itself."""

    def __init__(
        self,
        command: list[str],
        *,
        env: dict[str, str] | None = None,
        policy: RestartPolicy | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        self.command = command
        self.env = env
        self.policy = policy or RestartPolicy()
        self.say = say
        self.child: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # no child is started once stop has begun

    def run(self) -> str | None:
        """Keep the child running; returns None once stopped, or why it gave up."""
        quick_deaths = 0
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return None
                # The command is the caller's own (`pintu run` passes `pintu worker`).
                child = subprocess.Popen(self.command, env=self.env, process_group=0)  # noqa: S603
                self.child = child
            started = time.monotonic()
            returncode = child.wait()
            if self._stopping.is_set():
                return None
            lifetime = time.monotonic() - started
            quick_deaths, delay = next_restart(
                lifetime=lifetime, quick_deaths=quick_deaths, policy=self.policy
            )
            how = exit_description(returncode)
            if delay is None:
                return (
                    f"the worker {how}, {quick_deaths} times in a row within "
                    f"{self.policy.quick:g} s of starting; giving up. "
                    "Run `pintu worker` on its own to see why."
                )
            self.say(f"the worker {how} after {lifetime:.1f} s; starting it again in {delay:g} s")
            if self._stopping.wait(delay):
                return None

    def stop(self, timeout: float = 15) -> None:
        """Stop supervising and stop the child (SIGTERM, then SIGKILL after ``timeout``)."""
        with self._lock:
            self._stopping.set()
            child = self.child
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
