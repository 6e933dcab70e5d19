"""The measures the desk's own records answer, each under the name the SOPs' YAML uses.

Each is a ``Measure`` (``pintu.sop.measurement``): a selector that aggregates in SQL
(counts grouped by month; the time standards share one scan, ``_tally``), a pure compute
over those rows, and the evidence: every record that counts, passed or failed, and those
not counted yet. The population of each
measure follows the SOP's text, stated in its docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.desk.models import Step, Ticket
from pintu.kpi.models import EvidenceDocument, ServiceEvaluation
from pintu.org.models import Unit
from pintu.sla.calendars import zone_for_unit
from pintu.sop.definition import Definition, Kpi
from pintu.sop.measurement import Evidence, Measure, Measurement, Period
from pintu.sop.models import Sop


@dataclass(frozen=True)
class MonthCount:
    """Requests of one month: counted so far, passed, and not counted yet."""

    month: int
    counted: int
    passed: int
    waiting: int


def _bounds(unit: Unit, period: Period) -> tuple[datetime, datetime]:
    zone = zone_for_unit(unit)
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def month_of(field: str, unit: Unit, period: Period) -> Case:
    """The month (1-12) in which ``field`` falls on the unit's clock, for moments within
    ``period``: compared with the first instant of each of the period's months. It gives
    what ``ExtractMonth(field, tzinfo=zone)`` gives, as plain comparisons that an index
    and both engines read natively (SQLite converts a zone in Python, row by row: half of
    a unit-year's KPIs went to it)."""
    zone = zone_for_unit(unit)
    whens = []
    month = period.start.replace(day=1)
    while month <= period.end:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        start = datetime.combine(following, time.min, tzinfo=zone)
        whens.append(When(**{f"{field}__lt": start}, then=Value(month.month)))
        month = following
    return Case(*whens, default=None, output_field=IntegerField())


def _requests(unit: Unit, period: Period) -> QuerySet[Ticket]:
    """The unit's requests received in the period; a request merged into another is the
    other's duplicate and counts there."""
    start, end = _bounds(unit, period)
    return Ticket.objects.filter(
        unit=unit, received_at__gte=start, received_at__lt=end, merged_into__isnull=True
    )


def _category(definition: Definition, kpi: Kpi) -> list[str]:
    """The service types a time standard covers: those that name the KPI, else all."""
    named = [s.key for s in definition.services if s.kpi == kpi.code]
    return named or [s.key for s in definition.services]


@dataclass(frozen=True)
class TallyRow:
    """The unit-year's requests of one month and service type, counted by both clocks'
    rules: what every first-response and resolution KPI of the unit adds up."""

    month: int
    sop: str
    service: str
    counts: dict[str, int]


def _tally(
    unit: Unit, period: Period, now: datetime, shared: dict[Any, Any] | None
) -> list[TallyRow]:
    """One scan of the unit's requests of the period, grouped by month and service type,
    for all its time standards at once (seven KPIs read the same rows). ``shared`` (the
    engine's, for one unit and period) keeps it for the next KPI that asks."""
    key = ("ticket-tally", unit.pk, period, now)
    if shared is not None and key in shared:
        cached: list[TallyRow] = shared[key]
        return cached
    counts: dict[str, Any] = {}
    for clock, (counted, passed) in {
        "first_response": _first_response_rules(now),
        "resolution": _resolution_rules(now),
    }.items():
        counts[f"{clock}_counted"] = Count("id", filter=counted)
        counts[f"{clock}_passed"] = Count("id", filter=passed)
        counts[f"{clock}_waiting"] = Count("id", filter=~counted)
    rows = (
        _requests(unit, period)
        .annotate(month=month_of("received_at", unit, period))
        .values("month", "service_type__sop__code", "service_type__key")
        .annotate(**counts)
        .order_by("month", "service_type__sop__code", "service_type__key")
    )
    tally = []
    for row in rows:
        values: dict[str, Any] = dict(row)
        tally.append(
            TallyRow(
                values["month"],
                values["service_type__sop__code"],
                values["service_type__key"],
                {name: values[name] for name in counts},
            )
        )
    if shared is not None:
        shared[key] = tally
    return tally


def _summed(
    tally: Sequence[TallyRow], clock: str, included: Callable[[TallyRow], bool]
) -> list[MonthCount]:
    """The months of the tally's rows that ``included`` keeps, with ``clock``'s counts
    added up; a month without such a request has no row (as a grouped count gives)."""
    months: dict[int, list[int]] = {}
    for row in tally:
        if included(row):
            total = months.setdefault(row.month, [0, 0, 0])
            total[0] += row.counts[f"{clock}_counted"]
            total[1] += row.counts[f"{clock}_passed"]
            total[2] += row.counts[f"{clock}_waiting"]
    return [MonthCount(month, *months[month]) for month in sorted(months)]


def _share(rows: Sequence[MonthCount], waiting_words: str) -> Measurement:
    counted = sum(row.counted for row in rows)
    passed = sum(row.passed for row in rows)
    waiting = sum(row.waiting for row in rows)
    by_month = {row.month: 100.0 * row.passed / row.counted for row in rows if row.counted}
    note = waiting_words % {"count": waiting} if waiting else ""
    return Measurement(passed, counted, by_month=by_month, note=note)


def compute_share(rows: Sequence[MonthCount], **rest: Any) -> Measurement:
    """The share of counted requests that passed, by month; those not counted yet are
    said in the note."""
    return _share(
        rows, _("%(count)s requests still running before their deadline are not counted yet.")
    )


def _ticket_evidence(
    tickets: QuerySet[Ticket], counted: Q, passed: Q, done_field: str, due_field: str
) -> Iterator[Evidence]:
    rows = tickets.annotate(
        is_counted=ExpressionWrapper(counted, output_field=BooleanField()),
        has_passed=ExpressionWrapper(passed, output_field=BooleanField()),
    ).order_by("received_at", "id")
    for ticket in rows.values(
        "reference", "subject", "received_at", "is_counted", "has_passed", done_field, due_field
    ).iterator(chunk_size=2000):
        yield Evidence(
            reference=ticket["reference"],
            label=ticket["subject"],
            url=reverse("desk-ticket", args=[ticket["reference"]]),
            passed=bool(ticket["has_passed"]),
            counted=bool(ticket["is_counted"]),
            note="" if ticket["is_counted"] else _("still running, its deadline ahead"),
            when=ticket["received_at"],
        )


# ---------------------------------------------------------------- first response


def _first_response_rules(now: datetime) -> tuple[Q, Q]:
    answered = Q(first_response_at__isnull=False)
    counted = answered | Q(first_response_due_at__lte=now)
    passed = answered & Q(first_response_at__lte=F("first_response_due_at"))
    return counted, passed


def first_response_rows(
    *, unit: Unit, period: Period, now: datetime, shared: dict[Any, Any] | None = None, **rest: Any
) -> list[MonthCount]:
    """B.4.6.4.a, B.1.14.11.a, B.1.15.14.b: "merespon permintaan layanan maksimal 15
    menit … melalui media yang dinyatakan sebagai pintu layanan". The population is
    **every request to the unit**, whatever its type and door. A request counts once it
    was answered or its deadline (its first-response due time, on the unit's working
    clock, pauses honoured) has passed; it passes when the first public staff reply came
    by that deadline. Requests still waiting for an answer before their deadline are
    not counted yet."""
    return _summed(_tally(unit, period, now, shared), "first_response", lambda row: True)


def first_response_evidence(
    *, unit: Unit, period: Period, now: datetime, **rest: Any
) -> Iterator[Evidence]:
    counted, passed = _first_response_rules(now)
    return _ticket_evidence(
        _requests(unit, period), counted, passed, "first_response_at", "first_response_due_at"
    )


# ---------------------------------------------------------------- resolution


def _resolution_rules(now: datetime) -> tuple[Q, Q]:
    resolved = Q(resolved_at__isnull=False)
    counted = resolved | Q(resolution_due_at__lte=now)
    passed = resolved & Q(resolved_at__lte=F("resolution_due_at"))
    return counted, passed


def _category_requests(unit: Unit, period: Period, definition: Definition, kpi: Kpi) -> Any:
    return _requests(unit, period).filter(
        service_type__sop__code=definition.code, service_type__key__in=_category(definition, kpi)
    )


def resolved_rows(
    *,
    unit: Unit,
    period: Period,
    now: datetime,
    definition: Definition,
    kpi: Kpi,
    shared: dict[Any, Any] | None = None,
    **rest: Any,
) -> list[MonthCount]:
    """B.4.6.4.b–f, B.1.15.14.a, B.1.15.14.c: each standard covers **the requests of its
    category**, the service types that name the KPI (all the SOP's services when none
    does). A request counts once it was resolved or its resolution deadline (its
    service's target on the unit's working clock, pauses honoured) has passed; it
    passes when it was resolved by that deadline."""
    keys = set(_category(definition, kpi))
    return _summed(
        _tally(unit, period, now, shared),
        "resolution",
        lambda row: row.sop == definition.code and row.service in keys,
    )


def resolved_evidence(
    *, unit: Unit, period: Period, now: datetime, definition: Definition, kpi: Kpi, **rest: Any
) -> Iterator[Evidence]:
    counted, passed = _resolution_rules(now)
    tickets = _category_requests(unit, period, definition, kpi)
    return _ticket_evidence(tickets, counted, passed, "resolved_at", "resolution_due_at")


# ---------------------------------------------------------------- uploaded evidence


@dataclass(frozen=True)
class DocumentRow:
    reference: str
    item: str
    title: str
    url: str
    judgement: str
    valid_from: date
    valid_until: date
    uploaded_at: datetime


def _documents(*, unit: Unit, kpi: Kpi, **rest: Any) -> list[DocumentRow]:
    """The KPI's uploaded documents, newest first (few: one or a dozen a year)."""
    documents = EvidenceDocument.objects.filter(unit=unit, kpi_code=kpi.code).order_by(
        "-uploaded_at", "-id"
    )
    return [
        DocumentRow(
            reference=d.filename,
            item=d.item,
            title=d.title,
            url=reverse("kpi-evidence-file", args=[d.pk]),
            judgement=d.judgement,
            valid_from=d.valid_from,
            valid_until=d.valid_until,
            uploaded_at=d.uploaded_at,
        )
        for d in documents
    ]


def _day_judged(period: Period, now: datetime) -> date:
    """The day a document must be valid on: the period's end, or today for a period
    still running (an expired judgement no longer holds); today in the institution's
    zone, not UTC's."""
    return min(period.end, timezone.localdate(now))


def _holds(row: DocumentRow, day: date) -> bool:
    return row.judgement == EvidenceDocument.Judgement.ACCEPTED and (
        row.valid_from <= day <= row.valid_until
    )


def _document_evidence(row: DocumentRow, day: date) -> Evidence:
    holds = _holds(row, day)
    if row.judgement == EvidenceDocument.Judgement.PENDING:
        note = _("waiting for review")
    elif row.judgement == EvidenceDocument.Judgement.REJECTED:
        note = _("rejected by the reviewer")
    elif not holds:
        note = _("valid from %(start)s to %(end)s") % {
            "start": row.valid_from.isoformat(),
            "end": row.valid_until.isoformat(),
        }
    else:
        note = ""
    return Evidence(
        reference=row.reference,
        label=f"{row.item}: {row.title}" if row.item else row.title,
        url=row.url,
        passed=holds,
        note=note,
        when=row.uploaded_at,
    )


def compute_presence(
    rows: Sequence[DocumentRow], *, period: Period, now: datetime, **rest: Any
) -> Measurement:
    """B.1.8.16.a–d, B.1.8.17.a–b, B.4.6.1, B.4.6.2, B.4.10.1, B.4.10.2: met when an
    uploaded document is accepted by its reviewer and its validity covers the day judged
    (the year's end, or today during the year)."""
    day = _day_judged(period, now)
    evidence = tuple(_document_evidence(row, day) for row in rows)
    met = any(e.passed for e in evidence)
    return Measurement(1 if met else 0, 1, evidence=evidence)


def compute_checklist(
    rows: Sequence[DocumentRow],
    *,
    period: Period,
    now: datetime,
    params: Mapping[str, Any],
    **rest: Any,
) -> Measurement:
    """B.1.8.18: every system the KPI names must be shown by a document of its own; the
    share of the named items with a valid accepted document."""
    day = _day_judged(period, now)
    items: list[str] = list(params["items"])
    shown = {row.item for row in rows if _holds(row, day)}
    evidence = tuple(
        Evidence(
            reference=item,
            label=item,
            url="",
            passed=item in shown,
            note="" if item in shown else _("no valid document yet"),
        )
        for item in items
    ) + tuple(_document_evidence(row, day) for row in rows if row.item not in items)
    return Measurement(sum(item in shown for item in items), len(items), evidence=evidence)


# ---------------------------------------------------------------- evaluations


@dataclass(frozen=True)
class ServiceRow:
    key: str
    name: str
    evaluated: bool
    findings: int
    findings_done: int
    url: str


def evaluation_rows(
    *, unit: Unit, period: Period, definition: Definition, **rest: Any
) -> list[ServiceRow]:
    evaluations = {
        e.service_key: e
        for e in ServiceEvaluation.objects.filter(
            unit=unit, sop_code=definition.code, year=period.start.year
        ).annotate(
            total=Count("findings"),
            done=Count("findings", filter=Q(findings__done_at__isnull=False)),
        )
    }
    rows = []
    for service in definition.services:
        found = evaluations.get(service.key)
        rows.append(
            ServiceRow(
                key=service.key,
                name=service.name,
                evaluated=found is not None,
                findings=getattr(found, "total", 0),
                findings_done=getattr(found, "done", 0),
                url=reverse("kpi-evaluations", args=[unit.code, period.start.year]),
            )
        )
    return rows


def compute_evaluated(rows: Sequence[ServiceRow], **rest: Any) -> Measurement:
    """B.1.8.16.e, B.1.8.17.c: "seluruh jenis layanan dievaluasi secara berkala yang
    hasilnya ditindak lanjuti": the share of the SOP's service types evaluated in the
    year **and** whose every finding has its follow-up done."""
    evidence = []
    for row in rows:
        passed = row.evaluated and row.findings_done == row.findings
        if not row.evaluated:
            note = _("not evaluated this year")
        elif not passed:
            note = _("%(open)s of %(all)s follow-ups not done") % {
                "open": row.findings - row.findings_done,
                "all": row.findings,
            }
        else:
            note = ""
        evidence.append(Evidence(row.key, row.name, row.url, passed, note=note))
    return Measurement(sum(e.passed for e in evidence), len(evidence), evidence=tuple(evidence))


# The measures whose evidence is an uploaded document rather than a record.
# ---------------------------------------------------------------- steps (Mutu Baku)
# The KPIs of SOP SDM.5.OT.02.02-5068 (Pintu's codes M.1.a and M.1.b): the 15 minutes each
# of the office's steps may take, measured on the steps of the requests that ran through
# it, as the desk timed them in working time when they were done.


def _sop_steps(
    unit: Unit, period: Period, definition: Definition, params: Mapping[str, Any]
) -> Any:
    """The steps among ``params["activities"]`` of the unit's requests under the SOP
    received in the period, done or in progress (a step not taken is no step)."""
    start, end = _bounds(unit, period)
    return Step.objects.filter(
        ticket__unit=unit,
        ticket__service_type__sop__code=definition.code,
        ticket__received_at__gte=start,
        ticket__received_at__lt=end,
        ticket__merged_into__isnull=True,
        activity__key__in=list(params["activities"]),
        state__in=[Step.State.DONE, Step.State.ACTIVE],
    )


STEP_COUNTED = Q(state=Step.State.DONE, within_standard__isnull=False)
STEP_PASSED = Q(state=Step.State.DONE, within_standard=True)


def steps_rows(
    *, unit: Unit, period: Period, definition: Definition, params: Mapping[str, Any], **rest: Any
) -> list[MonthCount]:
    """A step counts once it is done (timed against its Mutu Baku by the desk, pauses
    for the requester taken out); it passes when it took no longer than its standard.
    Steps in progress are not counted yet."""
    rows = (
        _sop_steps(unit, period, definition, params)
        .annotate(month=month_of("ticket__received_at", unit, period))
        .values("month")
        .annotate(
            counted=Count("id", filter=STEP_COUNTED),
            passed=Count("id", filter=STEP_PASSED),
            waiting=Count("id", filter=Q(state=Step.State.ACTIVE)),
        )
        .order_by("month")
    )
    return [MonthCount(r["month"], r["counted"], r["passed"], r["waiting"]) for r in rows]


def compute_steps(rows: Sequence[MonthCount], **rest: Any) -> Measurement:
    return _share(rows, _("%(count)s steps still in progress are not counted yet."))


def steps_evidence(
    *, unit: Unit, period: Period, definition: Definition, params: Mapping[str, Any], **rest: Any
) -> Iterator[Evidence]:
    steps: QuerySet[Step] = (
        _sop_steps(unit, period, definition, params)
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


DOCUMENT_MEASURES = ("evidence_present", "checklist_present")

MEASURES: dict[str, Measure] = {
    "first_response_within": Measure(
        select=first_response_rows, compute=compute_share, evidence=first_response_evidence
    ),
    "resolved_within": Measure(
        select=resolved_rows, compute=compute_share, evidence=resolved_evidence
    ),
    "evidence_present": Measure(select=_documents, compute=compute_presence, kind="presence"),
    "checklist_present": Measure(select=_documents, compute=compute_checklist),
    "services_evaluated": Measure(select=evaluation_rows, compute=compute_evaluated),
    "steps_within_standard": Measure(
        select=steps_rows, compute=compute_steps, evidence=steps_evidence
    ),
}


def current_definitions(unit: Unit) -> Iterable[Definition]:
    """The definitions of the SOPs in force in ``unit``."""
    for sop in Sop.objects.filter(unit=unit, is_current=True).order_by("code"):
        yield sop.parsed()
