"""The SLA clock, rule by rule, on the real 2026-2027 Indonesian calendar (DESIGN.md).

Moments in the tables read "Wed 2026-11-25 15:55" (WIB); the weekday is checked, so a
table row cannot silently name the wrong day.
"""

from __future__ import annotations

import time as stopwatch
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pintu.org.holidays import national_holidays
from pintu.org.models import default_weekly_hours
from pintu.sla.calendar import WorkingCalendar, parse_weekly_hours
from pintu.sla.clock import (
    SlaState,
    Target,
    add_working_minutes,
    due_at,
    parse_target,
    roll_forward,
    sla_state,
    warn_at,
    working_minutes_between,
)

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT_HOURS = parse_weekly_hours(default_weekly_hours())
HOLIDAYS = frozenset(national_holidays([2026, 2027]))

# The default unit calendar: Mon-Thu 07:30-16:00, Fri 07:30-16:30, national holidays and
# cuti bersama closed.
UNIT = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, HOLIDAYS)
# The same unit, also closed on Thu 2026-11-26 (say, the campus anniversary).
CLOSED_THURSDAY = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, HOLIDAYS | {date(2026, 11, 26)})
# Open every day 08:00-17:00 with no holidays: month arithmetic without weekend moves.
EVERY_DAY = WorkingCalendar(
    "Asia/Jakarta", parse_weekly_hours([["08:00", "17:00"]] * 7), frozenset()
)
# Days that open at different times: Monday 07:00-15:00, Tuesday 09:00-17:00.
UNEVEN = WorkingCalendar(
    "Asia/Jakarta",
    parse_weekly_hours(
        [
            ["07:00", "15:00"],
            ["09:00", "17:00"],
            ["07:30", "16:00"],
            ["07:30", "16:00"],
            ["07:30", "16:30"],
            None,
            None,
        ]
    ),
    frozenset(),
)
# A unit in Bali (WITA, UTC+8) with the default hours.
BALI = WorkingCalendar("Asia/Makassar", DEFAULT_HOURS, HOLIDAYS)
NEVER_OPEN = WorkingCalendar("Asia/Jakarta", (None,) * 7, frozenset())


def wib(text: str) -> datetime:
    """'Wed 2026-11-25 15:55' -> that moment in WIB, checking the weekday."""
    weekday, rest = text.split(" ", 1)
    moment = datetime.strptime(rest, "%Y-%m-%d %H:%M").replace(tzinfo=WIB)
    assert moment.strftime("%a") == weekday, f"{rest} is a {moment:%a}, not a {weekday}"
    return moment


def shown(moment: datetime | None) -> str:
    assert moment is not None
    return moment.strftime("%a %Y-%m-%d %H:%M")


def case(row: str) -> tuple[str, str, str]:
    """'Wed 2026-11-25 15:55 + 15m = Thu 2026-11-26 07:40' -> (start, target, due)."""
    start, rest = row.split(" + ")
    target, due = rest.split(" = ")
    return start, target, due


