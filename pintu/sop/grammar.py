"""The small languages an SOP file speaks inside its YAML: durations (``15m``, ``3d``,
``1mo``), KPI targets, and the measures a KPI may name with their parameters.

Pure: no ORM, no clock. KPI targets follow this grammar (``parse_target``)::

    present                          the evidence exists (evidence_present)
    >= 100%                          a share of at least 100 percent
    >= 1/year                        a count of at least 1 per year
    >= 80% from 2020, +5/year        a share of 80 percent in 2020 (and before), 5 more
                                     each later year, capped at 100 percent

"5 more" is read as percentage points unless the measure says its step is relative
(``Reading``): one computation, ``Target.threshold``, for the engine and the figure.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Literal

from pintu.sop.definition import DURATION_RE

DURATION_HINT = "use 15m, 4h, 1d, 2w or 1mo"
TARGET_HINT = "use present, >= 100%, >= 1/year or >= 80% from 2020, +5/year"

TargetKind = Literal["presence", "share", "count"]


@dataclass(frozen=True)
class MeasureSpec:
    doc: str  # what the measure computes, in one line
    target: TargetKind  # the kind of target it is compared with
    # Parameter name -> "duration", "text", "texts" (a list of text), "percent" (99.5%),
    # "seconds" (2s), or the tuple of allowed values. All required.
    params: dict[str, str | tuple[str, ...]]


_COOPERATION_UNIT_KINDS = ("department", "study_programme", "unit")

KNOWN_MEASURES: dict[str, MeasureSpec] = {
    # B.1.14.11.a, B.4.6.4.a, B.1.15.14.b
    "first_response_within": MeasureSpec(
        "Share of requests whose first public staff reply, through any door, came within "
        "`within` of their arrival.",
        "share",
        {"within": "duration"},
    ),
    # B.4.6.4.b-f, B.1.15.14.a, B.1.15.14.c
    "resolved_within": MeasureSpec(
        "Share of requests resolved within `within` of their arrival, over the services "
        "that name this KPI (all the SOP's services when none does).",
        "share",
        {"within": "duration"},
    ),
    # B.4.6.4.g: the clock starts at the feature's publication, not at a request.
    "announced_within": MeasureSpec(
        "Share of published information-system features or changes whose announcement "
        "(sosialisasi) went out within `within` of the publication.",
        "share",
        {"within": "duration"},
    ),
    # SDM.5.OT.02.02-5068's Mutu Baku (Pintu's codes M.1.a, M.1.b): the SOP has no KPI
    # table, its time standards are its measures.
    "steps_within_standard": MeasureSpec(
        "Share of the finished steps among `activities` done within their time standard "
        "(Mutu Baku), in working time.",
        "share",
        {"activities": "texts"},
    ),
    # B.1.8.16.a-d, B.1.8.17.a-b, B.4.6.1, B.4.6.2, B.4.10.1, B.4.10.2
    "evidence_present": MeasureSpec(
        "Whether the document named by `evidence` is on file for the year, judged valid.",
        "presence",
        {"evidence": "text"},
    ),
    # B.1.8.18: a list of named systems, each of which must be shown to be there.
    "checklist_present": MeasureSpec(
        "Share of the `items` named by the KPI for which evidence is on file for the year, "
        "judged valid.",
        "share",
        {"evidence": "text", "items": "texts"},
    ),
    # B.1.8.16.e, B.1.8.17.c
    "services_evaluated": MeasureSpec(
        "Share of the SOP's service types covered by an evaluation (service-analysis "
        "report) during the year.",
        "share",
        {},
    ),
    # B.1.8.17.a: the e-learning and digital-library services Pintu probes.
    "availability_at_least": MeasureSpec(
        "Share of the probed online learning services' months in which the service was "
        "found up in at least `availability` of its probes.",
        "share",
        {"availability": "percent"},
    ),
    # B.1.8.17.b: "mudah diakses" read as answering quickly when up.
    "answered_within": MeasureSpec(
        "Share of the probed online learning services' months in which the service, when "
        "up, answered in `within` on average.",
        "share",
        {"within": "seconds"},
    ),
    # B.4.10.8
    "reports_per_year": MeasureSpec(
        "Number of reports of kind `report` (e.g. LED) the unit completed in the year.",
        "count",
        {"report": "text"},
    ),
    # B.1.15.7: every department, every year.
    "activities_per_year": MeasureSpec(
        "Fewest cooperation activities carried out in the year by any one unit of kind `per`.",
        "count",
        {"per": _COOPERATION_UNIT_KINDS},
    ),
    # B.1.15.12
    "share_of_units_with_activity": MeasureSpec(
        "Share of the units of kind `kind` with at least one cooperation activity in the year.",
        "share",
        {"kind": _COOPERATION_UNIT_KINDS},
    ),
    # B.1.15.8.a-c: the three aspects the monitoring form records.
    "cooperation_aspect_met": MeasureSpec(
        "Share of the departments with cooperation in the year whose monitoring forms "
        "(BO.28.1.2) of the year assess the aspect `aspect` (benefit, performance or "
        "satisfaction) as met, with evidence.",
        "share",
        {"aspect": ("benefit", "performance", "satisfaction")},
    ),
}

TARGET_EXAMPLES: dict[TargetKind, str] = {
    "presence": "present",
    "share": "a share such as >= 100%",
    "count": "a count such as >= 1/year",
}

_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
_SHARE_RE = re.compile(rf"^>=\s*{_NUMBER}\s*%$")
_RISING_RE = re.compile(
    rf"^>=\s*{_NUMBER}\s*%\s+from\s+([0-9]{{4}})\s*,\s*\+\s*{_NUMBER}\s*/\s*year$"
)
_COUNT_RE = re.compile(rf"^>=\s*{_NUMBER}\s*/\s*year$")


class Reading(enum.StrEnum):
    """How a rising share's yearly step adds up (B.1.15.12's "kenaikan minimal sebesar
    5%" reads both ways)."""

    POINTS = "points"  # percentage points added each year: 80, 85, 90, ...
    RELATIVE = "relative"  # per cent of the year before's target, compounded: 80, 84, 88.2


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    value: float = 0.0  # percent for a share, count per year for a count
    since: int | None = None  # first year of a rising share
    step: float = 0.0  # added per year after ``since``, read as ``Reading`` says

    def threshold(self, year: int, reading: Reading = Reading.POINTS) -> float:
        """The least value that meets the target in ``year``: a rising share keeps
        ``value`` up to ``since``, then rises by ``step`` a year, at most to 100."""
        if self.since is None or year <= self.since:
            return self.value
        years = year - self.since
        try:
            rising = (
                self.value + self.step * years
                if reading == Reading.POINTS
                else self.value * (1 + self.step / 100) ** years
            )
        except OverflowError:
            return 100.0
        # To the hundredth, as the figure's note writes it, never below the first year's.
        return min(100.0, max(self.value, round(rising, 2)))


