"""An agreement's states and moves (pure): table-driven, and checked against the SQL that
lists filter on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pintu.partners.lifecycle import MOVES, Facts, Problem, State, Stored, move_problems, state_on

START, END = date(2025, 1, 1), date(2027, 12, 31)


@pytest.mark.parametrize(
    ("stored", "today", "state"),
    [
        ("draft", date(2026, 6, 1), State.DRAFT),
        ("in_review", date(2026, 6, 1), State.IN_REVIEW),
        ("signed", date(2024, 12, 31), State.SIGNED),  # signed, not started yet
        ("signed", START, State.ACTIVE),  # its first day counts
        ("signed", date(2026, 6, 1), State.ACTIVE),
        ("signed", END, State.ACTIVE),  # and its last
        ("signed", date(2028, 1, 1), State.EXPIRED),
        ("terminated", date(2026, 6, 1), State.TERMINATED),
        ("terminated", date(2030, 1, 1), State.TERMINATED),  # ended early stays so
    ],
)
def test_the_state_on_a_day(stored: str, today: date, state: State) -> None:
    assert state_on(stored, START, END, today) == state


def test_a_signed_agreement_without_dates_reads_as_active() -> None:
    assert state_on("signed", None, None, date(2026, 1, 1)) == State.ACTIVE


READY = Facts(
    number="001/PL29/KS/2026",
    parties=1,
    signed_on=date(2025, 12, 20),
    starts_on=START,
    ends_on=END,
    documents=1,
    reason="Mitra menutup cabangnya di Batam.",
)


@pytest.mark.parametrize(
    ("stored", "target", "changes", "problems"),
    [
        ("draft", "in_review", {}, []),
        ("draft", "in_review", {"parties": 0}, [Problem.NO_PARTY]),
        ("draft", "signed", {}, [Problem.NOT_ALLOWED]),  # a review comes first
        ("in_review", "draft", {}, []),
        ("in_review", "signed", {}, []),
        ("in_review", "signed", {"number": " "}, [Problem.NO_NUMBER]),
        ("in_review", "signed", {"signed_on": None}, [Problem.NO_SIGNING_DATE]),
        ("in_review", "signed", {"ends_on": None}, [Problem.NO_PERIOD]),
        (
            "in_review",
            "signed",
            {"starts_on": END, "ends_on": START},
            [Problem.ENDS_BEFORE_START],
        ),
        ("in_review", "signed", {"documents": 0}, [Problem.NO_DOCUMENT]),
        (
            "in_review",
            "signed",
            {"number": "", "parties": 0, "documents": 0},
            [Problem.NO_NUMBER, Problem.NO_PARTY, Problem.NO_DOCUMENT],
        ),
        ("signed", "terminated", {}, []),
        ("signed", "terminated", {"reason": ""}, [Problem.NO_REASON]),
        (
            "signed",
            "terminated",
            {"ends_on": date(2026, 1, 31), "starts_on": date(2025, 1, 1)},
            [Problem.ALREADY_OVER],
        ),
        ("signed", "draft", {}, [Problem.NOT_ALLOWED]),
        ("terminated", "signed", {}, [Problem.NOT_ALLOWED]),
        ("draft", "terminated", {}, [Problem.NOT_ALLOWED]),
    ],
)
def test_what_stands_in_the_way_of_a_move(
    stored: str, target: str, changes: dict[str, Any], problems: list[Problem]
) -> None:
    facts = replace(READY, **changes)
    assert move_problems(stored, target, facts, date(2026, 6, 1)) == problems


def test_no_move_leaves_a_terminated_agreement() -> None:
    assert MOVES[Stored.TERMINATED] == frozenset()
    assert all(Stored.DRAFT not in targets for s, targets in MOVES.items() if s != "in_review")


@given(
    stored=st.sampled_from(list(Stored)),
    start=st.dates(date(2015, 1, 1), date(2035, 1, 1)),
    length=st.integers(0, 3650),
    today=st.dates(date(2010, 1, 1), date(2040, 1, 1)),
)
def test_a_signed_agreement_is_active_exactly_within_its_period(
    stored: Stored, start: date, length: int, today: date
) -> None:
    end = start + timedelta(days=length)
    state = state_on(stored, start, end, today)
    if stored != Stored.SIGNED:
        assert state.value == stored.value
    else:
        assert (state == State.ACTIVE) == (start <= today <= end)
        assert (state == State.EXPIRED) == (today > end)
