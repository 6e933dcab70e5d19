"""The KPIs of SOP PR.KS that the partnership records answer, under the names its YAML
uses (``pintu.sop.grammar.KNOWN_MEASURES``); the KPI engine finds them by name.

An activity counts in the year it was **held** (step 3 of PR.KS recorded, its date in
the year), for the departments and study programmes it names: a plan is not yet a
cooperation carried out. The first response and the one-day clocks of B.1.15.14 are the
desk's own measures over the requests of this SOP. B.1.15.8.a-c read the year's
monitoring forms (BO.28.1.2), per department.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pintu.org.models import Unit
from pintu.partners.coverage import coverage, departments_active
from pintu.partners.models import Activity, Aspect, Assessment
from pintu.sop.definition import Kpi
from pintu.sop.grammar import Reading, Target, parse_target
from pintu.sop.measurement import Evidence, Measure, Measurement, Period


@dataclass(frozen=True)
class Held:
    """An activity held in the period, with the units it names."""

    pk: int
    title: str
    reference: str
    held_on: date
    units: tuple[str, ...]


@dataclass(frozen=True)
class UnitRow:
    """A department or study programme, and the activities that count for it."""

    code: str
    name: str
    activities: tuple[Held, ...]


def held_activities(period: Period) -> list[Held]:
    """The activities held in ``period`` (two queries: the activities, their units)."""
    activities = (
        Activity.objects.filter(
            carried_out_at__isnull=False, held_on__gte=period.start, held_on__lte=period.end
        )
        .select_related("ticket")
        .prefetch_related("units")
        .order_by("held_on", "id")
    )
    held = []
    for activity in activities:
        assert activity.held_on is not None  # filtered above
        held.append(
            Held(
                pk=activity.pk,
                title=activity.title,
                reference=activity.ticket.reference,
                held_on=activity.held_on,
                units=tuple(sorted(unit.code for unit in activity.units.all())),
            )
        )
    return held


def unit_rows(*, period: Period, params: Mapping[str, Any], **rest: Any) -> list[UnitRow]:
    """Every active unit of kind ``params["kind"]`` (or ``"per"``) with the year's
    activities that count for it; a department's count its programmes' activities too
    (B.1.15.7, "Jurusan melaksanakan kerjasama ... yang relevan dengan bidang PS")."""
    kind = params.get("kind") or params.get("per") or Unit.Kind.STUDY_PROGRAMME
    parents = dict(
        Unit.objects.filter(kind=Unit.Kind.STUDY_PROGRAMME)
        .exclude(parent__isnull=True)
        .values_list("code", "parent__code")
    )
    held = held_activities(period)
    counted: dict[str, list[Held]] = {}
    for activity in held:
        named = (
            departments_active(parents, activity.units)
            if kind == Unit.Kind.DEPARTMENT
            else frozenset(activity.units)
        )
        for code in named:
            counted.setdefault(code, []).append(activity)
    units = Unit.objects.filter(kind=kind, is_active=True).order_by("code")
    return [UnitRow(unit.code, unit.name, tuple(counted.get(unit.code, ()))) for unit in units]


def _unit_evidence(row: UnitRow, year: int) -> Evidence:
    listing = reverse("partners-activities") + f"?year={year}&q="
    if not row.activities:
        return Evidence(
            reference=row.code,
            label=row.name,
            url=listing,
            passed=False,
            note=_("no cooperation activity held this year"),
        )
    first = row.activities[0]
    count = len(row.activities)
    note = ngettext("%(count)s activity: %(titles)s", "%(count)s activities: %(titles)s", count) % {
        "count": count,
        "titles": "; ".join(f"{a.reference} {a.title}" for a in row.activities),
    }
    return Evidence(
        reference=row.code,
        label=row.name,
        url=reverse("partners-activity", args=[first.pk]),
        passed=True,
        note=note,
        when=datetime.combine(first.held_on, datetime.min.time()),
    )


def reading() -> Reading:
    """How B.1.15.12's rising target reads, as the settings choose."""
    return Reading(settings.PINTU_PARTNERS_TARGET_READING)


def reading_words(year: int, target: Target, chosen: Reading) -> str:
    """Which reading the figure uses, and the target it gives for ``year`` (the
    engine's own threshold: ``Target.threshold``)."""
    threshold = target.threshold(year, chosen)
    step = f"{target.step:g}"
    words = (
        _("%(step)s percentage points a year") % {"step": step}
        if chosen == Reading.POINTS
        else _("%(step)s per cent of the year before's target") % {"step": step}
    )
    if target.since is not None and year < target.since:
        return _(
            "Target %(year)s: %(target)s%% (the target of %(since)s, when the SOP's rule begins)."
        ) % {"year": year, "target": f"{threshold:g}", "since": target.since}
    return _(
        "Target %(year)s: %(target)s%% (%(base)s%% in %(since)s, rising %(reading)s, at "
        "most 100%%)."
    ) % {
        "year": year,
        "target": f"{threshold:g}",
        "base": f"{target.value:g}",
        "since": target.since,
        "reading": words,
    }