# Working clock on the default unit calendar, as {id: "start + target = due"}.
WORKING_CASES = {
    # The four worked examples of DESIGN.md, exactly.
    "design-15m-over-closing": "Wed 2026-11-25 15:55 + 15m = Thu 2026-11-26 07:40",
    "design-1d-from-cuti-bersama": "Thu 2026-12-24 09:00 + 1d = Tue 2026-12-29 07:30",
    "design-1d-clamped-to-closing": "Fri 2026-11-20 16:10 + 1d = Mon 2026-11-23 16:00",
    "design-2w-onto-independence-day": "Mon 2026-08-03 10:00 + 2w = Tue 2026-08-18 10:00",
    # Minutes and hours consume working time.
    "15m-inside-the-day": "Wed 2026-11-25 09:00 + 15m = Wed 2026-11-25 09:15",
    "deadline-exactly-at-closing": "Wed 2026-11-25 15:45 + 15m = Wed 2026-11-25 16:00",
    "friday-longer-hours": "Fri 2026-11-20 16:15 + 10m = Fri 2026-11-20 16:25",
    "friday-deadline-at-16:30": "Fri 2026-11-20 16:00 + 30m = Fri 2026-11-20 16:30",
    "friday-close-into-monday": "Fri 2026-11-20 16:20 + 20m = Mon 2026-11-23 07:40",
    "start-before-opening": "Wed 2026-11-25 06:00 + 30m = Wed 2026-11-25 08:00",
    "start-after-closing": "Wed 2026-11-25 18:00 + 30m = Thu 2026-11-26 08:00",
    "start-at-closing-rolls": "Wed 2026-11-25 16:00 + 1m = Thu 2026-11-26 07:31",
    "start-on-saturday": "Sat 2026-11-21 10:00 + 1h = Mon 2026-11-23 08:30",
    "start-on-a-holiday": "Mon 2026-08-17 10:00 + 15m = Tue 2026-08-18 07:45",
    "4h-spanning-two-days": "Wed 2026-11-25 14:00 + 4h = Thu 2026-11-26 09:30",
    "9h-is-more-than-a-day": "Mon 2026-11-23 07:30 + 9h = Tue 2026-11-24 08:00",
    "hours-over-independence-day": "Fri 2026-08-14 15:30 + 2h = Tue 2026-08-18 08:30",
    "hours-over-nyepi-idul-fitri": "Tue 2026-03-17 15:30 + 1h = Wed 2026-03-25 08:00",
    "minutes-over-kenaikan-cuti": "Wed 2026-05-13 15:50 + 20m = Mon 2026-05-18 07:40",
    "hours-over-new-year": "Thu 2026-12-31 15:00 + 2h = Mon 2027-01-04 08:30",
    # Days: the Nth following working day at the rolled start's time of day.
    "1d": "Wed 2026-11-25 10:00 + 1d = Thu 2026-11-26 10:00",
    "1d-over-the-weekend": "Fri 2026-11-27 10:00 + 1d = Mon 2026-11-30 10:00",
    "3d": "Wed 2026-11-25 10:00 + 3d = Mon 2026-11-30 10:00",
    "3d-over-nyepi-idul-fitri": "Mon 2026-03-16 11:00 + 3d = Thu 2026-03-26 11:00",
    "1d-over-kenaikan-cuti": "Wed 2026-05-13 10:00 + 1d = Mon 2026-05-18 10:00",
    "1d-over-imlek-and-its-cuti": "Fri 2026-02-13 15:00 + 1d = Wed 2026-02-18 15:00",
    "5d-friday-keeps-16:20": "Fri 2026-11-20 16:20 + 5d = Fri 2026-11-27 16:20",
    "1d-start-before-opening": "Wed 2026-11-25 06:00 + 1d = Thu 2026-11-26 07:30",
    "1d-start-after-closing": "Wed 2026-11-25 17:00 + 1d = Fri 2026-11-27 07:30",
    # Weeks: calendar weeks, then the next working day, keeping the time of day.
    "1w": "Wed 2026-11-25 10:00 + 1w = Wed 2026-12-02 10:00",
    "1w-friday-stays-friday": "Fri 2026-11-20 16:20 + 1w = Fri 2026-11-27 16:20",
    "1w-onto-christmas": "Fri 2026-12-18 10:00 + 1w = Mon 2026-12-28 10:00",
    "1w-onto-labour-day-clamps": "Fri 2026-04-24 16:20 + 1w = Mon 2026-05-04 16:00",
    "2w-onto-cuti-nyepi": "Wed 2026-03-04 10:00 + 2w = Wed 2026-03-25 10:00",
    "1w-from-saturday-rolls-first": "Sat 2026-11-21 10:00 + 1w = Mon 2026-11-30 07:30",
    # Months: calendar months, month ends clamp, then the next working day.
    "1mo-mar-31-to-apr-30": "Tue 2026-03-31 10:00 + 1mo = Thu 2026-04-30 10:00",
    "1mo-jan-31-rolls-first": "Sat 2026-01-31 10:00 + 1mo = Mon 2026-03-02 07:30",
    "1mo-to-feb-28-sunday": "Fri 2027-01-29 10:00 + 1mo = Mon 2027-03-01 10:00",
    "2mo-dec-31-to-feb-28-sunday": "Thu 2026-12-31 10:00 + 2mo = Mon 2027-03-01 10:00",
    "1mo-onto-labour-day": "Wed 2026-04-01 10:00 + 1mo = Mon 2026-05-04 10:00",
    "1mo-friday-clamps-on-monday": "Fri 2026-10-30 16:20 + 1mo = Mon 2026-11-30 16:00",
    "12mo-into-next-year": "Wed 2026-11-25 10:00 + 12mo = Thu 2027-11-25 10:00",
}

