"""The SOP step flow as a pure function: which steps a new request starts with, and what
completing a step does to the others (the next step, the branch chosen, the branches
not taken).

Pure: no ORM, no clock. It reads the SOP's definition (``pintu.sop.definition``) and the
states of a ticket's steps as plain values; ``pintu.desk.services.steps`` stores what
it answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pintu.sop.definition import Definition

State = Literal["pending", "active", "done", "skipped"]
PENDING: State = "pending"
ACTIVE: State = "active"
DONE: State = "done"
SKIPPED: State = "skipped"


class FlowError(ValueError):
    """Completing the step is not possible as asked; the message says why."""


@dataclass(frozen=True)
class Move:
    """What completing a step changes: the steps that start now and those not taken."""

    start: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()


def opening_states(definition: Definition, keys: Sequence[str]) -> list[State]:
    """The states a request's steps start in, in the order of ``keys`` (the service's
    activities): the leading steps that the requester performs (sending the request)
    are done on arrival, the first step of the office is in progress, the rest wait."""
    states: list[State] = []
    leading = True
    for key in keys:
        if leading and definition.by_requester(definition.activity(key).actor):
            states.append(DONE)
        elif leading:
            states.append(ACTIVE)
            leading = False
        else:
            states.append(PENDING)
    return states


def after_completion(
    definition: Definition,
    keys: Sequence[str],
    states: Mapping[str, str],
    done: str,
    branch: str = "",
) -> Move:
    """What completing step ``done`` does, given every step's state now.

    A step with branches (``next`` in the SOP) needs one of them: that step starts and
    the other branches are not taken. A step that closes its flow (``end``) starts
    nothing. Any other step starts the next step of the service's list. Only a step
    still waiting starts.
    """
    if states.get(done) != ACTIVE:
        raise FlowError("only the step in progress can be completed")
    activity = definition.activity(done)
    if activity.next:
        choices = [b.to for b in activity.next]
        if branch not in choices:
            raise FlowError(f"choose what happens next: one of {', '.join(choices)}")
        following = [branch] if branch in keys else []
        skip = tuple(other for other in choices if other != branch and other in keys)
    elif branch:
        raise FlowError(f"the step {done} has no branches")
    else:
        skip = ()
        if activity.end:
            following = []
        else:
            position = list(keys).index(done)
            following = list(keys[position + 1 : position + 2])
    start = tuple(key for key in following if states.get(key) == PENDING)
    return Move(start=start, skip=tuple(key for key in skip if states.get(key) == PENDING))