def compute_coverage(
    rows: Sequence[UnitRow], *, period: Period, kpi: Kpi, **rest: Any
) -> Measurement:
    """B.1.15.12: the share of the study programmes with at least one activity held in
    the year; the missing ones are the evidence that failed. The figure is judged, and
    its note written, in the reading of the rising target the settings choose
    (``PINTU_PARTNERS_TARGET_READING``)."""
    year = period.start.year
    found = coverage([row.code for row in rows], {row.code for row in rows if row.activities})
    evidence = tuple(_unit_evidence(row, year) for row in rows)
    chosen = reading()
    return Measurement(
        len(found.covered),
        found.total,
        evidence=evidence,
        note=reading_words(year, parse_target(kpi.target), chosen),
        reading=chosen,
    )


def compute_fewest(rows: Sequence[UnitRow], *, period: Period, **rest: Any) -> Measurement:
    """B.1.15.7: every department cooperates every year, so the figure is the fewest
    activities held by any one department (met at one or more); the departments with
    none are the evidence that failed."""
    evidence = tuple(_unit_evidence(row, period.start.year) for row in rows)
    fewest = min((len(row.activities) for row in rows), default=0)
    missing = [row.code for row in rows if not row.activities]
    note = (
        _("Without cooperation this year: %(units)s.") % {"units": ", ".join(missing)}
        if missing
        else ""
    )
    return Measurement(fewest, 1, evidence=evidence, note=note)


@dataclass(frozen=True)
class Assessed:
    """One monitoring form's word on a department's aspect."""

    monitoring: int
    form: str  # the form as people name it: BO.28.1.2, the agreement, the year
    met: bool
    evidence: str


@dataclass(frozen=True)
class AspectRow:
    """A department with its year's cooperation and what the forms say of the aspect."""

    code: str
    name: str
    cooperated: bool
    assessed: tuple[Assessed, ...]


def aspect_rows(*, period: Period, params: Mapping[str, Any], **rest: Any) -> list[AspectRow]:
    """Every active department, whether it cooperated in the year (as B.1.15.7 counts
    it), and the year's monitoring forms' assessments of ``params["aspect"]`` for it."""
    departments = unit_rows(period=period, params={"kind": Unit.Kind.DEPARTMENT})
    assessments = (
        Assessment.objects.filter(
            monitoring__year=period.start.year, aspect=Aspect(params["aspect"])
        )
        .select_related("department", "monitoring__agreement", "survey")
        .order_by("monitoring__agreement__number", "monitoring_id")
    )
    found: dict[str, list[Assessed]] = {}
    for assessment in assessments:
        evidence = assessment.evidence
        if assessment.survey is not None:
            evidence = " ".join(filter(None, [evidence, survey_words(assessment.survey)]))
        found.setdefault(assessment.department.code, []).append(
            Assessed(
                monitoring=assessment.monitoring_id,
                form=str(assessment.monitoring),
                met=assessment.met,
                evidence=evidence,
            )
        )
    return [
        AspectRow(row.code, row.name, bool(row.activities), tuple(found.get(row.code, ())))
        for row in departments
    ]


def survey_words(survey: Any) -> str:
    """A survey answer cited as evidence, in a few words."""
    if survey.answered_at is None:
        return ""
    return _("Partner survey answered %(day)s: %(average).1f of 5.") % {
        "day": survey.answered_at.date().isoformat(),
        "average": survey.average,
    }


def _aspect_evidence(row: AspectRow) -> Evidence:
    listing = reverse("partners-monitorings")
    if not row.cooperated:
        return Evidence(
            reference=row.code,
            label=row.name,
            url=listing,
            passed=False,
            counted=False,
            note=_("no cooperation activity held this year"),
        )
    if not row.assessed:
        return Evidence(
            reference=row.code,
            label=row.name,
            url=listing,
            passed=False,
            note=_("no monitoring form of the year assesses this department"),
        )
    failing = [a for a in row.assessed if not a.met]
    shown = failing[0] if failing else row.assessed[0]
    if failing:
        note = _("not met on %(forms)s") % {"forms": "; ".join(a.form for a in failing)}
    else:
        note = "; ".join(f"{a.form}: {a.evidence}" for a in row.assessed)
    return Evidence(
        reference=row.code,
        label=row.name,
        url=reverse("partners-monitoring", args=[shown.monitoring]),
        passed=not failing,
        note=note,
    )


def compute_aspect(rows: Sequence[AspectRow], **rest: Any) -> Measurement:
    """B.1.15.8.a-c: the share of the departments that cooperated in the year whose
    monitoring forms of the year assess the aspect as met, with evidence (every form
    that assesses the department: one that finds it not met fails it). A department
    with cooperation but no form fails; one without cooperation is not counted."""
    evidence = tuple(_aspect_evidence(row) for row in rows)
    counted = [e for e in evidence if e.counted]
    return Measurement(sum(1 for e in counted if e.passed), len(counted), evidence=evidence)


MEASURES: dict[str, Measure] = {
    "activities_per_year": Measure(select=unit_rows, compute=compute_fewest, kind="count"),
    "share_of_units_with_activity": Measure(select=unit_rows, compute=compute_coverage),
    "cooperation_aspect_met": Measure(select=aspect_rows, compute=compute_aspect),
}
