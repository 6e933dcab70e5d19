"""When an agreement's expiry reminder is due, as a pure function.

Unit Kerjasama is told ahead of an agreement's last day, by default 180, 90 and 30 days
before it (``PINTU_PARTNERS_REMINDER_DAYS``), so that a renewal can be drafted while the
agreement still runs. Each reminder is sent once, the nearest threshold only
(``pintu.core.reminders``). Pure: no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pintu.core.reminders import nearest_threshold


def reminder_due(ends_on: date, today: date, days: Iterable[int]) -> int | None:
    """The threshold (days before ``ends_on``) whose reminder is due on ``today``: the
    nearest one that has passed, or None before the first one and after the last day."""
    return nearest_threshold((ends_on - today).days, days)
