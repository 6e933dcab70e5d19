"""The life cycle of a campus account (PR.33.8 "Pengelolaan akun"): staged when made in
the directory, active once its holder has set a password, disabled when its holder
leaves (never deleted), and moved aside a while after that; and which accounts a
semester's run disables.

Pure: no ORM, no clock (``now`` is a parameter).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class State(StrEnum):
    STAGED = "staged"
    ACTIVE = "active"
    DISABLED = "disabled"
    MOVED = "moved"


class Event(StrEnum):
    ACTIVATE = "activate"  # the holder set a password through their one-time link
    DISABLE = "disable"
    MOVE = "move"  # out of ou=people, a while after being disabled


class LifecycleError(ValueError):
    """The account cannot go that way from where it is."""


MOVES: dict[tuple[State, Event], State] = {
    (State.STAGED, Event.ACTIVATE): State.ACTIVE,
    # A new password for an active account (a reset) leaves it active.
    (State.ACTIVE, Event.ACTIVATE): State.ACTIVE,
    (State.STAGED, Event.DISABLE): State.DISABLED,
    (State.ACTIVE, Event.DISABLE): State.DISABLED,
    (State.DISABLED, Event.MOVE): State.MOVED,
}


def next_state(state: State, event: Event) -> State:
    try:
        return MOVES[(state, event)]
    except KeyError:
        raise LifecycleError(f"an account that is {state} cannot {event}") from None


# The master data's statuses whose accounts a semester's run disables.
LEAVING = frozenset({"lulus", "keluar"})


@dataclass(frozen=True)
class Holder:
    """What the rules need to know of an account and its master record."""

    account_id: int
    state: State
    status: str  # the master record's: aktif, lulus, keluar
    disabled_at: datetime | None = None


def to_disable(holders: Iterable[Holder]) -> list[Holder]:
    """The accounts of graduates and leavers that are still usable."""
    return [h for h in holders if h.status in LEAVING and h.state in (State.STAGED, State.ACTIVE)]


def to_move(holders: Iterable[Holder], *, now: datetime, after: timedelta) -> list[Holder]:
    """Disabled accounts whose time in ou=people is up."""
    return [
        h
        for h in holders
        if h.state == State.DISABLED and h.disabled_at is not None and h.disabled_at + after <= now
    ]
