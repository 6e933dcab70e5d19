"""The SLA clock: deadlines, working time and SLA state over a unit's working calendar.

Pure functions over ``pintu.sla.calendar.WorkingCalendar``: no ORM and no clock reads
(``now`` is always a parameter). The rules are those of "The SLA clock" in DESIGN.md.
Every datetime in and out is timezone-aware; results are in the calendar's time zone.

Readings of the cases DESIGN.md leaves open:

- Working time is half-open for starts and closed for deadlines: a start exactly at
  closing time is outside working time and rolls to the next opening, while a deadline
  may fall exactly on a closing time (15m from 15:45 on a 16:00 day is 16:00).
- ``add_working_minutes`` returns the *earliest* moment at which that much working time
  has passed; adding nothing returns the start unchanged.
- For ``d``, ``w`` and ``mo`` the start's time of day is kept, but clamped into the due
  day's opening hours: later than closing gives the closing time (DESIGN.md), earlier
  than opening gives the opening time (our reading, for days that open later).
- The calendar clock moves ``m`` and ``h`` by elapsed time and ``d``, ``w`` and ``mo``
  by the local date, keeping the wall time of day; in a zone without daylight saving
  time (all of Indonesia) both are the same wall-time arithmetic. It does not roll.
- Pauses are merged (overlapping and adjacent ones count once) and cut at the start. In
  order, each pause that begins no later than the deadline so far moves that deadline
  by its working time (working clock) or elapsed time (calendar clock). A pause that
  begins after the deadline moves nothing: the breach has already happened.
- While a pause that counts is still open (its end is None), the deadline is unknown and
  ``due_at`` returns None; the caller stores no deadline until the ticket resumes.
"""

from __future__ import annotations

import enum
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, cast, overload

from pintu.sla.calendar import WorkingCalendar
from pintu.sop.definition import CLOCKS, DURATION_RE

Clock = Literal["working", "calendar"]
TimeUnit = Literal["m", "h", "d", "w", "mo"]
TIME_UNITS = ("m", "h", "d", "w", "mo")
ClosedPause = tuple[datetime, datetime]
Pause = tuple[datetime, datetime | None]

# How far ahead to look for the next working day before giving up on the calendar.
SEARCH_DAYS = 366
ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)
NO_TIME = timedelta(0)


@dataclass(frozen=True)
class Target:
    """A time standard such as ``4h`` on the working clock or ``3d`` on the calendar."""

    amount: int
    unit: TimeUnit
    clock: Clock = "working"

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise ValueError(f"a target needs a positive amount, got {self.amount}")
        if self.unit not in TIME_UNITS:
            raise ValueError(f"unit {self.unit!r} is not one of {', '.join(TIME_UNITS)}")
        if self.clock not in CLOCKS:
            raise ValueError(f"clock {self.clock!r} is not one of {', '.join(CLOCKS)}")

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


def parse_target(text: str, clock: str = "working") -> Target:
    """``"15m"`` -> ``Target(15, "m", "working")``, with an error that shows the syntax."""
    match = DURATION_RE.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a target (use 15m, 4h, 1d, 2w or 1mo)")
    if clock not in CLOCKS:
        raise ValueError(f"clock {clock!r} is not one of {', '.join(CLOCKS)}")
    return Target(
        amount=int(match["amount"]),
        unit=cast(TimeUnit, match["unit"]),
        clock=cast(Clock, clock),
    )


class SlaState(enum.Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"
    MISSED = "missed"


# Internally every moment is in UTC, so that subtraction and comparison measure elapsed
# time even across a daylight-saving change (Python compares datetimes that share one
# tzinfo by their wall time).


def _utc(moment: datetime, name: str = "moment") -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} {moment.isoformat()} has no time zone (naive datetime)")
    return moment.astimezone(UTC)


def _local_day(calendar: WorkingCalendar, moment: datetime) -> date:
    return moment.astimezone(calendar.tz).date()


def _at(calendar: WorkingCalendar, day: date, time_of_day: time) -> datetime:
    return datetime.combine(day, time_of_day, tzinfo=calendar.tz).astimezone(UTC)


def _window(calendar: WorkingCalendar, day: date) -> tuple[datetime, datetime] | None:
    hours = calendar.hours_on(day)
    if hours is None:
        return None
    return _at(calendar, day, hours[0]), _at(calendar, day, hours[1])


