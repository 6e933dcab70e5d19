"""Reads for the KPI pages: a unit's year of KPIs as rows for pages, the CLI and the API,
and the volumes that the dashboards chart (counted in SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractMonth

from pintu.desk.models import Step, Ticket
from pintu.kpi.engine import KpiResult
from pintu.kpi.measures import _bounds
from pintu.org.models import Unit
from pintu.sla.calendars import zone_for_unit
from pintu.sop.measurement import Period
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
    by_door: list[tuple[str, int]]
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
    months = dict(
        tickets.annotate(month=ExtractMonth("received_at", tzinfo=zone_for_unit(unit)))
        .values_list("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    by_service = list(
        tickets.values_list("service_type__name")
        .annotate(n=Count("id"))
        .order_by("-n", "service_type__name")
        .values_list("service_type__name", "n")
    )
    by_door = list(
        tickets.values_list("door").annotate(n=Count("id")).order_by("-n").values_list("door", "n")
    )
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
        by_month={int(m): n for m, n in months.items() if m is not None},
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
        requester_roles = set(definition.requester_roles)
        for activity in definition.activities:
            if activity.time_standard is None or activity.actor in requester_roles:
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
