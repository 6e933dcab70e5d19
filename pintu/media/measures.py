"""The KPI measure the content calendar's records answer: the yearly evaluation report of
Humas (B.4.10.8, SOP PR.27.4), the sub-coordinator's review of the year's activity report
and evaluation, with the figures as reviewed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pintu.media.models import ReportReview
from pintu.org.models import Unit
from pintu.sop.measurement import Evidence, Measure, Measurement, Period


@dataclass(frozen=True)
class ReportRow:
    year: int
    reviewed_by: str
    reviewed_at: datetime
    planned: int | None  # the figures as reviewed, where they were kept
    published: int | None


def report_rows(*, unit: Unit, period: Period, **rest: Any) -> list[ReportRow]:
    """The unit's reviewed yearly reports for the years the period covers."""
    reviews = (
        ReportReview.objects.filter(unit=unit, year__gte=period.start.year)
        .filter(year__lte=period.end.year)
        .select_related("reviewed_by")
        .order_by("year", "reviewed_at")
    )
    return [
        ReportRow(
            year=review.year,
            reviewed_by=str(review.reviewed_by),
            reviewed_at=review.reviewed_at,
            planned=review.figures.get("planned"),
            published=review.figures.get("published"),
        )
        for review in reviews
    ]


def compute_reports(
    rows: Sequence[ReportRow], *, params: Mapping[str, Any], **rest: Any
) -> Measurement:
    """B.4.10.8 "Unit Humas membuat laporan evaluasi diri secara berkala setiap tahun":
    the count of the years whose activity report and evaluation the sub-coordinator (or
    the head) reviewed; the report (``report``, e.g. LED) is the one this review feeds.
    Reviewed twice, a year counts once."""
    url = reverse("media-evaluation")
    evidence = tuple(
        Evidence(
            reference=_("%(report)s %(year)s") % {"report": params["report"], "year": row.year},
            label=(
                _("reviewed by %(person)s: %(published)s of %(planned)s planned items published")
                % {"person": row.reviewed_by, "published": row.published, "planned": row.planned}
                if row.planned is not None
                else _("reviewed by %(person)s") % {"person": row.reviewed_by}
            ),
            url=f"{url}?year={row.year}",
            passed=True,
            when=row.reviewed_at,
        )
        for row in rows
    )
    return Measurement(len({row.year for row in rows}), 1, evidence=evidence)


MEASURES: dict[str, Measure] = {
    "reports_per_year": Measure(select=report_rows, compute=compute_reports, kind="count"),
}
