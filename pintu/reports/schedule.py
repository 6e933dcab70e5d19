"""When a year's report is due and which reminder is due today. Pure: no ORM."""

from __future__ import annotations

from datetime import date

from pintu.core.reminders import nearest_threshold


def due_date(year: int, day: tuple[int, int]) -> date:
    """The day the report on ``year`` is due: ``day`` (month, day) of the next year."""
    return date(year + 1, *day)


def reminder_due(today: date, year: int, day: tuple[int, int], days: tuple[int, ...]) -> int | None:
    """The reminder to send today for the report on ``year`` (the nearest threshold of
    days before its due day that has been reached), or None."""
    return nearest_threshold((due_date(year, day) - today).days, days)
