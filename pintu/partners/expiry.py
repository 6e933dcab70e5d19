"""When an agreement's expiry reminder is due, as a pure function.

Unit Kerjasama is told ahead of an agreement's last day, by default 180, 90 and 30 days
before it (``PINTU_PARTNERS_REMINDER_DAYS``), so that a renewal can be drafted while the
agreement still runs. Each reminder is sent once; when several thresholds have passed
(an agreement entered 60 days before its end), only the nearest one is sent: a reminder
that says "in 60 days" makes the one for 180 days pointless. Pure: no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

DEFAULT_DAYS = (180, 90, 30)


def parse_days(items: Iterable[str]) -> tuple[int, ...]:
    """``["180", "90", "30"]`` → ``(180, 90, 30)``, largest first; ValueError for an item
    that is not a whole number of days from 1 up."""
    days = set()
    for item in items:
        text = item.strip()
        if not text.isdigit() or int(text) < 1:
            raise ValueError(f"{item!r} is not a number of days (e.g. 180,90,30)")
        days.add(int(text))
    if not days:
        raise ValueError("name at least one number of days (e.g. 180,90,30)")
    return tuple(sorted(days, reverse=True))


def reminder_due(ends_on: date, today: date, days: Iterable[int]) -> int | None:
    """The threshold (days before ``ends_on``) whose reminder is due on ``today``: the
    nearest one that has passed, or None before the first one and after the last day."""
    left = (ends_on - today).days
    if left < 0:
        return None
    passed = [threshold for threshold in days if left <= threshold]
    return min(passed) if passed else None
