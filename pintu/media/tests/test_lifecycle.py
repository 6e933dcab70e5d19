"""A content item's statuses and the calendar's arithmetic (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pintu.media import lifecycle
from pintu.media.lifecycle import MoveRefused

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("current", "wanted", "evidence", "allowed"),
    [
        ("idea", "planned", False, True),
        ("planned", "in_production", False, True),
        ("in_production", "in_review", False, True),
        ("in_review", "approved", False, True),
        ("in_review", "in_production", False, True),  # sent back to production
        ("approved", "published", False, False),  # needs its publication
        ("approved", "published", True, True),
        ("published", "evaluated", False, False),  # needs its reach
        ("published", "evaluated", True, True),
        ("published", "approved", False, False),  # never unpublished
        ("evaluated", "published", True, True),
        ("idea", "in_review", False, False),  # one step at a time
        ("planned", "planned", False, False),
        ("planned", "archived", False, False),
    ],
)
def test_items_move_one_status_at_a_time_with_their_evidence(
    current: lifecycle.Status, wanted: lifecycle.Status, evidence: bool, allowed: bool
) -> None:
    if allowed:
        lifecycle.check_move(current, wanted, with_evidence=evidence)
    else:
        with pytest.raises(MoveRefused):
            lifecycle.check_move(current, wanted, with_evidence=evidence)


@pytest.mark.parametrize(
    ("current", "buttons"),
    [
        ("idea", ("planned",)),
        ("planned", ("idea", "in_production")),
        ("approved", ("in_review",)),  # publishing takes its form
        ("published", ()),
        ("evaluated", ()),
    ],
)
def test_the_buttons_offer_the_moves_that_need_no_evidence(
    current: lifecycle.Status, buttons: tuple[str, ...]
) -> None:
    assert lifecycle.button_moves(current) == buttons


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=WIB)


def test_slippage_is_measured_against_the_plan() -> None:
    assert lifecycle.slippage(at(7), at(9)) == timedelta(days=2)
    assert lifecycle.slippage(at(7), at(6)) == -timedelta(days=1)
    grace = timedelta(days=1)
    assert lifecycle.on_time(at(7), at(8), grace=grace)
    assert not lifecycle.on_time(at(7), at(8, 10), grace=grace)


def test_a_periods_slippage_in_figures_worked_out_by_hand() -> None:
    pairs = [
        (at(1), at(1, 15)),  # 0.25 days late: on time
        (at(3), at(6)),  # 3 days late
        (at(10), at(9)),  # a day early: on time
        (at(20), None),  # not published yet
    ]
    summary = lifecycle.slippage_summary(pairs, grace=timedelta(days=1))
    assert (summary.planned, summary.published, summary.on_time) == (4, 3, 2)
    assert summary.mean_days == pytest.approx((0.25 + 3 - 1) / 3)
    assert lifecycle.slippage_summary([], grace=timedelta(0)).mean_days is None


def test_a_months_grid_starts_on_monday_and_fills_its_weeks() -> None:
    weeks = lifecycle.month_grid(2026, 12)  # 1 December 2026 is a Tuesday
    assert len(weeks) == 5 and all(len(week) == 7 for week in weeks)
    assert weeks[0][0] == date(2026, 11, 30) and weeks[-1][-1] == date(2027, 1, 3)
    assert lifecycle.month_grid(2026, 2)[0][0] == date(2026, 1, 26)  # from a Sunday
    assert lifecycle.month_grid(2026, 6)[0][0] == date(2026, 6, 1)  # a Monday: itself
    # February 2021 starts on a Monday and has 28 days: exactly four weeks.
    assert len(lifecycle.month_grid(2021, 2)) == 4


def test_a_week_and_a_move_to_another_day() -> None:
    assert lifecycle.week_of(date(2026, 12, 3)) == [
        date(2026, 11, 30) + timedelta(days=n) for n in range(7)
    ]
    assert lifecycle.moved_to(at(7, 14), date(2026, 12, 10)) == at(10, 14)
    assert lifecycle.moved_to(at(7, 14), date(2026, 11, 28)) == datetime(
        2026, 11, 28, 14, tzinfo=WIB
    )