# Calendar clock: wall time, no rolling; weekends and holidays count.
CALENDAR_CASES = {
    "15m-past-closing": "Wed 2026-11-25 15:55 + 15m = Wed 2026-11-25 16:10",
    "4h-overnight": "Wed 2026-11-25 23:00 + 4h = Thu 2026-11-26 03:00",
    "1d-from-saturday": "Sat 2026-11-21 10:00 + 1d = Sun 2026-11-22 10:00",
    "1d-onto-a-holiday": "Sun 2026-08-16 10:00 + 1d = Mon 2026-08-17 10:00",
    "3d-over-idul-fitri": "Wed 2026-03-18 20:00 + 3d = Sat 2026-03-21 20:00",
    "2w-keeps-independence-day": "Mon 2026-08-03 10:00 + 2w = Mon 2026-08-17 10:00",
    "1mo-clamps-to-feb-28": "Sat 2026-01-31 10:00 + 1mo = Sat 2026-02-28 10:00",
    "1mo-clamps-to-leap-day": "Mon 2028-01-31 10:00 + 1mo = Tue 2028-02-29 10:00",
}

# Working clock on other calendars.
OTHER_CALENDAR_CASES = [
    pytest.param(
        CLOSED_THURSDAY, "Wed 2026-11-25 15:55 + 15m = Fri 2026-11-27 07:40", id="closure-15m"
    ),
    pytest.param(
        CLOSED_THURSDAY, "Wed 2026-11-25 10:00 + 1d = Fri 2026-11-27 10:00", id="closure-1d"
    ),
    pytest.param(
        EVERY_DAY, "Sat 2026-01-31 10:00 + 1mo = Sat 2026-02-28 10:00", id="jan-31-to-feb-28"
    ),
    pytest.param(
        UNEVEN, "Mon 2026-11-23 07:30 + 1d = Tue 2026-11-24 09:00", id="clamp-up-to-opening"
    ),
    pytest.param(
        UNEVEN, "Tue 2026-11-24 16:30 + 1d = Wed 2026-11-25 16:00", id="clamp-down-to-closing"
    ),
]


@pytest.mark.parametrize("row", [pytest.param(row, id=key) for key, row in WORKING_CASES.items()])
def test_due_at_on_the_working_clock(row: str) -> None:
    start, target, due = case(row)
    result = due_at(UNIT, wib(start), parse_target(target))
    assert shown(result) == due
    assert result.tzinfo == WIB


@pytest.mark.parametrize("row", [pytest.param(row, id=key) for key, row in CALENDAR_CASES.items()])
def test_due_at_on_the_calendar_clock(row: str) -> None:
    start, target, due = case(row)
    assert shown(due_at(UNIT, wib(start), parse_target(target, "calendar"))) == due


@pytest.mark.parametrize(("calendar", "row"), OTHER_CALENDAR_CASES)
def test_due_at_on_other_calendars(calendar: WorkingCalendar, row: str) -> None:
    start, target, due = case(row)
    assert shown(due_at(calendar, wib(start), parse_target(target))) == due


def test_a_start_in_another_offset_gives_a_deadline_in_the_calendars_zone() -> None:
    start = datetime(2026, 11, 25, 8, 55, tzinfo=UTC)  # 15:55 WIB
    assert due_at(UNIT, start, parse_target("15m")).isoformat() == "2026-11-26T07:40:00+07:00"
    calendar_clock = parse_target("15m", "calendar")
    assert due_at(UNIT, start, calendar_clock).isoformat() == "2026-11-25T16:10:00+07:00"


