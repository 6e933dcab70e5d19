"""Indonesia's national holidays and cuti bersama, from the `holidays` package.

Pure: no ORM. The org services load them into ``Holiday`` rows (which admins correct);
a year nobody loaded yet falls back to this list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import holidays


def national_holidays(years: Iterable[int]) -> dict[date, tuple[str, str]]:
    """Indonesian national holidays and cuti bersama: {date: (name, category)}."""
    found: dict[date, tuple[str, str]] = {}
    for category in ("public", "government"):
        calendar = holidays.country_holidays(
            "ID", years=list(years), categories=(category,), language="id"
        )
        for day, name in calendar.items():
            found.setdefault(day, (name, category))
    return found
