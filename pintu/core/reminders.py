"""Which of several reminders before a deadline is due. Pure: no ORM, no clock.

A deadline is announced ahead, so many days before it (e.g. 180, 90 and 30 before an
agreement ends; 30 and 7 before a report is due). Each reminder goes once; when several
thresholds have passed (the deadline became known late), only the nearest one is sent: a
reminder that says "in 60 days" makes the one for 180 days pointless.
"""

from __future__ import annotations

from collections.abc import Iterable


def nearest_threshold(days_left: int, thresholds: Iterable[int]) -> int | None:
    """The threshold due with ``days_left`` days to go: the nearest one reached, or None
    before the first one and once the deadline has passed."""
    if days_left < 0:
        return None
    reached = [threshold for threshold in thresholds if days_left <= threshold]
    return min(reached) if reached else None