def test_hours_are_local_to_the_calendars_zone() -> None:
    start = datetime.fromisoformat("2026-11-25T14:55:00+07:00")  # 15:55 in Bali
    assert due_at(BALI, start, parse_target("15m")).isoformat() == "2026-11-26T07:40:00+08:00"


def test_calendar_clock_hours_are_elapsed_time_and_days_wall_time_across_dst() -> None:
    amsterdam = WorkingCalendar("Europe/Amsterdam", DEFAULT_HOURS, frozenset())
    zone = amsterdam.tz
    # Clocks go from 02:00 to 03:00 on Sun 2026-03-29.
    evening = datetime(2026, 3, 28, 23, 0, tzinfo=zone)
    four_hours = due_at(amsterdam, evening, parse_target("4h", "calendar"))
    assert four_hours.isoformat() == "2026-03-29T04:00:00+02:00"
    assert four_hours.astimezone(UTC) - evening.astimezone(UTC) == timedelta(hours=4)
    morning = datetime(2026, 3, 28, 10, 0, tzinfo=zone)
    one_day = due_at(amsterdam, morning, parse_target("1d", "calendar"))
    assert one_day.isoformat() == "2026-03-29T10:00:00+02:00"


def pause(text: str) -> tuple[datetime, datetime | None]:
    """'Wed 2026-11-25 10:00 .. 10:30' (same day), '... .. Thu 2026-11-26 08:00' or '.. open'."""
    begin, end = text.split(" .. ")
    if end == "open":
        return wib(begin), None
    if len(end) == len("10:30"):
        end = f"{begin[:-5]}{end}"
    return wib(begin), wib(end)


# Pauses on a working-clock 4h target from Wed 2026-11-25 09:00 (due Wed 13:00 unpaused),
# as {id: (pauses, due)}.
BASE_START = "Wed 2026-11-25 09:00"
PAUSE_CASES = {
    "no-pause": ([], "Wed 2026-11-25 13:00"),
    "inside-working-hours": (["Wed 2026-11-25 10:00 .. 10:30"], "Wed 2026-11-25 13:30"),
    "over-the-weekend-pushes-nothing": (
        ["Sat 2026-11-21 10:00 .. Sun 2026-11-22 18:00"],
        "Wed 2026-11-25 13:00",
    ),
    "overnight-counts-working-minutes": (
        ["Wed 2026-11-25 12:00 .. Thu 2026-11-26 08:00"],
        "Thu 2026-11-26 09:00",
    ),
    "overlapping-count-once": (
        ["Wed 2026-11-25 10:00 .. 10:30", "Wed 2026-11-25 10:15 .. 11:00"],
        "Wed 2026-11-25 14:00",
    ),
    "adjacent-join": (
        ["Wed 2026-11-25 10:00 .. 10:30", "Wed 2026-11-25 10:30 .. 11:00"],
        "Wed 2026-11-25 14:00",
    ),
    "identical-count-once": (["Wed 2026-11-25 10:00 .. 10:30"] * 2, "Wed 2026-11-25 13:30"),
    "nested-counts-the-outer": (
        ["Wed 2026-11-25 10:00 .. 11:00", "Wed 2026-11-25 10:15 .. 10:30"],
        "Wed 2026-11-25 14:00",
    ),
    "unsorted": (
        ["Wed 2026-11-25 11:00 .. 11:15", "Wed 2026-11-25 10:00 .. 10:15"],
        "Wed 2026-11-25 13:30",
    ),
    "cut-at-the-start": (["Wed 2026-11-25 08:00 .. 09:30"], "Wed 2026-11-25 13:30"),
    "before-the-start-counts-nothing": (
        ["Tue 2026-11-24 10:00 .. 12:00"],
        "Wed 2026-11-25 13:00",
    ),
    "after-the-deadline-counts-nothing": (
        ["Wed 2026-11-25 14:00 .. 15:00"],
        "Wed 2026-11-25 13:00",
    ),
    "beginning-at-the-deadline-counts": (
        ["Wed 2026-11-25 13:00 .. 13:30"],
        "Wed 2026-11-25 13:30",
    ),
    "later-pause-counts-once-the-deadline-moved": (
        ["Wed 2026-11-25 10:00 .. 12:00", "Wed 2026-11-25 14:00 .. 14:30"],
        "Wed 2026-11-25 15:30",
    ),
    "pushed-past-closing-into-the-next-day": (
        ["Wed 2026-11-25 10:00 .. 14:00"],
        "Thu 2026-11-26 08:30",
    ),
    "open-pause-after-the-deadline-changes-nothing": (
        ["Wed 2026-11-25 14:00 .. open"],
        "Wed 2026-11-25 13:00",
    ),
}


