"""The reports' KPI measure: B.4.10.8, "membuat laporan evaluasi diri secara berkala
setiap tahun" (PR.27.4), the unit's reports of a kind handed in for the year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pintu.org.models import Unit
from pintu.reports.models import Report
from pintu.sop.measurement import Evidence, Measure, Measurement, Period

KINDS = {"LED": Report.Kind.LED, "ANALYSIS": Report.Kind.ANALYSIS}


@dataclass(frozen=True)
class ReportRow:
    unit_code: str
    year: int
    kind: str
    version: int | None  # the version handed in; None when none was
    delivered_at: datetime | None
    url: str


def report_rows(
    *, unit: Unit, period: Period, params: dict[str, Any], **rest: Any
) -> list[ReportRow]:
    """The unit's reports of kind ``report`` (LED by default) on the period's year."""
    kind = KINDS.get(str(params.get("report", "LED")).upper(), Report.Kind.LED)
    return [
        ReportRow(
            unit.code,
            r.year,
            r.kind,
            r.delivered_version.number if r.delivered_version else None,
            r.delivered_at,
            reverse("reports-unit", args=[unit.code, r.year]) + f"?kind={r.kind}",
        )
        for r in Report.objects.filter(unit=unit, year=period.start.year, kind=kind).select_related(
            "delivered_version"
        )
    ]


def compute_reports(rows: Sequence[ReportRow], **rest: Any) -> Measurement:
    """A count: the reports handed in. A report written but not handed in is listed and
    not counted."""
    evidence = tuple(
        Evidence(
            reference=f"{row.kind.upper()}-{row.unit_code}-{row.year}",
            label=f"v{row.version}" if row.version else "",
            url=row.url,
            passed=row.version is not None,
            note="" if row.version else _("not handed in yet"),
            when=row.delivered_at,
        )
        for row in rows
    )
    return Measurement(numerator=sum(e.passed for e in evidence), denominator=1, evidence=evidence)


MEASURES = {"reports_per_year": Measure(select=report_rows, compute=compute_reports, kind="count")}
