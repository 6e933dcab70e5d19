"""Working calendars as data: weekly hours, national holidays, cuti bersama, closures."""

from __future__ import annotations

from datetime import date, time

import pytest

from pintu.org.holidays import national_holidays
from pintu.org.models import default_weekly_hours
from pintu.sla.calendar import WorkingCalendar, parse_weekly_hours


def test_default_hours_are_mon_thu_0730_1600_and_friday_until_1630() -> None:
    hours = parse_weekly_hours(default_weekly_hours())
    assert hours[0] == (time(7, 30), time(16, 0))
    assert hours[3] == (time(7, 30), time(16, 0))
    assert hours[4] == (time(7, 30), time(16, 30))
    assert hours[5] is None and hours[6] is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([["07:30", "16:00"]] * 6, "need 7 entries"),
        ([["07:30"]] + [None] * 6, "Mon: expected \\[opening, closing\\]"),
        ([None, ["7.30", "16:00"]] + [None] * 5, "Tue: times must look like 07:30"),
        ([None, None, ["16:00", "07:30"]] + [None] * 4, "Wed: closing 07:30 is not after"),
    ],
)
def test_bad_weekly_hours_name_the_day(raw: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_weekly_hours(raw)


def test_2026_holidays_include_cuti_bersama() -> None:
    found = national_holidays([2026])
    assert found[date(2026, 8, 17)][1] == "public"
    assert found[date(2026, 12, 24)] == ("Cuti Bersama Hari Raya Natal", "government")
    assert found[date(2026, 3, 20)][1] == "government"  # cuti bersama Idul Fitri


def test_a_calendar_closes_on_holidays_and_weekends() -> None:
    calendar = WorkingCalendar(
        time_zone="Asia/Jakarta",
        weekly_hours=parse_weekly_hours(default_weekly_hours()),
        non_working_dates=frozenset({date(2026, 8, 17)}),
    )
    assert calendar.hours_on(date(2026, 8, 17)) is None  # Monday, Independence Day
    assert calendar.hours_on(date(2026, 8, 18)) == (time(7, 30), time(16, 0))
    assert calendar.hours_on(date(2026, 8, 22)) is None  # Saturday
    assert calendar.tz.key == "Asia/Jakarta"
