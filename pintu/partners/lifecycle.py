"""An agreement's life and an activity's, as pure functions: the states people read,
which moves an agreement's stored status may make, and how far an activity has come.

An agreement stores only what people decide (drafted, sent for review, signed,
terminated) and its dates; whether a signed agreement is running or has run out is read
from its start and end dates on the day asked, so that nothing has to flip it at
midnight. Pure: no ORM, no clock (``today`` is a parameter).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class Stored(enum.StrEnum):
    """What an agreement's row keeps."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    SIGNED = "signed"
    TERMINATED = "terminated"


class State(enum.StrEnum):
    """What an agreement is on a given day."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    SIGNED = "signed"  # signed, its start still ahead
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


def state_on(stored: str, starts_on: date | None, ends_on: date | None, today: date) -> State:
    """The agreement's state on ``today``: a signed agreement is active from its first
    day to its last (both included) and expired after it."""
    if stored != Stored.SIGNED:
        return State(stored)
    if starts_on is not None and today < starts_on:
        return State.SIGNED
    if ends_on is not None and today > ends_on:
        return State.EXPIRED
    return State.ACTIVE


@dataclass(frozen=True)
class Facts:
    """What a move is checked against."""

    number: str
    parties: int  # how many partners sign it
    signed_on: date | None
    starts_on: date | None
    ends_on: date | None
    documents: int  # document versions uploaded
    reason: str = ""  # why it ends early (for terminating)


# Where each stored status may go: a draft goes for review, a review sends it back for
# changes or ends in the signature; a signed agreement may be terminated before its end.
MOVES: dict[Stored, frozenset[Stored]] = {
    Stored.DRAFT: frozenset({Stored.IN_REVIEW}),
    Stored.IN_REVIEW: frozenset({Stored.DRAFT, Stored.SIGNED}),
    Stored.SIGNED: frozenset({Stored.TERMINATED}),
    Stored.TERMINATED: frozenset(),
}


class Problem(enum.StrEnum):
    """Why a move is refused; the service says each in words."""

    NOT_ALLOWED = "not_allowed"
    NO_NUMBER = "no_number"
    NO_PARTY = "no_party"
    NO_SIGNING_DATE = "no_signing_date"
    NO_PERIOD = "no_period"
    ENDS_BEFORE_START = "ends_before_start"
    NO_DOCUMENT = "no_document"
    NO_REASON = "no_reason"
    ALREADY_OVER = "already_over"


def move_problems(stored: str, target: str, facts: Facts, today: date) -> list[Problem]:
    """Everything that stands in the way of moving from ``stored`` to ``target``
    (empty: the move may be made)."""
    if Stored(target) not in MOVES[Stored(stored)]:
        return [Problem.NOT_ALLOWED]
    problems: list[Problem] = []
    if target == Stored.IN_REVIEW and facts.parties == 0:
        problems.append(Problem.NO_PARTY)
    if target == Stored.SIGNED:
        if not facts.number.strip():
            problems.append(Problem.NO_NUMBER)
        if facts.parties == 0:
            problems.append(Problem.NO_PARTY)
        if facts.signed_on is None:
            problems.append(Problem.NO_SIGNING_DATE)
        if facts.starts_on is None or facts.ends_on is None:
            problems.append(Problem.NO_PERIOD)
        elif facts.ends_on < facts.starts_on:
            problems.append(Problem.ENDS_BEFORE_START)
        # The signed document is the record the accreditation asks to see.
        if facts.documents == 0:
            problems.append(Problem.NO_DOCUMENT)
    if target == Stored.TERMINATED:
        if not facts.reason.strip():
            problems.append(Problem.NO_REASON)
        if state_on(stored, facts.starts_on, facts.ends_on, today) == State.EXPIRED:
            problems.append(Problem.ALREADY_OVER)
    return problems


class Stage(enum.StrEnum):
    """How far an activity has come through PR.KS's four steps."""

    PLANNED = "planned"
    COORDINATED = "coordinated"
    CARRIED_OUT = "carried_out"
    ARCHIVED = "archived"


def stage_of(*, coordinated: bool, carried_out: bool, archived: bool) -> Stage:
    """The last of the four steps done (the plan is the first, made with the activity)."""
    if archived:
        return Stage.ARCHIVED
    if carried_out:
        return Stage.CARRIED_OUT
    if coordinated:
        return Stage.COORDINATED
    return Stage.PLANNED
