"""Step actions: the seam through which a unit module does its part of an SOP step.

A module registers, in its ``steps.py``, a ``StepAction`` for an (SOP code, activity
key): the form the step needs, the template fragment shown in the ticket's step panel,
and the service that performs it. When staff complete that step, the desk's step service
validates the form, calls ``perform`` inside its own transaction (the module's write, its
audit row, any outbox job) and then completes the step, with the branch ``perform``
chose. The desk finds the modules' ``steps.py`` when it loads and never imports a module;
a system check (``pintu.desk.checks``) refuses an action whose activity no SOP has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django import forms

# The step panel's form fields of an action carry this prefix, beside the desk's own.
PREFIX = "action"


@dataclass(frozen=True)
class Outcome:
    """What an action's service reports: the step's output in words and, for a step
    that branches, the way on it took (an activity key of the SOP)."""

    output: str = ""
    branch: str = ""


class Perform(Protocol):
    def __call__(
        self, *, actor: Any, step: Any, data: Mapping[str, Any], now: datetime
    ) -> Outcome: ...


@dataclass(frozen=True)
class StepAction:
    sop: str  # the SOP code, e.g. SDM.5.OT.02.02-5068
    activity: str  # the activity key within it
    # Built as form(data, files, step=step, prefix=PREFIX); its cleaned data goes to
    # ``perform``.
    form: Callable[..., forms.Form]
    template: str  # the fragment for the step panel; it gets ``form``, ``step``, ``ticket``
    perform: Perform
    label: Any = ""  # the button's words (lazy text), when not "Mark the step done"


ACTIONS: dict[tuple[str, str], StepAction] = {}


def register(action: StepAction) -> StepAction:
    key = (action.sop, action.activity)
    existing = ACTIONS.get(key)
    if existing is not None and existing != action:
        raise ValueError(f"a step action for {action.sop} {action.activity} is registered already")
    ACTIONS[key] = action
    return action


def action_for(sop: str, activity: str) -> StepAction | None:
    return ACTIONS.get((sop, activity))


def bound_form(
    action: StepAction, step: Any, data: Mapping[str, Any] | None = None, files: Any = None
) -> forms.Form:
    """The action's form for ``step``: unbound to show, bound to check what was sent."""
    return action.form(data, files, step=step, prefix=PREFIX)
