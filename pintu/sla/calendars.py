"""Working calendars per unit, loaded once per request or sweep instead of per ticket."""

from __future__ import annotations

from pintu.org.calendar import WorkingCalendar
from pintu.org.models import Unit
from pintu.org.selectors import calendar_for_unit


class CalendarCache:
    """Each unit's calendar, for the years a computation may touch (start year + 1)."""

    def __init__(self) -> None:
        self._calendars: dict[tuple[int, int, int], WorkingCalendar] = {}

    def get(self, unit: Unit, year: int) -> WorkingCalendar:
        key = (unit.pk, year, year + 1)
        if key not in self._calendars:
            self._calendars[key] = calendar_for_unit(unit, [year, year + 1])
        return self._calendars[key]