_PERCENT_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_SECONDS_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*s\s*$")


def parse_percent(text: str) -> float:
    """``"99.5%"`` → 99.5; ValueError for anything else or above 100."""
    match = _PERCENT_RE.match(text)
    if match is None or float(match.group(1)) > 100:
        raise ValueError(f"{text!r} is not a percentage such as 99.5%")
    return float(match.group(1))


def parse_seconds(text: str) -> float:
    """``"2s"`` → 2.0; ValueError for anything else."""
    match = _SECONDS_RE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a number of seconds such as 2s")
    return float(match.group(1))


def parse_target(text: str) -> Target:
    """Parse a KPI target in the grammar of the module docstring; ValueError if it is not one."""
    text = text.strip()
    if text == "present":
        return Target("presence")
    if match := _SHARE_RE.match(text):
        return Target("share", _percent(match.group(1), text))
    if match := _RISING_RE.match(text):
        return Target(
            "share", _percent(match.group(1), text), int(match.group(2)), float(match.group(3))
        )
    if match := _COUNT_RE.match(text):
        return Target("count", float(match.group(1)))
    raise ValueError(f"{text!r} is not a target ({TARGET_HINT})")


def _percent(number: str, text: str) -> float:
    value = float(number)
    if value > 100:
        raise ValueError(f"{text!r} asks for more than 100%")
    return value


def parse_duration(text: str) -> tuple[int, str]:
    """Split a duration such as ``15m`` or ``1mo`` into (15, "m"); ValueError otherwise."""
    match = DURATION_RE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration ({DURATION_HINT})")
    return int(match.group("amount")), match.group("unit")