def _next_working_day(calendar: WorkingCalendar, day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    for offset in range(SEARCH_DAYS):
        candidate = day + timedelta(days=offset)
        if calendar.hours_on(candidate) is not None:
            return candidate
    raise ValueError(
        f"calendar has no working time: no working day in the {SEARCH_DAYS} days "
        f"from {day.isoformat()}"
    )


def _roll_forward(calendar: WorkingCalendar, moment: datetime) -> datetime:
    day = _local_day(calendar, moment)
    window = _window(calendar, day)
    if window is not None and moment < window[1]:
        return max(moment, window[0])
    opening = _window(calendar, _next_working_day(calendar, day + ONE_DAY))
    assert opening is not None
    return opening[0]


def roll_forward(calendar: WorkingCalendar, moment: datetime) -> datetime:
    """``moment`` if it is working time, else the next opening (closing time is outside)."""
    return _roll_forward(calendar, _utc(moment)).astimezone(calendar.tz)


def _working_time(calendar: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    total = NO_TIME
    day, last = _local_day(calendar, start), _local_day(calendar, end)
    while day <= last:
        window = _window(calendar, day)
        if window is not None:
            overlap = min(window[1], end) - max(window[0], start)
            if overlap > NO_TIME:
                total += overlap
        day += ONE_DAY
    return total


def working_minutes_between(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Whole working minutes from ``start`` to ``end`` (0 when ``end`` is not later)."""
    return _working_time(calendar, _utc(start, "start"), _utc(end, "end")) // ONE_MINUTE


def _add_working_time(calendar: WorkingCalendar, start: datetime, amount: timedelta) -> datetime:
    if amount <= NO_TIME:
        return start
    remaining = amount
    day = _local_day(calendar, start)
    while True:
        window = _window(calendar, day)
        if window is not None:
            begin = max(window[0], start)
            available = window[1] - begin
            if available > NO_TIME:
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day = _next_working_day(calendar, day + ONE_DAY)


def add_working_minutes(calendar: WorkingCalendar, start: datetime, minutes: int) -> datetime:
    """The earliest moment by which ``minutes`` of working time have passed since ``start``.

    The result may be a closing time; a start outside working time counts from the next
    opening.
    """
    if minutes < 0:
        raise ValueError(f"cannot add a negative number of working minutes ({minutes})")
    moment = _add_working_time(calendar, _utc(start, "start"), minutes * ONE_MINUTE)
    return moment.astimezone(calendar.tz)


def _add_months(day: date, months: int) -> date:
    """Calendar months later, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def _shift_date(day: date, target: Target) -> date:
    if target.unit == "w":
        return day + timedelta(weeks=target.amount)
    return _add_months(day, target.amount)


def _working_day_at(calendar: WorkingCalendar, day: date, time_of_day: time) -> datetime:
    """``time_of_day`` on the working day ``day``, clamped into its opening hours.

    DESIGN.md clamps a time after closing to the closing time; a time before opening
    (possible when days open at different times) is read as the opening time.
    """
    hours = calendar.hours_on(day)
    assert hours is not None
    opening, closing = hours
    return _at(calendar, day, min(max(time_of_day, opening), closing))


def _working_due(calendar: WorkingCalendar, start: datetime, target: Target) -> datetime:
    rolled = _roll_forward(calendar, start)
    if target.unit in ("m", "h"):
        minutes = target.amount * (60 if target.unit == "h" else 1)
        return _add_working_time(calendar, rolled, minutes * ONE_MINUTE)
    local = rolled.astimezone(calendar.tz)
    day, time_of_day = local.date(), local.time()
    if target.unit == "d":
        for _ in range(target.amount):
            day = _next_working_day(calendar, day + ONE_DAY)
    else:
        day = _next_working_day(calendar, _shift_date(day, target))
    return _working_day_at(calendar, day, time_of_day)


def _calendar_due(calendar: WorkingCalendar, start: datetime, target: Target) -> datetime:
    if target.unit == "m":
        return start + timedelta(minutes=target.amount)
    if target.unit == "h":
        return start + timedelta(hours=target.amount)
    local = start.astimezone(calendar.tz)
    if target.unit == "d":
        day = local.date() + timedelta(days=target.amount)
    else:
        day = _shift_date(local.date(), target)
    return _at(calendar, day, local.time())


def _merged(pauses: Sequence[Pause], start: datetime) -> list[Pause]:
    """Pauses sorted, cut at ``start``, with overlapping and adjacent ones joined."""
    merged: list[Pause] = []
    spans: list[Pause] = sorted(
        (
            (_utc(begin, "pause start"), None if end is None else _utc(end, "pause end"))
            for begin, end in pauses
        ),
        key=lambda span: span[0],
    )
    for begin, end in spans:
        if end is not None and end < begin:
            raise ValueError(f"a pause ends ({end.isoformat()}) before it begins")
        begin = max(begin, start)
        if end is not None and end <= begin:
            continue
        if merged:
            last_begin, last_end = merged[-1]
            if last_end is None:
                break  # still paused: later pauses are inside the open one
            if begin <= last_end:
                merged[-1] = (last_begin, None if end is None else max(last_end, end))
                continue
        merged.append((begin, end))
    return merged


@overload
def due_at(
    calendar: WorkingCalendar,
    start: datetime,
    target: Target,
    pauses: Sequence[ClosedPause] = (),
) -> datetime: ...


@overload
def due_at(
    calendar: WorkingCalendar,
    start: datetime,
    target: Target,
    pauses: Sequence[Pause],
) -> datetime | None: ...


def due_at(
    calendar: WorkingCalendar,
    start: datetime,
    target: Target,
    pauses: Sequence[Pause] = (),
) -> datetime | None:
    """When ``target`` counted from ``start`` falls due, later by the time spent paused.

    Working clock: the start rolls forward to working time; ``m``/``h`` consume working
    minutes; ``Nd`` is the Nth following working day at the start's time of day; ``Nw``
    and ``Nmo`` add calendar weeks or months, then move to the next working day; for
    ``d``, ``w`` and ``mo`` the time of day is clamped into that day's opening hours.
    Calendar clock: wall-time arithmetic. Returns None while a pause that counts is
    still open (see the module docstring).
    """
    begin = _utc(start, "start")
    if target.clock == "working":
        due = _working_due(calendar, begin, target)
    else:
        due = _calendar_due(calendar, begin, target)
    for pause_begin, pause_end in _merged(pauses, begin):
        if pause_begin > due:
            break
        if pause_end is None:
            return None
        if target.clock == "working":
            due = _add_working_time(calendar, due, _working_time(calendar, pause_begin, pause_end))
        else:
            due += pause_end - pause_begin
    return due.astimezone(calendar.tz)


def _check_fraction(warn_fraction: float) -> None:
    if not 0 < warn_fraction <= 1:
        raise ValueError(f"warn_fraction must be above 0 and at most 1, got {warn_fraction}")


def _warn_at(
    calendar: WorkingCalendar, start: datetime, due: datetime, warn_fraction: float, clock: Clock
) -> datetime:
    _check_fraction(warn_fraction)
    if due <= start:
        return due
    if clock == "calendar":
        return start + (due - start) * warn_fraction
    span = _working_time(calendar, start, due)
    return min(_add_working_time(calendar, start, span * warn_fraction), due)


def warn_at(
    calendar: WorkingCalendar,
    start: datetime,
    due: datetime,
    warn_fraction: float = 2 / 3,
    *,
    clock: Clock = "working",
) -> datetime:
    """The moment ``warn_fraction`` of the span from ``start`` to ``due`` has been used.

    On the working clock the span is working time, so a Friday-evening start with a
    Monday deadline does not warn over the weekend. Never later than ``due``.
    """
    moment = _warn_at(calendar, _utc(start, "start"), _utc(due, "due"), warn_fraction, clock)
    return moment.astimezone(calendar.tz)


def sla_state(
    calendar: WorkingCalendar,
    start: datetime,
    due: datetime,
    now: datetime,
    done_at: datetime | None = None,
    warn_fraction: float = 2 / 3,
    *,
    clock: Clock = "working",
) -> SlaState:
    """Where a timed step stands at ``now``, derived from its stored timestamps.

    Done: met when done by the deadline (inclusive), else missed. Open: breached after
    the deadline, at risk once ``warn_fraction`` of the span is used (``warn_at``), else
    on track. With pauses, ``due`` already includes them and the share is taken over
    the whole extended span.
    """
    due_utc = _utc(due, "due")
    if done_at is not None:
        return SlaState.MET if _utc(done_at, "done_at") <= due_utc else SlaState.MISSED
    now_utc = _utc(now, "now")
    if now_utc > due_utc:
        return SlaState.BREACHED
    if now_utc >= _warn_at(calendar, _utc(start, "start"), due_utc, warn_fraction, clock):
        return SlaState.AT_RISK
    return SlaState.ON_TRACK
