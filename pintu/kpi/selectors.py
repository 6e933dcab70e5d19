"""Reads for the KPI pages: a unit's year of KPIs as rows for pages, the CLI and the API,
and the volumes that the dashboards chart (counted in SQL)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q
from django.utils.translation import gettext as _

from pintu.desk.models import Door, Step, Ticket
from pintu.kpi.engine import KpiResult
from pintu.kpi.measures import (
    _bounds,
    _first_response_rules,
    _requests,
    _resolution_rules,
    current_definitions,
    month_of,
)
from pintu.kpi.models import Finding, ServiceEvaluation
from pintu.org.models import Unit
from pintu.sop.measurement import Evidence, Period
from pintu.sop.models import Sop


def kpi_row(result: KpiResult) -> dict[str, Any]:
    """A KPI's result as plain data (``pintu kpi show --json`` and the API)."""
    measurement = result.measurement
    return {
        "sop": result.sop,
        "code": result.code,
        "text": result.kpi.text,
        "measure": result.kpi.measure.name,
        "target": result.kpi.target,
        "threshold": result.threshold,
        "value": None if result.value is None else round(result.value, 2),
        "numerator": measurement.numerator if measurement else None,
        "denominator": measurement.denominator if measurement else None,
        "met": result.met,
        "measured": measurement is not None,
        "note": measurement.note if measurement else "",
    }


@dataclass(frozen=True)
class Volumes:
    """A unit's requests of a period by month, by service type and by door, and the
    ratings they got."""

    by_month: dict[int, int]
    by_service: list[tuple[str, int]]
    by_door: list[tuple[str, int]]  # the door's name, requests
    total: int
    rated: int
    resolved: int
    average_rating: float | None
    ratings_by_service: list[tuple[str, int, int, float | None]]  # name, resolved, rated, avg


def volumes(unit: Unit, period: Period) -> Volumes:
    start, end = _bounds(unit, period)
    tickets = Ticket.objects.filter(
        unit=unit, received_at__gte=start, received_at__lt=end, merged_into__isnull=True
    )
    # One grouped count gives the months, the service types and the doors.
    months: Counter[int] = Counter()
    services: Counter[str] = Counter()
    doors: Counter[str] = Counter()
    for month, name, door, n in (
        tickets.annotate(month=month_of("received_at", unit, period))
        .values_list("month", "service_type__name", "door")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("month", "service_type__name", "door", "n")
    ):
        if month is not None:
            months[int(month)] += n
        services[name] += n
        doors[door] += n
    by_service = sorted(services.items(), key=lambda item: (-item[1], item[0]))
    by_door = [
        (str(Door(door).label), n)
        for door, n in sorted(doors.items(), key=lambda item: (-item[1], item[0]))
    ]
    resolved = Q(resolved_at__isnull=False)
    totals = tickets.aggregate(
        total=Count("id"),
        resolved=Count("id", filter=resolved),
        rated=Count("id", filter=Q(csat_score__isnull=False)),
        average=Avg("csat_score"),
    )
    ratings = [
        (name, done, rated, avg)
        for name, done, rated, avg in tickets.values_list("service_type__name")
        .annotate(
            done=Count("id", filter=resolved),
            rated=Count("id", filter=Q(csat_score__isnull=False)),
            avg=Avg("csat_score"),
        )
        .order_by("service_type__name")
        .values_list("service_type__name", "done", "rated", "avg")
    ]
    return Volumes(
        by_month=dict(months),
        by_service=by_service,
        by_door=by_door,
        total=totals["total"],
        rated=totals["rated"],
        resolved=totals["resolved"],
        average_rating=totals["average"],
        ratings_by_service=ratings,
    )


def units_with_kpis() -> list[Unit]:
    """The units that have an SOP in force with coded KPIs."""
    return list(Unit.objects.filter(sops__is_current=True).distinct().order_by("code"))


@dataclass(frozen=True)
class StepTiming:
    """A timed step of an SOP: how often it was done within its Mutu Baku."""

    sop: str
    activity: str
    description: str
    standard: str
    done: int
    within: int

    @property
    def share(self) -> float | None:
        return 100.0 * self.within / self.done if self.done else None


def step_timing(unit: Unit, period: Period) -> list[StepTiming]:
    """The unit's timed steps done in the period, per step of each SOP, with how many
    were within their time standard. Steps the requester performs (the SOP's "Pemohon"
    and "Pengguna" rows) are the requester's time, not charged to the unit."""
    start, end = _bounds(unit, period)
    rows = (
        Step.objects.filter(
            ticket__unit=unit,
            state=Step.State.DONE,
            finished_at__gte=start,
            finished_at__lt=end,
            within_standard__isnull=False,
        )
        .exclude(activity__time_standard="")
        .values_list("activity__sop__code", "activity__key")
        .annotate(done=Count("id"), within=Count("id", filter=Q(within_standard=True)))
    )
    counts = {(sop, key): (done, within) for sop, key, done, within in rows}
    timings = []
    for sop in Sop.objects.filter(unit=unit, is_current=True).order_by("code"):
        definition = sop.parsed()
        for activity in definition.activities:
            if activity.time_standard is None or definition.by_requester(activity.actor):
                continue
            done, within = counts.get((sop.code, activity.key), (0, 0))
            timings.append(
                StepTiming(
                    sop.code,
                    activity.key,
                    activity.description,
                    activity.time_standard,
                    done,
                    within,
                )
            )
    return timings


