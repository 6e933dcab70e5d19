"""Working calendars per unit, loaded once per request or sweep instead of per ticket."""

from __future__ import annotations

from pintu.org.calendar import WorkingCalendar
from pintu.org.models import Unit
from pintu.org.selectors import calendar_for_unit


class CalendarCache:
    """Each unit's calendar over the years asked for so far (a start year and the next,
    since a deadline can fall in the following year). One load per unit when the span
    is announced up front with ``cover``, whatever the number of tickets."""

    def __init__(self) -> None:
        self._calendars: dict[int, tuple[int, int, WorkingCalendar]] = {}

    def cover(self, unit: Unit, first_year: int, last_year: int) -> WorkingCalendar:
        """The unit's calendar for every year from ``first_year`` to ``last_year`` + 1."""
        cached = self._calendars.get(unit.pk)
        if cached is not None and cached[0] <= first_year and last_year + 1 <= cached[1]:
            return cached[2]
        if cached is not None:
            first_year, last_year = min(first_year, cached[0]), max(last_year, cached[1] - 1)
        calendar = calendar_for_unit(unit, range(first_year, last_year + 2))
        self._calendars[unit.pk] = (first_year, last_year + 1, calendar)
        return calendar

    def get(self, unit: Unit, year: int) -> WorkingCalendar:
        return self.cover(unit, year, year)
