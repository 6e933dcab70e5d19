"""Working calendars per unit, loaded once instead of per ticket.

``CalendarCache`` holds them for one request or sweep. Behind it a small process-wide
cache keeps each loaded calendar for ``SHARED_SECONDS``, so that a worker filing a burst
of mail or WhatsApp messages does not reload holidays and closures for every message. A
change made in this process (a closure, a holiday correction, new weekly hours) clears it
at once; another process sees the change within ``SHARED_SECONDS``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from pintu.org.models import Unit
from pintu.org.selectors import non_working_dates, working_hours
from pintu.sla.calendar import WorkingCalendar, parse_weekly_hours

SHARED_SECONDS = 60.0
_shared: dict[tuple[int, int, int], tuple[float, WorkingCalendar]] = {}


def calendar_for_unit(unit: Unit, years: Iterable[int]) -> WorkingCalendar:
    """The unit's working calendar for ``years``, read afresh from the database."""
    time_zone, raw_hours = working_hours(unit)
    return WorkingCalendar(
        time_zone=time_zone,
        weekly_hours=parse_weekly_hours(raw_hours),
        non_working_dates=non_working_dates(unit, years),
    )


_zones: dict[int, ZoneInfo] = {}


def zone_for_unit(unit: Unit) -> ZoneInfo:
    """The time zone the unit's moments are read in (its business calendar's), kept
    like the calendars until calendar data changes."""
    zone = _zones.get(unit.pk)
    if zone is None:
        zone = _zones[unit.pk] = ZoneInfo(working_hours(unit)[0])
    return zone


def calendar_data_changed(**_: object) -> None:
    """Forget every shared calendar and zone (connected to saves of calendar data)."""
    _shared.clear()
    _zones.clear()


def _load(unit: Unit, first_year: int, end_year: int) -> WorkingCalendar:
    key = (unit.pk, first_year, end_year)
    now = time.monotonic()
    hit = _shared.get(key)
    if hit is not None and now - hit[0] < SHARED_SECONDS:
        return hit[1]
    calendar = calendar_for_unit(unit, range(first_year, end_year + 1))
    _shared[key] = (now, calendar)
    return calendar


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
        calendar = _load(unit, first_year, last_year + 1)
        self._calendars[unit.pk] = (first_year, last_year + 1, calendar)
        return calendar

    def get(self, unit: Unit, year: int) -> WorkingCalendar:
        return self.cover(unit, year, year)
