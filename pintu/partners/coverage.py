"""B.1.15.12 and B.1.15.7 as pure functions: which study programmes or departments a
year's activities cover.

B.1.15.12's rising target ("presentase prodi yang melaksanakan kerjasama dengan mitra
pada tahun 2020 sebesar 80% dengan kenaikan minimal sebesar 5% setiap tahunnya") is the
SOP's own target, ``>= 80% from 2020, +5/year``, computed once for the engine and the
figure by ``pintu.sop.grammar.Target.threshold``, in the reading the settings choose
(``PINTU_PARTNERS_TARGET_READING``: points, or relative).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Coverage:
    """Which of the units counted had at least one activity in the year."""

    covered: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.covered) + len(self.missing)

    @property
    def share(self) -> float | None:
        """The percentage covered, None when there is no unit to count."""
        if not self.total:
            return None
        return 100.0 * len(self.covered) / self.total


def coverage(units: Iterable[str], active: Collection[str]) -> Coverage:
    """The units (codes, in the order given) split by whether ``active`` names them."""
    listed = list(dict.fromkeys(units))
    return Coverage(
        covered=tuple(code for code in listed if code in active),
        missing=tuple(code for code in listed if code not in active),
    )


def departments_active(parents: Mapping[str, str | None], named: Iterable[str]) -> frozenset[str]:
    """B.1.15.7 counts a department's cooperation: an activity naming the department or
    one of its study programmes (``parents`` maps each programme to its department)."""
    found: set[str] = set()
    for code in named:
        found.add(code)
        parent = parents.get(code)
        if parent:
            found.add(parent)
    return frozenset(found)
