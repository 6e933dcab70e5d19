"""The life cycle of a campus account, as a table of every state and event, and which
accounts a semester's run disables or moves aside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from pintu.identity.lifecycle import (
    Event,
    Holder,
    LifecycleError,
    State,
    next_state,
    to_disable,
    to_move,
)

ALLOWED = {
    (State.STAGED, Event.ACTIVATE): State.ACTIVE,
    (State.ACTIVE, Event.ACTIVATE): State.ACTIVE,
    (State.STAGED, Event.DISABLE): State.DISABLED,
    (State.ACTIVE, Event.DISABLE): State.DISABLED,
    (State.DISABLED, Event.MOVE): State.MOVED,
}


@pytest.mark.parametrize(("state", "event"), list(product(State, Event)))
def test_every_state_and_event(state: State, event: Event) -> None:
    if (state, event) in ALLOWED:
        assert next_state(state, event) == ALLOWED[(state, event)]
    else:
        with pytest.raises(LifecycleError, match=f"{state} cannot {event}"):
            next_state(state, event)


def test_nothing_ever_comes_back_from_disabled_or_goes_to_deleted() -> None:
    assert {to for (state, _), to in ALLOWED.items() if state in (State.DISABLED, State.MOVED)} == {
        State.MOVED
    }


def test_a_semester_disables_the_usable_accounts_of_graduates_and_leavers() -> None:
    holders = [
        Holder(1, State.ACTIVE, "lulus"),
        Holder(2, State.STAGED, "keluar"),
        Holder(3, State.ACTIVE, "aktif"),
        Holder(4, State.DISABLED, "lulus"),
        Holder(5, State.MOVED, "keluar"),
    ]
    assert [h.account_id for h in to_disable(holders)] == [1, 2]


def test_disabled_accounts_move_aside_when_their_time_is_up() -> None:
    now = datetime(2027, 1, 4, 8, tzinfo=UTC)
    after = timedelta(days=180)
    holders = [
        Holder(1, State.DISABLED, "lulus", now - after),  # exactly due
        Holder(2, State.DISABLED, "lulus", now - after + timedelta(seconds=1)),
        Holder(3, State.ACTIVE, "lulus", now - 2 * after),
        Holder(4, State.DISABLED, "lulus", None),
    ]
    assert [h.account_id for h in to_move(holders, now=now, after=after)] == [1]
