"""Availability of the online learning services (B.1.8.17.a "ketersediaan layanan
e-learning, perpustakaan (e-journal, e-book, e-repository)"; B.1.8.17.b "mudah diakses")
as pure arithmetic over probes: what counts as up, when a failure is sustained, and each
service's availability and answer time per month.

Pure: no ORM, no clock, no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def is_up(status: int | None) -> bool:
    """A service is up when it answers with a page or a redirect, or asks who you are (a
    login page is a service that works); an error status or no answer is down."""
    if status is None:
        return False
    return 200 <= status < 400 or status in (401, 403)


def failures_in_a_row(ups: Sequence[bool]) -> int:
    """How many of the latest probes failed without a good one between (newest first)."""
    count = 0
    for up in ups:
        if up:
            break
        count += 1
    return count


@dataclass(frozen=True)
class Month:
    """One service's probes in one month."""

    service: str
    year: int
    month: int
    up: int  # probes that found it up
    total: int  # probes made
    answer_ms: float | None = None  # the mean time of its answers when up

    @property
    def share(self) -> float | None:
        """Its availability in percent, or None when it was not probed."""
        return 100.0 * self.up / self.total if self.total else None
