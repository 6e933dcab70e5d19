"""A content item's life on the calendar (PR.27.4) and the calendar's own arithmetic, as
pure functions: the statuses in order and the moves allowed between them, how late a
publication came against the reviewed plan, and the days of a month or week view.

Editorial calendars keep "planned" and "scheduled" in one state; PR.27.4 plans, reviews,
produces, publishes and evaluates, so each of those is a status of its own.

Pure: no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

Status = Literal[
    "idea", "planned", "in_production", "in_review", "approved", "published", "evaluated"
]
STATUSES: tuple[Status, ...] = (
    "idea",
    "planned",
    "in_production",
    "in_review",
    "approved",
    "published",
    "evaluated",
)
# Published only with a publication record (its address and moment), evaluated only with
# its reach and engagement: those moves come with their evidence, never by a button alone.
NEEDS_EVIDENCE: dict[Status, str] = {"published": "publication", "evaluated": "metrics"}


class MoveRefused(ValueError):
    """The move is not allowed; the message says why (in English, for logs and tests)."""


def next_status(status: Status) -> Status | None:
    position = STATUSES.index(status)
    return STATUSES[position + 1] if position + 1 < len(STATUSES) else None


def previous_status(status: Status) -> Status | None:
    position = STATUSES.index(status)
    return STATUSES[position - 1] if position > 0 else None


def check_move(current: Status, wanted: Status, *, with_evidence: bool = False) -> None:
    """One step forward or one back; publishing and evaluating need their evidence (a
    publication, metrics), and a published item is never unpublished by a move."""
    if wanted not in STATUSES:
        raise MoveRefused(f"unknown status {wanted!r}")
    if wanted == current:
        raise MoveRefused(f"the item is {current} already")
    if wanted not in (next_status(current), previous_status(current)):
        raise MoveRefused(f"{current} cannot move to {wanted}: one step at a time")
    if wanted in NEEDS_EVIDENCE and not with_evidence:
        raise MoveRefused(f"{wanted} needs its {NEEDS_EVIDENCE[wanted]}")
    if STATUSES.index(current) >= STATUSES.index("published") > STATUSES.index(wanted):
        raise MoveRefused("a published item stays published")


def button_moves(current: Status) -> tuple[Status, ...]:
    """The moves a plain button may make (no evidence needed): back, then forward."""
    moves = [previous_status(current), next_status(current)]
    found = []
    for wanted in moves:
        if wanted is None:
            continue
        try:
            check_move(current, wanted)
        except MoveRefused:
            continue
        found.append(wanted)
    return tuple(found)


def slippage(planned: datetime, published: datetime) -> timedelta:
    """How much later than planned the item was published (negative: earlier)."""
    return published - planned


def on_time(planned: datetime, published: datetime, *, grace: timedelta) -> bool:
    return slippage(planned, published) <= grace


@dataclass(frozen=True)
class Slippage:
    """Planned against published over a set of items."""

    planned: int  # items planned in the period
    published: int  # of those, published
    on_time: int  # of those, published on time
    mean_days: float | None  # the mean slippage of the published ones, in days


def slippage_summary(
    pairs: Sequence[tuple[datetime, datetime | None]], *, grace: timedelta
) -> Slippage:
    """``pairs``: each planned item's planned moment and its publication (None: not yet)."""
    published = [(planned, at) for planned, at in pairs if at is not None]
    late = [slippage(planned, at) for planned, at in published]
    return Slippage(
        planned=len(pairs),
        published=len(published),
        on_time=sum(1 for planned, at in published if on_time(planned, at, grace=grace)),
        mean_days=(
            sum(delta.total_seconds() for delta in late) / len(late) / 86400 if late else None
        ),
    )


def month_grid(year: int, month: int) -> list[list[date]]:
    """The weeks (Monday first) that show a month, with the days of the months around it
    that fill its first and last weeks."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    following = date(year + (month == 12), month % 12 + 1, 1)
    weeks = []
    day = start
    while day < following:
        weeks.append([day + timedelta(days=offset) for offset in range(7)])
        day += timedelta(days=7)
    return weeks


def week_of(day: date) -> list[date]:
    """The week (Monday first) that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def moved_to(moment: datetime, day: date) -> datetime:
    """The moment moved to another day at the same time of day (drag to reschedule)."""
    return moment + timedelta(days=(day - moment.date()).days)
