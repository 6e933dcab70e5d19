"""When a year's report is due and which reminder goes on a given day."""

from __future__ import annotations

from datetime import date

import pytest

from pintu.reports.schedule import due_date, reminder_due


def test_the_report_on_a_year_is_due_on_the_day_of_the_next_year() -> None:
    assert due_date(2026, (1, 31)) == date(2027, 1, 31)
    assert due_date(2026, (3, 15)) == date(2027, 3, 15)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 31), None),  # 31 days left: no threshold reached yet
        (date(2027, 1, 1), 30),  # 30 days left
        (date(2027, 1, 20), 30),  # 11 days left: still the 30-day one
        (date(2027, 1, 24), 7),  # 7 days left: the nearest reached
        (date(2027, 1, 31), 7),  # the due day itself
        (date(2027, 2, 1), None),  # past due: nothing more
    ],
)
def test_the_nearest_reached_threshold_is_the_reminder_of_the_day(
    today: date, expected: int | None
) -> None:
    assert reminder_due(today, 2026, (1, 31), (30, 7)) == expected


def test_no_thresholds_means_no_reminder() -> None:
    assert reminder_due(date(2027, 1, 30), 2026, (1, 31), ()) is None
