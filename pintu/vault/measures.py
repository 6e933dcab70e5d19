"""The KPIs of SOP SDM.5.OT.02.02-5068 (Pintu's codes M.1.a and M.1.b): its Mutu Baku,
the 15 minutes each of the office's steps may take, measured on the steps of the
requests that ran through it. The figure and its evidence are the steps themselves, as
the desk timed them in working time when they were done."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from pintu.desk.models import Step
from pintu.org.models import Unit
from pintu.sla.calendars import zone_for_unit
from pintu.sop.definition import Definition
from pintu.sop.measurement import Evidence, Measure, Measurement, Period


@dataclass(frozen=True)
class MonthSteps:
    """The steps of one month's requests: timed and done, within their standard, and
    still in progress (not counted yet)."""

    month: int
    counted: int
    passed: int
    running: int


def _steps(unit: Unit, period: Period, definition: Definition, params: Mapping[str, Any]) -> Any:
    """The steps among ``params["activities"]`` of the unit's requests under the SOP
    received in the period, done or in progress (a step not taken is no step)."""
    zone = zone_for_unit(unit)
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    return Step.objects.filter(
        ticket__unit=unit,
        ticket__service_type__sop__code=definition.code,
        ticket__received_at__gte=start,
        ticket__received_at__lt=end,
        ticket__merged_into__isnull=True,
        activity__key__in=list(params["activities"]),
        state__in=[Step.State.DONE, Step.State.ACTIVE],
    )


COUNTED = Q(state=Step.State.DONE, within_standard__isnull=False)
PASSED = Q(state=Step.State.DONE, within_standard=True)
RUNNING = Q(state=Step.State.ACTIVE)


def steps_rows(
    *, unit: Unit, period: Period, definition: Definition, params: Mapping[str, Any], **rest: Any
) -> list[MonthSteps]:
    """A step counts once it is done (timed against its Mutu Baku by the desk, pauses
    for the requester taken out); it passes when it took no longer than its standard.
    Steps in progress are not counted yet."""
    rows = (
        _steps(unit, period, definition, params)
        .annotate(month=ExtractMonth("ticket__received_at", tzinfo=zone_for_unit(unit)))
        .values("month")
        .annotate(
            counted=Count("id", filter=COUNTED),
            passed=Count("id", filter=PASSED),
            running=Count("id", filter=RUNNING),
        )
        .order_by("month")
    )
    return [MonthSteps(r["month"], r["counted"], r["passed"], r["running"]) for r in rows]


def compute_steps(rows: Sequence[MonthSteps], **rest: Any) -> Measurement:
    counted = sum(row.counted for row in rows)
    passed = sum(row.passed for row in rows)
    running = sum(row.running for row in rows)
    by_month = {row.month: 100.0 * row.passed / row.counted for row in rows if row.counted}
    note = (
        _("%(count)s steps still in progress are not counted yet.") % {"count": running}
        if running
        else ""
    )
    return Measurement(passed, counted, by_month=by_month, note=note)


def steps_evidence(
    *, unit: Unit, period: Period, definition: Definition, params: Mapping[str, Any], **rest: Any
) -> Iterator[Evidence]:
    steps: QuerySet[Step] = (
        _steps(unit, period, definition, params)
        .select_related("ticket", "activity")
        .order_by("ticket__received_at", "ticket_id", "position")
    )
    for step in steps.iterator(chunk_size=2000):
        done = step.state == Step.State.DONE and step.within_standard is not None
        if done:
            note = _("%(minutes)s working minutes against %(standard)s") % {
                "minutes": step.elapsed_minutes,
                "standard": step.activity.time_standard,
            }
        else:
            note = _("in progress")
        yield Evidence(
            reference=step.ticket.reference,
            label=step.activity.description,
            url=reverse("desk-ticket", args=[step.ticket.reference]),
            passed=bool(step.within_standard),
            counted=done,
            note=note,
            when=step.finished_at or step.started_at,
        )


MEASURES: dict[str, Measure] = {
    "steps_within_standard": Measure(
        select=steps_rows, compute=compute_steps, evidence=steps_evidence
    ),
}