@pytest.mark.parametrize(
    ("pauses", "due"), [pytest.param(*row, id=key) for key, row in PAUSE_CASES.items()]
)
def test_pauses_push_the_deadline_by_working_time(pauses: list[str], due: str) -> None:
    spans = [pause(text) for text in pauses]
    assert shown(due_at(UNIT, wib(BASE_START), parse_target("4h"), spans)) == due


def test_a_pause_moves_a_day_target_by_its_working_minutes() -> None:
    start = wib("Fri 2026-11-20 16:10")  # 1d: Mon 16:00, clamped
    pause = [(wib("Fri 2026-11-20 16:10"), wib("Fri 2026-11-20 16:20"))]
    assert shown(due_at(UNIT, start, parse_target("1d"), pause)) == "Tue 2026-11-24 07:40"
    overnight = [(wib("Wed 2026-11-25 15:00"), wib("Thu 2026-11-26 09:00"))]
    due = due_at(UNIT, wib("Wed 2026-11-25 10:00"), parse_target("1d"), overnight)
    assert shown(due) == "Thu 2026-11-26 12:30"  # 1h on Wed + 1h30 on Thu


def test_calendar_clock_pauses_push_by_wall_time() -> None:
    target = parse_target("4h", "calendar")
    pause = [(wib("Wed 2026-11-25 12:00"), wib("Wed 2026-11-25 20:00"))]
    assert shown(due_at(UNIT, wib(BASE_START), target, pause)) == "Wed 2026-11-25 21:00"


def test_an_open_pause_leaves_the_deadline_unknown() -> None:
    start, target = wib(BASE_START), parse_target("4h")
    assert due_at(UNIT, start, target, [(wib("Wed 2026-11-25 10:00"), None)]) is None
    still_paused = [
        (wib("Wed 2026-11-25 10:00"), None),
        (wib("Wed 2026-11-25 11:00"), wib("Wed 2026-11-25 11:30")),
    ]
    assert due_at(UNIT, start, target, still_paused) is None
    calendar_clock = parse_target("4h", "calendar")
    assert due_at(UNIT, start, calendar_clock, [(wib("Wed 2026-11-25 10:00"), None)]) is None


def test_a_pause_ending_before_it_begins_is_refused() -> None:
    backwards = [(wib("Wed 2026-11-25 11:00"), wib("Wed 2026-11-25 10:00"))]
    with pytest.raises(ValueError, match=r"ends .* before it begins"):
        due_at(UNIT, wib(BASE_START), parse_target("4h"), backwards)


@pytest.mark.parametrize(
    ("moment", "rolled"),
    [
        pytest.param("Wed 2026-11-25 10:00", "Wed 2026-11-25 10:00", id="inside"),
        pytest.param("Wed 2026-11-25 07:30", "Wed 2026-11-25 07:30", id="at-opening"),
        pytest.param("Wed 2026-11-25 06:00", "Wed 2026-11-25 07:30", id="before-opening"),
        pytest.param("Wed 2026-11-25 15:59", "Wed 2026-11-25 15:59", id="last-minute"),
        pytest.param("Wed 2026-11-25 16:00", "Thu 2026-11-26 07:30", id="at-closing"),
        pytest.param("Fri 2026-11-20 16:10", "Fri 2026-11-20 16:10", id="friday-after-16"),
        pytest.param("Fri 2026-11-20 16:30", "Mon 2026-11-23 07:30", id="friday-closing"),
        pytest.param("Sat 2026-11-21 12:00", "Mon 2026-11-23 07:30", id="weekend"),
        pytest.param("Fri 2026-08-14 17:00", "Tue 2026-08-18 07:30", id="independence-day"),
        pytest.param("Thu 2026-12-24 09:00", "Mon 2026-12-28 07:30", id="cuti-bersama-natal"),
        pytest.param("Wed 2026-03-18 09:00", "Wed 2026-03-25 07:30", id="nyepi-idul-fitri"),
        pytest.param("Thu 2026-05-14 09:00", "Mon 2026-05-18 07:30", id="kenaikan"),
        pytest.param("Wed 2026-11-25 23:59", "Thu 2026-11-26 07:30", id="midnight"),
    ],
)
def test_roll_forward(moment: str, rolled: str) -> None:
    assert shown(roll_forward(UNIT, wib(moment))) == rolled


