"""What a report says, gathered from the records as plain data before any format is
written: the unit's profile, its volumes, its KPIs by criterion, its steps against their
Mutu Baku, satisfaction and the evaluations of its services, the analysis and follow-up
plan its people wrote (and last year's plan with its outcome), and the evidence lists.

Both the LED (form FO.2.3.1) and PR.13.2's service analysis report are written from this;
the PDF, DOCX and XLSX writers only lay it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from django.conf import settings
from django.utils.translation import gettext as _

from pintu.core.audit import audit_digests
from pintu.kpi import selectors as kpi_selectors
from pintu.kpi.engine import KpiResult, kpi_evidence, unit_kpis
from pintu.kpi.measures import current_definitions
from pintu.kpi.models import ServiceEvaluation
from pintu.org.models import Membership, Role, Unit
from pintu.reports.models import AnalysisPoint, FollowUp, Report
from pintu.sop.measurement import Evidence, Period

Progress = Callable[[int, str], None]


def _quiet(percent: int, stage: str) -> None:
    return None


@dataclass(frozen=True)
class Figure:
    """A figure the page offers to support an analysis point."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Appendix:
    """Some of a KPI's records (failed ones first), of ``total`` read; ``more`` when
    there are more than were read (the XLSX annex has them all)."""

    result: KpiResult
    rows: list[Evidence]
    total: int
    more: bool = False


@dataclass
class ReportContent:
    report: Report
    generated_at: datetime
    sops: list[tuple[str, str, str]]  # code, title, version
    heads: list[str]
    volumes: kpi_selectors.Volumes
    groups: list[kpi_selectors.Group]
    steps: list[kpi_selectors.StepTiming]
    services: list[kpi_selectors.ServicePerformance]
    evaluations: list[tuple[ServiceEvaluation, str]]  # with the service's name
    points: list[AnalysisPoint]
    follow_ups: list[FollowUp]
    last_year: list[FollowUp]
    appendices: list[Appendix] = field(default_factory=list)
    # The audit log's daily digests of the year (day, number in the chain, hash): with
    # them an assessor can check later that the records behind the figures were not
    # rewritten (`pintu audit verify`).
    digests: list[tuple[date, int, str]] = field(default_factory=list)

    @property
    def unit(self) -> Unit:
        return self.report.unit

    @property
    def year(self) -> int:
        return self.report.year

    @property
    def results(self) -> list[KpiResult]:
        return [r for g in self.groups for r in g.results]

    @property
    def title(self) -> str:
        if self.report.kind == Report.Kind.LED:
            return _("Self-evaluation report (LED) %(year)s") % {"year": self.year}
        return _("Service analysis report %(year)s") % {"year": self.year}


def value_text(result: KpiResult) -> str:
    """A KPI's result as the report writes it: 87,1% (305/350), 3, on file, or why none."""
    measurement = result.measurement
    if measurement is None:
        return _("not measured")
    if result.value is None:
        return _("nothing counted yet")
    if result.kind == "share":
        share = f"{result.value:.1f}".replace(".", ",")
        return f"{share}% ({measurement.numerator:g}/{measurement.denominator:g})"
    if result.kind == "presence":
        return _("on file") if result.met else _("not on file")
    return f"{measurement.numerator:g}"


def met_text(result: KpiResult) -> str:
    if result.met is None:
        return "–"
    return _("met") if result.met else _("not met")


def figures(unit: Unit, year: int, now: datetime) -> list[Figure]:
    """The figures offered beside the analysis: each KPI's result, the volumes, the
    ratings and each timed step's share within standard."""
    period = Period.year(year)
    offered = [
        Figure(f"kpi:{r.code}", f"{r.code} {r.kpi.text[:90]}", f"{value_text(r)} · {met_text(r)}")
        for r in unit_kpis(unit, period, now)
    ]
    volumes = kpi_selectors.volumes(unit, period)
    offered.append(Figure("requests", _("Requests received"), str(volumes.total)))
    if volumes.average_rating is not None:
        offered.append(
            Figure(
                "rating",
                _("Average rating"),
                _("%(avg)s of 5 from %(rated)s of %(resolved)s resolved")
                % {
                    "avg": f"{volumes.average_rating:.2f}".replace(".", ","),
                    "rated": volumes.rated,
                    "resolved": volumes.resolved,
                },
            )
        )
    for step in kpi_selectors.step_timing(unit, period):
        if step.share is not None:
            offered.append(
                Figure(
                    f"step:{step.sop}:{step.activity}",
                    _("Step %(step)s within %(standard)s")
                    % {"step": step.description[:70], "standard": step.standard},
                    f"{step.share:.0f}% ({step.within}/{step.done})".replace(".", ","),
                )
            )
    return offered


def report_for(unit: Unit, year: int, kind: str) -> Report:
    """The unit's report of a kind for a year; unsaved until something is written into
    it (reading a report writes nothing)."""
    found = Report.objects.filter(unit=unit, year=year, kind=kind).first()
    return found if found is not None else Report(unit=unit, year=year, kind=kind)


def gather(report: Report, now: datetime, progress: Progress = _quiet) -> ReportContent:
    unit, period = report.unit, Period.year(report.year)
    progress(5, _("Reading the KPIs"))
    results = unit_kpis(unit, period, now)
    progress(25, _("Counting the requests"))
    volumes = kpi_selectors.volumes(unit, period)
    services = kpi_selectors.service_performance(unit, period, now)
    steps = kpi_selectors.step_timing(unit, period)
    evaluations = kpi_selectors.service_evaluations(unit, report.year)
    last = Report.objects.filter(unit=unit, year=report.year - 1, kind=report.kind).first()
    heads = [
        m.user.get_full_name() or m.user.get_username()
        for m in Membership.objects.filter(unit=unit, role=Role.HEAD).select_related("user")
    ]
    content = ReportContent(
        report=report,
        generated_at=now,
        sops=[(d.code, d.title, str(d.version)) for d in current_definitions(unit)],
        heads=heads,
        volumes=volumes,
        groups=kpi_selectors.criterion_groups(results),
        steps=steps,
        services=services,
        evaluations=evaluations,
        points=list(report.points.select_related("author")) if report.pk else [],
        follow_ups=list(report.follow_ups.all()) if report.pk else [],
        last_year=list(last.follow_ups.all()) if last else [],
    )
    content.digests = [(d.day, d.seq, d.hash) for d in audit_digests(report.year)]
    progress(40, _("Listing the evidence"))
    limit = settings.PINTU_REPORT_APPENDIX_ROWS
    measured = [r for r in results if r.measurement is not None]
    for index, result in enumerate(measured):
        content.appendices.append(appendix(unit, period, now, result, limit))
        progress(40 + 30 * (index + 1) // len(measured), _("Listing the evidence"))
    return content


# How many of a KPI's records are read to find the failed ones for the appendix.
APPENDIX_SCAN = 20_000


def appendix(unit: Unit, period: Period, now: datetime, result: KpiResult, limit: int) -> Appendix:
    """Up to ``limit`` records behind a KPI, those that failed first, looked for among
    the first ``APPENDIX_SCAN``."""
    _result, records = kpi_evidence(unit, period, now, result.code)
    failed: list[Evidence] = []
    others: list[Evidence] = []
    total = 0
    for record in islice(records, APPENDIX_SCAN):
        total += 1
        if record.counted and not record.passed:
            if len(failed) < limit:
                failed.append(record)
        elif len(others) < limit:
            others.append(record)
    more = next(records, None) is not None
    return Appendix(result, (failed + others)[:limit], total, more)
