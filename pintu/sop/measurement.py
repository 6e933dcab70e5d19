"""What measuring a KPI gives, as plain data: the numbers and the evidence behind them.

Pure: no ORM. A measure (named in an SOP's ``kpis[].measure``, see
``pintu.sop.grammar.KNOWN_MEASURES``) is a pair of functions registered under that name:
a **selector** that reads the records of a unit and a period (aggregating in SQL) and
hands back plain rows, and a pure **compute** that turns those rows into a
``Measurement``. The desk's measures live in the KPI engine (pintu/kpi); a unit module declares its
own in its ``measures.py`` as ``MEASURES = {"name": Measure(select=..., compute=...)}``,
which the KPI engine finds by name (a module never imports the engine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pintu.sop.grammar import Reading

# The years a KPI or a report may be asked for.
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class Period:
    """The days measured, both included (a calendar year, a month)."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Evidence:
    """One record behind a figure: a request, a step, a release, an uploaded document."""

    reference: str  # what people call it (SI-26-00042, a file name, a release number)
    label: str  # what it is, in a few words
    url: str  # its page ("" where it has none)
    passed: bool
    # False: seen but not counted yet (a request still running whose deadline is ahead);
    # ``note`` says why.
    counted: bool = True
    note: str = ""
    when: datetime | None = None


@dataclass(frozen=True)
class Measurement:
    """A KPI's result for a unit and a period: for a share, ``numerator`` of
    ``denominator``; for a count, the count as ``numerator`` (``denominator`` 1); for
    presence, 1 or 0 of 1. The counted evidence adds up: as many passed as
    ``numerator``, as many in all as ``denominator`` (for a share)."""

    numerator: float
    denominator: float
    evidence: tuple[Evidence, ...] = ()
    # The value by month (1-12) where the measure has one, for the trend.
    by_month: Mapping[int, float] = field(default_factory=dict)
    note: str = ""  # what the figure means, when that needs saying (e.g. which reading)
    # How a rising target's yearly step reads for this figure (``Target.threshold``).
    reading: Reading = Reading.POINTS

    @property
    def share(self) -> float | None:
        """The percentage, or None when nothing was counted."""
        if self.denominator == 0:
            return None
        return 100.0 * self.numerator / self.denominator


Rows = Sequence[Any]


@dataclass(frozen=True)
class Measure:
    """A measure as the engine calls it: ``select`` reads (ORM, SQL aggregates), then
    ``compute`` calculates (pure). ``kind`` says how its value is read: a share (a
    percentage of what was counted), a count, or presence (1 when the evidence is on
    file).

    Where the records behind a figure are many (every request of a year), ``select``
    hands ``compute`` aggregate rows only, and ``evidence`` lists the records one by one
    when someone asks for them; where they are few, ``compute`` puts them in the
    ``Measurement`` itself and ``evidence`` is left out."""

    select: Callable[..., Rows]  # (*, unit, period, params, now) -> rows
    compute: Callable[..., Measurement]  # (rows, *, period, params, now) -> Measurement
    kind: str = "share"
    # (*, unit, period, params, now) -> the records, counted or not, passed or not
    evidence: Callable[..., Iterable[Evidence]] | None = None