def test_roll_forward_answers_in_the_calendars_zone() -> None:
    rolled = roll_forward(UNIT, datetime(2026, 11, 25, 10, 0, tzinfo=UTC))  # 17:00 WIB
    assert rolled.isoformat() == "2026-11-26T07:30:00+07:00"


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        pytest.param("Wed 2026-11-25 09:00", "Wed 2026-11-25 10:00", 60, id="one-hour"),
        pytest.param("Wed 2026-11-25 15:00", "Thu 2026-11-26 08:00", 90, id="overnight"),
        pytest.param("Fri 2026-11-20 16:00", "Mon 2026-11-23 08:00", 60, id="over-weekend"),
        pytest.param("Sat 2026-11-21 10:00", "Sun 2026-11-22 10:00", 0, id="weekend-only"),
        pytest.param("Wed 2026-11-25 06:00", "Wed 2026-11-25 07:30", 0, id="before-opening"),
        pytest.param("Wed 2026-11-25 16:00", "Wed 2026-11-25 23:00", 0, id="after-closing"),
        pytest.param("Mon 2026-11-23 00:00", "Mon 2026-11-30 00:00", 4 * 510 + 540, id="week"),
        pytest.param(
            "Mon 2026-03-16 00:00", "Mon 2026-03-30 00:00", 4 * 510 + 540, id="lebaran-fortnight"
        ),
        pytest.param("Mon 2026-08-17 07:30", "Mon 2026-08-17 16:00", 0, id="holiday"),
        pytest.param("Wed 2026-11-25 10:00", "Wed 2026-11-25 09:00", 0, id="end-before-start"),
        pytest.param("Wed 2026-11-25 10:00", "Wed 2026-11-25 10:00", 0, id="empty"),
    ],
)
def test_working_minutes_between(start: str, end: str, minutes: int) -> None:
    assert working_minutes_between(UNIT, wib(start), wib(end)) == minutes


def test_working_minutes_count_whole_minutes_only() -> None:
    start = wib("Wed 2026-11-25 09:00")
    assert working_minutes_between(UNIT, start, start + timedelta(seconds=59)) == 0
    assert working_minutes_between(UNIT, start, start + timedelta(seconds=61)) == 1


def test_working_minutes_between_moments_in_different_offsets() -> None:
    start = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 09:00 WIB
    assert working_minutes_between(UNIT, start, wib("Wed 2026-11-25 10:00")) == 60


@pytest.mark.parametrize(
    ("start", "minutes", "result"),
    [
        pytest.param("Wed 2026-11-25 15:45", 15, "Wed 2026-11-25 16:00", id="to-closing"),
        pytest.param("Wed 2026-11-25 15:45", 16, "Thu 2026-11-26 07:31", id="past-closing"),
        pytest.param("Sat 2026-11-21 10:00", 1, "Mon 2026-11-23 07:31", id="from-weekend"),
        pytest.param("Sat 2026-11-21 10:00", 0, "Sat 2026-11-21 10:00", id="nothing"),
        pytest.param("Mon 2026-11-23 07:30", 4 * 510 + 540, "Fri 2026-11-27 16:30", id="week"),
    ],
)
def test_add_working_minutes(start: str, minutes: int, result: str) -> None:
    assert shown(add_working_minutes(UNIT, wib(start), minutes)) == result


