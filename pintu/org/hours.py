"""A unit's working week in words, for the pages that tell people when it is open:
"Senin–Kamis 07.30–16.00", "Sabtu–Minggu ditutup".

Pure: no ORM, no clock. Day names and times of day are interface text (gettext).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WEEKDAY_NAMES = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)


@dataclass(frozen=True)
class DaysOpen:
    """Consecutive days with the same hours: "Senin–Kamis", "07.30–16.00"."""

    days: str
    hours: str  # "closed" in words on days the unit does not work
    is_open: bool


def time_words(clock_time: str) -> str:
    """``07:30`` as the page's language writes a time of day ("07.30" in Indonesian)."""
    hour, minute = clock_time.split(":")
    return _("%(hour)s:%(minute)s") % {"hour": hour, "minute": minute}


def week_words(weekly_hours: Sequence[Sequence[str] | None]) -> list[DaysOpen]:
    """A week of opening hours (seven entries, Monday first, each ``[opens, closes]`` or
    None for closed), consecutive days with the same hours joined."""
    week = [tuple(hours) if hours else None for hours in weekly_hours]
    lines: list[DaysOpen] = []
    first = 0
    for day in range(1, len(week) + 1):
        if day < len(week) and week[day] == week[first]:
            continue
        names = str(WEEKDAY_NAMES[first])
        if day - 1 > first:
            names = f"{names}–{WEEKDAY_NAMES[day - 1]}"
        hours = week[first]
        lines.append(
            DaysOpen(
                days=names,
                hours=f"{time_words(hours[0])}–{time_words(hours[1])}" if hours else _("closed"),
                is_open=hours is not None,
            )
        )
        first = day
    return lines
