"""A unit's KPIs in JSON (/api/v1/kpi): the same rows as ``pintu kpi show --json`` and the
records behind one KPI, a page at a time. Who may read them is the pages' rule; a unit
the caller may not read answers 404."""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from pintu.kpi import access
from pintu.kpi.engine import kpi_evidence, unit_kpis
from pintu.kpi.selectors import kpi_row
from pintu.org.models import Unit
from pintu.sop.measurement import YEARS, Period

router = Router()

MAX_LIMIT = 1000


class KpiOut(Schema):
    sop: str
    code: str = Field(description="The accreditation criterion's code, e.g. B.4.6.4.a.")
    text: str = Field(description="The standard in the SOP's own words.")
    measure: str
    target: str
    threshold: float = Field(description="The least value that meets the target this year.")
    value: float | None = Field(description="A percentage, a count, or 1/0 for presence.")
    numerator: float | None
    denominator: float | None
    met: bool | None = Field(description="None: not measured, or nothing to count yet.")
    measured: bool
    note: str


class EvidenceOut(Schema):
    reference: str
    label: str
    url: str
    passed: bool
    counted: bool = Field(description="False: still running, its deadline ahead.")
    note: str
    when: datetime | None


class EvidencePage(Schema):
    kpi: KpiOut
    count: int = Field(description="How many records this page holds.")
    offset: int
    has_more: bool
    evidence: list[EvidenceOut]


class PageQuery(Schema):
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=MAX_LIMIT)


def _unit(request: HttpRequest, code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not access.can_read(request.user, unit):
        raise Http404
    return unit


def _period(year: int) -> Period:
    if year not in YEARS:
        raise Http404
    return Period.year(year)


@router.get("/{unit}/{year}", response=list[KpiOut], summary="A unit's KPIs for a year")
def kpi_list(request: HttpRequest, unit: str, year: int) -> list[dict[str, Any]]:
    found = _unit(request, unit)
    return [kpi_row(r) for r in unit_kpis(found, _period(year), timezone.now())]


@router.get(
    "/{unit}/{year}/{code}/evidence",
    response=EvidencePage,
    summary="The records behind one KPI, pass or fail",
)
def kpi_evidence_page(
    request: HttpRequest, unit: str, year: int, code: str, page: Query[PageQuery]
) -> dict[str, Any]:
    found = _unit(request, unit)
    try:
        result, evidence = kpi_evidence(found, _period(year), timezone.now(), code)
    except LookupError:
        raise Http404 from None
    records = list(islice(evidence, page.offset, page.offset + page.limit + 1))
    shown = records[: page.limit]
    return {
        "kpi": kpi_row(result),
        "count": len(shown),
        "offset": page.offset,
        "has_more": len(records) > page.limit,
        "evidence": shown,
    }