def test_add_working_minutes_refuses_a_negative_amount() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_minutes(UNIT, wib("Wed 2026-11-25 10:00"), -1)


# A 3h task from Wed 2026-11-25 09:00 is due at 12:00; two thirds are used at 11:00.
STATE_START, STATE_DUE = "Wed 2026-11-25 09:00", "Wed 2026-11-25 12:00"


@pytest.mark.parametrize(
    ("now", "done_at", "state"),
    [
        pytest.param("Wed 2026-11-25 09:00", None, SlaState.ON_TRACK, id="just-started"),
        pytest.param("Wed 2026-11-25 10:59", None, SlaState.ON_TRACK, id="before-two-thirds"),
        pytest.param("Wed 2026-11-25 11:00", None, SlaState.AT_RISK, id="at-two-thirds"),
        pytest.param("Wed 2026-11-25 12:00", None, SlaState.AT_RISK, id="at-the-deadline"),
        pytest.param("Wed 2026-11-25 12:01", None, SlaState.BREACHED, id="past-the-deadline"),
        pytest.param("Sat 2026-11-28 10:00", None, SlaState.BREACHED, id="long-past"),
        pytest.param("Wed 2026-11-25 10:00", "Wed 2026-11-25 09:30", SlaState.MET, id="met"),
        pytest.param(
            "Wed 2026-11-25 12:30", "Wed 2026-11-25 12:00", SlaState.MET, id="met-at-deadline"
        ),
        pytest.param(
            "Thu 2026-11-26 10:00", "Wed 2026-11-25 11:30", SlaState.MET, id="met-read-later"
        ),
        pytest.param("Wed 2026-11-25 12:30", "Wed 2026-11-25 12:01", SlaState.MISSED, id="missed"),
    ],
)
def test_sla_state(now: str, done_at: str | None, state: SlaState) -> None:
    done = None if done_at is None else wib(done_at)
    assert sla_state(UNIT, wib(STATE_START), wib(STATE_DUE), wib(now), done) is state


def test_sla_state_measures_the_share_in_working_time() -> None:
    # 3h from Friday 15:30: one hour on Friday, two on Monday; due Mon 09:30.
    start = wib("Fri 2026-11-20 15:30")
    due = due_at(UNIT, start, parse_target("3h"))
    assert shown(due) == "Mon 2026-11-23 09:30"
    assert shown(warn_at(UNIT, start, due)) == "Mon 2026-11-23 08:30"
    assert sla_state(UNIT, start, due, wib("Sun 2026-11-22 23:00")) is SlaState.ON_TRACK
    assert sla_state(UNIT, start, due, wib("Mon 2026-11-23 08:29")) is SlaState.ON_TRACK
    assert sla_state(UNIT, start, due, wib("Mon 2026-11-23 08:30")) is SlaState.AT_RISK


def test_warn_at_follows_the_fraction() -> None:
    start, due = wib(STATE_START), wib(STATE_DUE)
    assert shown(warn_at(UNIT, start, due)) == "Wed 2026-11-25 11:00"
    assert shown(warn_at(UNIT, start, due, 0.5)) == "Wed 2026-11-25 10:30"
    assert shown(warn_at(UNIT, start, due, 1)) == "Wed 2026-11-25 12:00"
    assert sla_state(UNIT, start, due, wib("Wed 2026-11-25 10:30"), warn_fraction=0.5) is (
        SlaState.AT_RISK
    )
    # The calendar clock measures the span in wall time: 24h, so two thirds after 16h.
    one_day_later = wib("Thu 2026-11-26 09:00")
    assert shown(warn_at(UNIT, start, one_day_later, clock="calendar")) == ("Thu 2026-11-26 01:00")
    # On the working clock the same span holds 510 working minutes, two thirds at 14:40.
    assert shown(warn_at(UNIT, start, one_day_later)) == "Wed 2026-11-25 14:40"


@pytest.mark.parametrize("fraction", [0, -0.5, 1.5])
def test_a_warn_fraction_outside_zero_to_one_is_refused(fraction: float) -> None:
    with pytest.raises(ValueError, match="warn_fraction"):
        warn_at(UNIT, wib(STATE_START), wib(STATE_DUE), fraction)


