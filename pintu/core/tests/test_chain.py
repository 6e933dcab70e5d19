"""The hash chain's pure core: what a hash covers and how a chain is checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pintu.core import chain

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def make_chain(count: int) -> list[dict[str, Any]]:
    rows, prev = [], chain.GENESIS
    for number in range(1, count + 1):
        row = {
            "id": number * 10,
            "seq": number,
            "at": T0 + timedelta(minutes=number),
            "actor_id": number % 3 or None,
            "action": "ticket.reply",
            "object_type": "desk.ticket",
            "object_id": str(number),
            "object_repr": f"SI-26-{number:05d} Printer",
            "unit_id": 2,
            "before": {"status": "new"},
            "after": {"status": "open", "n": number},
        }
        row["prev_hash"] = prev
        row["hash"] = prev = chain.row_hash(prev, row)
        rows.append(row)
    return rows


def head_of(rows: list[dict[str, Any]]) -> tuple[int, str]:
    return (rows[-1]["seq"], rows[-1]["hash"]) if rows else (0, chain.GENESIS)


def test_an_untouched_chain_verifies_up_to_its_head() -> None:
    rows = make_chain(5)
    verdict = chain.verify(rows, head=head_of(rows))
    assert verdict.ok and verdict.rows == 5
    assert (verdict.head_seq, verdict.head_hash) == head_of(rows)


def test_an_empty_chain_verifies() -> None:
    assert chain.verify([], head=(0, chain.GENESIS)).ok


@pytest.mark.parametrize(
    "field, value",
    [
        ("action", "ticket.note"),
        ("object_repr", "SI-26-00003 Scanner"),
        ("after", {"status": "closed", "n": 3}),
        ("before", None),
        ("actor_id", 99),
        ("unit_id", None),
        ("at", T0 + timedelta(minutes=3, microseconds=1)),
    ],
)
def test_an_altered_field_names_that_row(field: str, value: Any) -> None:
    rows = make_chain(6)
    rows[2][field] = value
    problem = chain.verify(rows, head=head_of(rows)).problem
    assert problem is not None
    assert (problem.kind, problem.row_id, problem.seq) == ("altered", 30, 3)
    assert "row #30 (seq 3): altered" in problem.message


def test_a_row_altered_and_hashed_again_breaks_the_next_link() -> None:
    rows = make_chain(6)
    rows[2]["action"] = "forged"
    rows[2]["hash"] = chain.row_hash(rows[2]["prev_hash"], rows[2])
    problem = chain.verify(rows, head=head_of(rows)).problem
    assert problem is not None and (problem.kind, problem.seq) == ("out_of_order", 4)


def test_a_deleted_row_is_named_by_the_row_after_the_gap() -> None:
    rows = make_chain(6)
    del rows[3]
    problem = chain.verify(rows, head=head_of(rows)).problem
    assert problem is not None and problem.kind == "deleted"
    assert problem.message == "row #50 (seq 5): row seq 4 before it is missing (deleted)"


def test_the_deleted_last_rows_are_found_against_the_head() -> None:
    rows = make_chain(6)
    head = head_of(rows)
    problem = chain.verify(rows[:4], head=head).problem
    assert problem is not None and problem.kind == "deleted"
    assert "seq 5–6" in problem.message


def test_a_row_appended_without_the_writer_is_found_against_the_head() -> None:
    rows = make_chain(6)
    problem = chain.verify(rows, head=(5, rows[4]["hash"])).problem
    assert problem is not None and problem.kind == "out_of_order"


def test_swapped_rows_are_out_of_order() -> None:
    rows = make_chain(6)
    rows[2], rows[3] = rows[3], rows[2]
    problem = chain.verify(rows, head=head_of(rows)).problem
    assert problem is not None and problem.seq == 4


def test_a_rewritten_tail_differs_from_the_digest_kept() -> None:
    rows = make_chain(4)
    # A new row given the seq and link of row 3 but a later id.
    forged = dict(rows[2], id=99, action="forged")
    forged["hash"] = chain.row_hash(forged["prev_hash"], forged)
    rows = [*rows[:2], forged]
    head = (3, forged["hash"])
    assert chain.verify(rows, head=head).ok  # a consistent rewrite passes the chain alone…
    kept = [("2026-12-01", 3, make_chain(4)[2]["hash"])]
    problem = chain.verify(rows, head=head, digests=kept).problem
    assert problem is not None and problem.kind == "digest"  # …but not the digest kept


def test_an_id_going_backwards_is_out_of_order() -> None:
    rows = make_chain(4)
    rows[3]["id"] = 5
    problem = chain.verify(rows, head=head_of(rows)).problem
    assert problem is not None and (problem.kind, problem.seq) == ("out_of_order", 4)


def test_a_chain_whose_oldest_rows_were_purged_verifies_from_its_base() -> None:
    rows = make_chain(6)
    kept = rows[3:]
    assert chain.verify(kept, head=head_of(rows)).problem is not None
    verdict = chain.verify(kept, base_seq=3, base_hash=rows[2]["hash"], head=head_of(rows))
    assert verdict.ok and verdict.rows == 3


def test_the_moment_is_hashed_in_utc_whatever_zone_it_was_read_in() -> None:
    row = make_chain(1)[0]
    wib = dict(row, at=row["at"].astimezone(timezone(timedelta(hours=7))))
    assert chain.row_hash(chain.GENESIS, wib) == row["hash"]


def test_a_naive_moment_is_refused() -> None:
    row = dict(make_chain(1)[0], at=datetime(2026, 12, 1, 8, 0))
    with pytest.raises(ValueError, match="time zone"):
        chain.canonical(row)


def test_json_values_hash_as_the_database_gives_them_back() -> None:
    row = make_chain(1)[0]
    as_written = dict(row, after={"b": (1, 2), "a": {3: "x"}})
    as_read = dict(row, after={"a": {"3": "x"}, "b": [1, 2]})
    assert chain.canonical(as_written) == chain.canonical(as_read)


@given(st.integers(min_value=1, max_value=12), st.data())
def test_any_single_change_is_found_at_or_after_that_row(count: int, data: st.DataObject) -> None:
    rows = make_chain(count)
    index = data.draw(st.integers(min_value=0, max_value=count - 1))
    field = data.draw(st.sampled_from(["object_repr", "object_id", "action", "after"]))
    rows[index][field] = data.draw(st.text(min_size=1, max_size=5)) + "!"
    problem = chain.verify(rows, head=head_of(make_chain(count))).problem
    assert problem is not None and problem.seq == index + 1


@given(st.integers(min_value=2, max_value=12), st.data())
def test_any_deleted_row_is_found(count: int, data: st.DataObject) -> None:
    rows = make_chain(count)
    head = head_of(rows)
    index = data.draw(st.integers(min_value=0, max_value=count - 1))
    del rows[index]
    problem = chain.verify(rows, head=head).problem
    assert problem is not None and problem.kind == "deleted"


def test_a_broken_chain_counts_the_good_rows_before_the_break() -> None:
    rows = make_chain(5)
    head = head_of(rows)
    altered = [*rows[:2], {**rows[2], "action": "ticket.note"}, *rows[3:]]
    assert chain.verify(altered, head=head).rows == 2  # rows 1 and 2
    # The last two deleted: the three read were all good.
    verdict = chain.verify(rows[:3], head=head)
    assert verdict.problem is not None and verdict.problem.kind == "deleted"
    assert verdict.rows == 3
