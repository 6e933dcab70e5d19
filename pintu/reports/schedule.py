"""When a year's report is due and which reminder is due today. Pure: no ORM."""

from __future__ import annotations

from datetime import date


def due_date(year: int, spec: str) -> date:
    """The day the report on ``year`` is due: ``spec`` (MM-DD) of the next year."""
    month, day = (int(part) for part in spec.split("-", 1))
    return date(year + 1, month, day)


def reminder_due(today: date, year: int, spec: str, days: list[int]) -> int | None:
    """The reminder to send today for the report on ``year``: the nearest threshold (days
    before the due day) that has been reached, or None once the day has passed or no
    threshold is reached yet. Only the nearest: a unit reminded late is not sent every
    earlier reminder at once."""
    left = (due_date(year, spec) - today).days
    if left < 0:
        return None
    reached = [d for d in days if left <= d]
    return min(reached) if reached else None
