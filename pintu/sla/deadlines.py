"""A ticket's deadlines, computed from its stored transitions with the pure clock.

``ticket_deadlines`` is what the desk's services call after every transition (received,
first response, pause, resume, resolve) to refresh the indexed ``*_due_at`` fields;
``ticket_sla_state`` derives on-track / at-risk / breached when a ticket is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.conf import settings

from pintu.sla.calendar import WorkingCalendar
from pintu.sla.clock import Pause, SlaState, Target, due_at, parse_target, sla_state, warn_at


def warn_fraction(target: str = "") -> float:
    """The share of a deadline's span after which to warn: per target if configured."""
    by_target: dict[str, float] = settings.PINTU_SLA_WARN_BY_TARGET
    return by_target.get(target, settings.PINTU_SLA_WARN_FRACTION)


@dataclass(frozen=True)
class Deadlines:
    first_response_due_at: datetime
    resolution_due_at: datetime
    next_due_at: datetime | None  # the deadline still open, for the queue's order
    next_warn_at: datetime | None  # when the sweep warns the assignee
    next_escalate_at: datetime | None  # when the sweep escalates to the supervisor


@dataclass(frozen=True)
class Clock:
    """Everything the clock needs to know about one ticket, as plain values."""

    calendar: WorkingCalendar
    received_at: datetime
    first_response: Target
    resolution: Target
    pauses: Sequence[Pause] = ()
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None

    @classmethod
    def for_service(
        cls,
        *,
        calendar: WorkingCalendar,
        received_at: datetime,
        first_response: str,
        resolution: str,
        clock: str = "working",
        pauses: Sequence[Pause] = (),
        first_response_at: datetime | None = None,
        resolved_at: datetime | None = None,
    ) -> Clock:
        return cls(
            calendar=calendar,
            received_at=received_at,
            first_response=parse_target(first_response, clock),
            resolution=parse_target(resolution, clock),
            pauses=pauses,
            first_response_at=first_response_at,
            resolved_at=resolved_at,
        )


def _closed(pauses: Sequence[Pause]) -> list[tuple[datetime, datetime]]:
    return [(begin, end) for begin, end in pauses if end is not None]


def ticket_deadlines(clock: Clock) -> Deadlines:
    """Both deadlines and the sweep's next moments.

    While the ticket is paused the deadlines are those of the closed pauses only (the
    open pause will push them further when it ends) and nothing is due to the sweep.
    """
    paused = any(end is None for _, end in clock.pauses)
    closed = _closed(clock.pauses)
    first_due = due_at(clock.calendar, clock.received_at, clock.first_response, closed)
    resolution_due = due_at(clock.calendar, clock.received_at, clock.resolution, closed)
    if clock.resolved_at is not None:
        return Deadlines(first_due, resolution_due, None, None, None)
    if clock.first_response_at is None:
        due, target = first_due, clock.first_response
    else:
        due, target = resolution_due, clock.resolution
    if paused:
        return Deadlines(first_due, resolution_due, due, None, None)
    fraction = warn_fraction(f"{target.amount}{target.unit}")
    warn = warn_at(clock.calendar, clock.received_at, due, fraction, clock=target.clock)
    return Deadlines(first_due, resolution_due, due, warn, due)


@dataclass(frozen=True)
class SlaView:
    first_response: SlaState
    resolution: SlaState

    @property
    def overall(self) -> SlaState:
        """The state that matters now: the open deadline, or the worse of two done."""
        order = [
            SlaState.BREACHED,
            SlaState.MISSED,
            SlaState.AT_RISK,
            SlaState.ON_TRACK,
            SlaState.MET,
        ]
        return min((self.first_response, self.resolution), key=order.index)


def ticket_sla_state(
    *,
    calendar: WorkingCalendar,
    received_at: datetime,
    first_response_due_at: datetime,
    resolution_due_at: datetime,
    first_response_at: datetime | None,
    resolved_at: datetime | None,
    now: datetime,
    first_response: str = "",
    resolution: str = "",
    clock: str = "working",
) -> SlaView:
    """Both deadlines' states at ``now`` (targets name the warning share per target)."""
    kind: Literal["working", "calendar"] = "calendar" if clock == "calendar" else "working"
    return SlaView(
        first_response=sla_state(
            calendar,
            received_at,
            first_response_due_at,
            now,
            first_response_at,
            warn_fraction(first_response),
            clock=kind,
        ),
        resolution=sla_state(
            calendar,
            received_at,
            resolution_due_at,
            now,
            resolved_at,
            warn_fraction(resolution),
            clock=kind,
        ),
    )