@dataclass(frozen=True)
class Group:
    """The KPIs of one criterion; ``lead`` the words their standards share, said once."""

    criterion: str
    lead: str
    results: list[KpiResult]

    @property
    def rows(self) -> list[tuple[KpiResult, str]]:
        """Each KPI with its own words: what follows the shared lead."""
        return [(r, r.kpi.text[len(self.lead) :].strip() or r.kpi.text) for r in self.results]


def shared_words(results: list[KpiResult]) -> str:
    """The opening several standards of a criterion share, up to the last word or colon
    they share ("… sesuai standar waktu layanan yang ditentukan yaitu:"); "" if little."""
    if len(results) < 2:
        return ""
    texts = [r.kpi.text for r in results]
    length = 0
    while all(len(t) > length and t[length] == texts[0][length] for t in texts):
        length += 1
    shared = texts[0][:length]
    cut = max(shared.rfind(":"), shared.rfind(" "))
    shared = shared[: cut + 1] if cut > 0 else ""
    return shared if len(shared) >= 40 else ""


def criterion_groups(results: list[KpiResult]) -> list[Group]:
    """The KPIs by criterion (B.4.6.4.a-g under B.4.6.4), criteria in order."""
    grouped: dict[str, list[KpiResult]] = {}
    for result in results:
        grouped.setdefault(result.code.rsplit(".", 1)[0], []).append(result)
    return [Group(c, shared_words(rows), rows) for c, rows in sorted(grouped.items())]


@dataclass(frozen=True)
class ServicePerformance:
    """One service type of a unit in a period: its requests, how many were answered and
    resolved on time (of those counted so far), and its ratings."""

    name: str
    requests: int
    responded_counted: int
    responded_on_time: int
    resolved_counted: int
    resolved_on_time: int
    rated: int
    average_rating: float | None

    @property
    def response_share(self) -> float | None:
        return _percent(self.responded_on_time, self.responded_counted)

    @property
    def resolution_share(self) -> float | None:
        return _percent(self.resolved_on_time, self.resolved_counted)


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def service_performance(unit: Unit, period: Period, now: datetime) -> list[ServicePerformance]:
    """Every service type the unit's requests of the period used, counted in SQL with the
    same rules as the KPIs of first response and resolution."""
    response_counted, response_passed = _first_response_rules(now)
    resolution_counted, resolution_passed = _resolution_rules(now)
    rows = (
        _requests(unit, period)
        .values("service_type__name")
        .annotate(
            requests=Count("id"),
            rc=Count("id", filter=response_counted),
            rp=Count("id", filter=response_passed),
            sc=Count("id", filter=resolution_counted),
            sp=Count("id", filter=resolution_passed),
            rated=Count("id", filter=Q(csat_score__isnull=False)),
            average=Avg("csat_score"),
        )
        .order_by("service_type__name")
    )
    return [
        ServicePerformance(
            r["service_type__name"],
            r["requests"],
            r["rc"],
            r["rp"],
            r["sc"],
            r["sp"],
            r["rated"],
            r["average"],
        )
        for r in rows
    ]


def evidence_header() -> list[str]:
    """The columns of a KPI's records in a spreadsheet (its export, the LED's annex)."""
    return [
        _("Reference"),
        _("What"),
        _("When"),
        _("Counted"),
        _("Passed"),
        _("Note"),
        _("Address"),
    ]


def evidence_rows(records: Iterable[Evidence], zone: tzinfo) -> Iterator[list[Any]]:
    """Each record as a spreadsheet row, its moment in ``zone`` (the unit's)."""
    for e in records:
        yield [
            e.reference,
            e.label,
            e.when.astimezone(zone).replace(tzinfo=None) if e.when else None,
            _("yes") if e.counted else _("not yet"),
            _("yes") if e.passed else _("no"),
            e.note,
            e.url,
        ]


def service_evaluations(unit: Unit, year: int) -> list[tuple[ServiceEvaluation, str]]:
    """The year's evaluations of the unit's service types with each service's name (its
    key where no SOP in force names it any more), findings and their owners read along."""
    names = {(d.code, s.key): s.name for d in current_definitions(unit) for s in d.services}
    listed = (
        ServiceEvaluation.objects.filter(unit=unit, year=year)
        .select_related("evaluated_by")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("owner").order_by("pk"))
        )
        .order_by("service_key", "pk")
    )
    return [(e, names.get((e.sop_code, e.service_key), e.service_key)) for e in listed]