@pytest.mark.parametrize(
    ("text", "clock", "target"),
    [
        pytest.param("15m", "working", Target(15, "m"), id="minutes"),
        pytest.param("4h", "working", Target(4, "h"), id="hours"),
        pytest.param("1d", "working", Target(1, "d"), id="day"),
        pytest.param("3d", "calendar", Target(3, "d", "calendar"), id="calendar-days"),
        pytest.param("2w", "working", Target(2, "w"), id="weeks"),
        pytest.param("1mo", "working", Target(1, "mo"), id="month"),
        pytest.param(" 12mo ", "working", Target(12, "mo"), id="spaces-around"),
    ],
)
def test_parse_target(text: str, clock: str, target: Target) -> None:
    assert parse_target(text, clock) == target
    assert str(target) == text.strip()


@pytest.mark.parametrize(
    ("text", "clock", "message"),
    [
        pytest.param(
            "15 minutes",
            "working",
            "'15 minutes' is not a target (use 15m, 4h, 1d, 2w or 1mo)",
            id="words",
        ),
        pytest.param("0d", "working", "'0d' is not a target", id="zero"),
        pytest.param("-1d", "working", "'-1d' is not a target", id="negative"),
        pytest.param("1.5h", "working", "'1.5h' is not a target", id="fraction"),
        pytest.param("1y", "working", "'1y' is not a target", id="years"),
        pytest.param("4H", "working", "'4H' is not a target", id="capital"),
        pytest.param("", "working", "'' is not a target", id="empty"),
        pytest.param("1d", "wall", "clock 'wall' is not one of working, calendar", id="clock"),
    ],
)
def test_parse_target_errors_show_the_syntax(text: str, clock: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_target(text, clock)
    assert str(error.value) == message or str(error.value).startswith(message)


def test_a_target_needs_a_positive_amount_and_a_known_unit() -> None:
    with pytest.raises(ValueError, match="positive amount"):
        Target(0, "d")
    with pytest.raises(ValueError, match="unit 'y'"):
        Target(1, "y")  # type: ignore[arg-type]


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 11, 25, 10, 0)
    with pytest.raises(ValueError, match="no time zone"):
        due_at(UNIT, naive, parse_target("1d"))
    with pytest.raises(ValueError, match="no time zone"):
        working_minutes_between(UNIT, wib("Wed 2026-11-25 09:00"), naive)


def test_a_calendar_without_working_time_is_an_error_not_a_hang() -> None:
    with pytest.raises(ValueError, match="calendar has no working time"):
        due_at(NEVER_OPEN, wib("Wed 2026-11-25 10:00"), parse_target("15m"))
    with pytest.raises(ValueError, match="calendar has no working time"):
        roll_forward(NEVER_OPEN, wib("Wed 2026-11-25 10:00"))
    # Closed for more than a year from the start: the search gives up as well.
    closed = frozenset(date(2026, 11, 25) + timedelta(days=n) for n in range(400))
    long_closure = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, closed)
    with pytest.raises(ValueError, match="calendar has no working time"):
        due_at(long_closure, wib("Wed 2026-11-25 10:00"), parse_target("1mo"))


def test_the_calendar_clock_needs_no_working_time() -> None:
    due = due_at(NEVER_OPEN, wib("Wed 2026-11-25 10:00"), parse_target("1mo", "calendar"))
    assert shown(due) == "Fri 2026-12-25 10:00"


def test_deadlines_are_cheap_to_compute() -> None:
    start, month = wib("Sat 2026-01-31 10:00"), parse_target("1mo")
    began = stopwatch.perf_counter()
    for _ in range(1000):
        due_at(UNIT, start, month)
    assert stopwatch.perf_counter() - began < 1.0  # under a millisecond each, with margin
    # A long hours target walks only the working days it needs, and ends.
    far = due_at(UNIT, wib("Wed 2026-11-25 10:00"), parse_target("2000h"))
    assert working_minutes_between(UNIT, wib("Wed 2026-11-25 10:00"), far) == 2000 * 60
