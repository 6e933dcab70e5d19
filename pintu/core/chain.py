"""The audit log's hash chain, as pure functions: what a row's hash covers, and how a
chain is checked.

Each row's hash is SHA-256 over the previous row's hash and the row's own content in a
canonical JSON form, so that changing, removing or re-ordering any row breaks every
link after it. No ORM here: the writer (``pintu.core.audit``) and the checker
(``pintu audit verify``) hand rows in as plain values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The hash the first row of a chain links to.
GENESIS = "0" * 64

# What a row's hash covers, in this order. Changing it would break every chain kept.
CONTENT_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "unit_id",
    "before",
    "after",
)


def _moment(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("an audit moment must carry its time zone")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _json_value(value: Any) -> Any:
    """The value as the database gives it back (tuples become lists, keys strings)."""
    return None if value is None else json.loads(json.dumps(value))


def canonical(row: Mapping[str, Any]) -> bytes:
    """A row's content as the bytes its hash covers."""
    values = []
    for name in CONTENT_FIELDS:
        value = row[name]
        if name == "at":
            value = _moment(value)
        elif name in ("before", "after"):
            value = _json_value(value)
        elif name == "seq" or value is None:
            pass
        else:
            value = str(value)
        values.append(value)
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(row)).hexdigest()


@dataclass(frozen=True)
class Problem:
    """The first place where the chain does not hold."""

    kind: str  # "altered", "deleted", "out_of_order", "head", "digest"
    row_id: int | None  # the row named (None where the problem is after the last row)
    seq: int | None
    message: str


@dataclass(frozen=True)
class Verdict:
    rows: int  # the rows found good: all of them when the chain is intact
    head_seq: int
    head_hash: str
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(
    rows: Iterable[Mapping[str, Any]],
    *,
    base_seq: int = 0,
    base_hash: str = GENESIS,
    head: tuple[int, str] | None = None,
    digests: Sequence[tuple[str, int, str]] = (),
) -> Verdict:
    """Check ``rows`` (each with ``id``, ``prev_hash``, ``hash`` and the content fields),
    given in the order of their ``seq``.

    ``base_seq``/``base_hash`` are where the kept chain starts (0 and GENESIS, or the
    last row a retention purge removed); ``head`` is the chain head the writer kept;
    ``digests`` are (day, seq, hash) of the daily digests, which a rewrite of the whole
    chain would have to match too.
    """
    expected_seq, expected_prev = base_seq + 1, base_hash
    previous_id: int | None = None
    count = 0
    by_seq = {seq: (day, digest) for day, seq, digest in digests}
    for row in rows:
        count += 1
        seq, row_id = int(row["seq"]), int(row["id"])
        if seq > expected_seq:
            gap = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}–{seq - 1}"
            return _fail(
                count - 1, "deleted", row_id, seq,
                f"row #{row_id} (seq {seq}): row seq {gap} before it is missing (deleted)",
            )  # fmt: skip
        if head is not None and seq > head[0]:
            return _fail(
                count - 1, "out_of_order", row_id, seq,
                f"row #{row_id} (seq {seq}): inserted after the chain head, not by the writer",
            )  # fmt: skip
        if seq < expected_seq or (previous_id is not None and row_id < previous_id):
            return _fail(
                count - 1, "out_of_order", row_id, seq,
                f"row #{row_id} (seq {seq}): inserted out of order",
            )  # fmt: skip
        if row["prev_hash"] != expected_prev:
            return _fail(
                count - 1, "out_of_order", row_id, seq,
                f"row #{row_id} (seq {seq}): does not link to the row before it (inserted "
                "out of order, or the row before was altered and hashed again)",
            )  # fmt: skip
        if row_hash(expected_prev, row) != row["hash"]:
            return _fail(
                count - 1, "altered", row_id, seq, f"row #{row_id} (seq {seq}): altered"
            )  # fmt: skip
        if seq in by_seq and by_seq[seq][1] != row["hash"]:
            day = by_seq[seq][0]
            return _fail(
                count - 1, "digest", row_id, seq,
                f"row #{row_id} (seq {seq}): differs from the digest kept on {day} "
                "(the chain was rewritten)",
            )  # fmt: skip
        expected_seq, expected_prev, previous_id = seq + 1, row["hash"], row_id
    last_seq = expected_seq - 1
    if head is not None and (head[0] != last_seq or head[1] != expected_prev):
        if head[0] > last_seq:
            gap = f"{last_seq + 1}" if head[0] == last_seq + 1 else f"{last_seq + 1}–{head[0]}"
            message = f"the last rows (seq {gap}) are missing (deleted)"
            kind = "deleted"
        elif head[0] == last_seq:
            message = f"the last row (seq {last_seq}) differs from the chain head (rewritten)"
            kind = "altered"
        else:
            message = f"rows after seq {head[0]} were added without the writer"
            kind = "out_of_order"
        return _fail(count, kind, None, head[0], message)
    return Verdict(count, last_seq, expected_prev, None)


def _fail(count: int, kind: str, row_id: int | None, seq: int | None, message: str) -> Verdict:
    return Verdict(count, seq or 0, "", Problem(kind, row_id, seq, message))
