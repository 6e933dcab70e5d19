"""Properties of the SLA clock for any start in 2026-2027 and any target (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from pintu.org.holidays import national_holidays
from pintu.org.models import default_weekly_hours
from pintu.sla.calendar import WorkingCalendar, parse_weekly_hours
from pintu.sla.clock import (
    Clock,
    SlaState,
    Target,
    TimeUnit,
    add_working_minutes,
    due_at,
    roll_forward,
    sla_state,
    warn_at,
    working_minutes_between,
)

WIB = ZoneInfo("Asia/Jakarta")
# Holidays through 2029, since a 12mo target from late 2027 ends in 2028 or later.
UNIT = WorkingCalendar(
    "Asia/Jakarta",
    parse_weekly_hours(default_weekly_hours()),
    frozenset(national_holidays(range(2026, 2030))),
)
# Largest amount drawn per unit: about a year at most.
LARGEST: dict[TimeUnit, int] = {"m": 3000, "h": 400, "d": 120, "w": 26, "mo": 12}
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def on_the_minute_in_wib(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0, tzinfo=WIB)


starts = st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31, 23, 59)).map(
    on_the_minute_in_wib
)
units = st.sampled_from(list(LARGEST))
CLOCKS: list[Clock] = ["working", "calendar"]
clocks = st.sampled_from(CLOCKS)
MINUTE_UNITS: list[TimeUnit] = ["m", "h"]
minute_units = st.sampled_from(MINUTE_UNITS)


@st.composite
def targets(draw: st.DrawFn, clock: Clock = "working") -> Target:
    unit = draw(units)
    return Target(draw(st.integers(1, LARGEST[unit])), unit, clock)


def in_working_time(moment: datetime) -> bool:
    local = moment.astimezone(WIB)
    hours = UNIT.hours_on(local.date())
    return hours is not None and hours[0] <= local.time() <= hours[1]


def minutes_of(target: Target) -> int:
    return target.amount * (60 if target.unit == "h" else 1)


@PROPERTY_SETTINGS
@given(starts, targets(), clocks)
def test_a_deadline_is_never_before_its_start(
    start: datetime, target: Target, clock: Clock
) -> None:
    on_clock = Target(target.amount, target.unit, clock)
    assert due_at(UNIT, start, on_clock) >= start


@PROPERTY_SETTINGS
@given(starts, targets())
def test_a_working_deadline_falls_in_working_time_closing_included(
    start: datetime, target: Target
) -> None:
    due = due_at(UNIT, start, target)
    assert in_working_time(due), f"{due:%a %Y-%m-%d %H:%M} is outside working time"
    assert due.tzinfo == WIB


@PROPERTY_SETTINGS
@given(starts, units, st.integers(1, 60), st.integers(0, 60), clocks)
def test_a_deadline_grows_with_the_target(
    start: datetime, unit: TimeUnit, amount: int, more: int, clock: Clock
) -> None:
    amount, more = min(amount, LARGEST[unit]), min(more, LARGEST[unit])
    smaller = Target(amount, unit, clock)
    larger = Target(amount + more, unit, clock)
    assert due_at(UNIT, start, smaller) <= due_at(UNIT, start, larger)


@PROPERTY_SETTINGS
@given(starts, minute_units, st.integers(1, 400))
def test_minutes_and_hours_consume_exactly_their_working_minutes(
    start: datetime, unit: TimeUnit, amount: int
) -> None:
    target = Target(amount, unit)
    due = due_at(UNIT, start, target)
    assert working_minutes_between(UNIT, roll_forward(UNIT, start), due) == minutes_of(target)
    # Time before the rolled start is not working time, so counting from the start agrees.
    assert working_minutes_between(UNIT, start, due) == minutes_of(target)
    assert due == add_working_minutes(UNIT, start, minutes_of(target))


@PROPERTY_SETTINGS
@given(starts, st.integers(1, 120))
def test_days_land_on_the_nth_following_working_day(start: datetime, amount: int) -> None:
    rolled = roll_forward(UNIT, start)
    due = due_at(UNIT, start, Target(amount, "d"))
    day, working_days = rolled.date(), 0
    while day < due.date():
        day += timedelta(days=1)
        working_days += UNIT.hours_on(day) is not None
    assert working_days == amount
    hours = UNIT.hours_on(due.date())
    assert hours is not None
    assert due.time() == min(max(rolled.time(), hours[0]), hours[1])


@PROPERTY_SETTINGS
@given(starts, st.integers(0, 3000), st.integers(1, 3000))
def test_adding_working_minutes_in_two_steps_is_adding_them_at_once(
    start: datetime, first: int, second: int
) -> None:
    at_once = add_working_minutes(UNIT, start, first + second)
    assert add_working_minutes(UNIT, add_working_minutes(UNIT, start, first), second) == at_once


@st.composite
def pauses_after(draw: st.DrawFn, start: datetime) -> list[tuple[datetime, datetime]]:
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        begin = start + timedelta(minutes=draw(st.integers(-600, 60 * 24 * 40)))
        spans.append((begin, begin + timedelta(minutes=draw(st.integers(0, 60 * 24 * 5)))))
    return spans


@PROPERTY_SETTINGS
@given(st.data(), starts, targets(), clocks)
def test_pauses_never_make_a_deadline_earlier(
    data: st.DataObject, start: datetime, target: Target, clock: Clock
) -> None:
    on_clock = Target(target.amount, target.unit, clock)
    pauses = data.draw(pauses_after(start))
    assert due_at(UNIT, start, on_clock, pauses) >= due_at(UNIT, start, on_clock)


@PROPERTY_SETTINGS
@given(
    st.data(),
    starts,
    minute_units,
    st.integers(1, 400),
)
def test_one_pause_before_the_deadline_adds_exactly_its_working_minutes(
    data: st.DataObject, start: datetime, unit: TimeUnit, amount: int
) -> None:
    target = Target(amount, unit)
    due = due_at(UNIT, start, target)
    span = int((due - start) / timedelta(minutes=1))
    begin = start + timedelta(minutes=data.draw(st.integers(0, span)))
    end = begin + timedelta(minutes=data.draw(st.integers(0, 60 * 24 * 10)))
    paused = working_minutes_between(UNIT, begin, end)
    pushed = due_at(UNIT, start, target, [(begin, end)])
    assert working_minutes_between(UNIT, start, pushed) == minutes_of(target) + paused


@PROPERTY_SETTINGS
@given(starts, minute_units, st.integers(1, 5000))
def test_the_calendar_clock_is_plain_arithmetic_for_minutes_and_hours(
    start: datetime, unit: TimeUnit, amount: int
) -> None:
    step = timedelta(minutes=amount) if unit == "m" else timedelta(hours=amount)
    due = due_at(UNIT, start, Target(amount, unit, "calendar"))
    assert due == start + step
    assert due.astimezone(UTC) - start.astimezone(UTC) == step


@PROPERTY_SETTINGS
@given(st.data(), starts, targets(), st.floats(0.05, 1.0))
def test_an_open_step_is_on_track_then_at_risk_from_warn_at_then_breached(
    data: st.DataObject, start: datetime, target: Target, fraction: float
) -> None:
    due = due_at(UNIT, start, target)
    warning = warn_at(UNIT, start, due, fraction)
    assert start <= warning <= due
    offset = data.draw(st.integers(-60, int((due - start) / timedelta(minutes=1)) + 60))
    now = start + timedelta(minutes=offset)
    state = sla_state(UNIT, start, due, now, warn_fraction=fraction)
    if now > due:
        assert state is SlaState.BREACHED
    elif now >= warning:
        assert state is SlaState.AT_RISK
    else:
        assert state is SlaState.ON_TRACK
    assert sla_state(UNIT, start, due, now, done_at=now) is (
        SlaState.MET if now <= due else SlaState.MISSED
    )
