"""A unit's working calendar as plain data, for the SLA clock to compute with.

Pure: no ORM, no clock reads. ``pintu.sla.calendars.calendar_for_unit`` builds one from
the organisation's data; tests build them directly.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Hours = tuple[time, time] | None


@dataclass(frozen=True)
class WorkingCalendar:
    time_zone: str
    weekly_hours: tuple[Hours, ...]  # seven entries, Monday first
    non_working_dates: frozenset[date]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def hours_on(self, day: date) -> Hours:
        """Opening and closing time on ``day``, or None when nobody works that day."""
        if day in self.non_working_dates:
            return None
        return self.weekly_hours[day.weekday()]


def parse_weekly_hours(raw: Sequence[Sequence[str] | None]) -> tuple[Hours, ...]:
    """Turn ``[["07:30", "16:00"], ..., None]`` into times, with errors naming the day."""
    if len(raw) != 7:
        raise ValueError(f"weekly hours need 7 entries (Monday first), got {len(raw)}")
    parsed: list[Hours] = []
    for name, entry in zip(WEEKDAYS, raw, strict=True):
        if entry is None:
            parsed.append(None)
            continue
        if len(entry) != 2:
            raise ValueError(f"{name}: expected [opening, closing], got {entry!r}")
        try:
            opening, closing = (time.fromisoformat(value) for value in entry)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: times must look like 07:30, got {entry!r}") from None
        if closing <= opening:
            raise ValueError(f"{name}: closing {entry[1]} is not after opening {entry[0]}")
        parsed.append((opening, closing))
    return tuple(parsed)
