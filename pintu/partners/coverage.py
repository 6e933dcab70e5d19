"""B.1.15.12 and B.1.15.7 as pure functions: the year's coverage target, and which study
programmes or departments a year's activities cover.

B.1.15.12: "presentase prodi yang melaksanakan kerjasama dengan mitra pada tahun 2020
sebesar 80% dengan kenaikan minimal sebesar 5% setiap tahunnya". "5%" reads two ways:
five percentage points a year (80, 85, 90, ...) or five per cent of the year before
(80, 84, 88.2, ...). Which one is a setting (``PINTU_PARTNERS_TARGET_READING``, points
by default); either way a share cannot pass 100%, and the SOP sets no target for the
years before 2020.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass


class Reading(enum.StrEnum):
    """How "kenaikan minimal sebesar 5%" adds up from one year to the next."""

    POINTS = "points"  # percentage points added each year
    RELATIVE = "relative"  # per cent of the year before's target, compounded


@dataclass(frozen=True)
class Rule:
    """The rising target: ``base`` per cent in ``since``, rising by ``step`` a year."""

    base: float = 80.0
    since: int = 2020
    step: float = 5.0
    reading: Reading = Reading.POINTS


def target_for(year: int, rule: Rule = Rule()) -> float | None:
    """The least share (per cent) that meets B.1.15.12 in ``year``; None before the
    first year of the rule, which sets nothing for them."""
    if year < rule.since:
        return None
    years = year - rule.since
    if rule.reading == Reading.POINTS:
        value = rule.base + rule.step * years
    else:
        value = rule.base * (1 + rule.step / 100) ** years
    return min(100.0, round(value, 2))


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

    def meets(self, target: float | None) -> bool | None:
        """Whether the share reaches ``target``; None when either is missing."""
        share = self.share
        if share is None or target is None:
            return None
        return share + 1e-9 >= target


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
