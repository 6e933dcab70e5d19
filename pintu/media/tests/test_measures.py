"""B.4.10.8 in the KPI engine: Humas's yearly evaluation report is the sub-coordinator's
review of the year's activity report, counted once a year, with the figures reviewed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas, make_user
from pintu.kpi.engine import kpi_evidence
from pintu.media import selectors, services
from pintu.media.measures import ReportRow, compute_reports
from pintu.org.models import Role, Unit
from pintu.sop.measurement import Period

WIB = ZoneInfo("Asia/Jakarta")


def row(year: int, planned: int | None = 10) -> ReportRow:
    return ReportRow(year, "Subkoor", datetime(year, 12, 20, tzinfo=WIB), planned, 8)


@pytest.mark.parametrize(
    ("rows", "count"),
    [([], 0), ([row(2026)], 1), ([row(2026), row(2026, planned=None)], 1)],
)
def test_a_year_counts_once_however_often_it_was_reviewed(
    rows: list[ReportRow], count: int
) -> None:
    result = compute_reports(rows, params={"report": "LED"})
    assert (result.numerator, result.denominator) == (count, 1)
    assert len(result.evidence) == len(rows)


@pytest.mark.django_db
def test_the_kpi_engine_counts_the_reviewed_report_with_its_figures(
    sops: None, personas: Personas
) -> None:
    phk = Unit.objects.get(code="PHK")
    subkoor = make_user("subkoor-humas", Role.SUPERVISOR, "PHK")
    humas = make_user("staf-humas", Role.STAFF, "PHK")
    year, after = Period.year(2026), datetime(2027, 1, 5, 9, tzinfo=WIB)
    result, _ = kpi_evidence(phk, year, after, "B.4.10.8")
    assert result.value == 0 and result.met is False

    item: Any = services.item_create(
        actor=humas,
        unit=phk,
        title="Liputan wisuda",
        channel="website",
        planned_at=datetime(2026, 9, 1, 9, tzinfo=WIB),
        status="planned",
        now=datetime(2026, 8, 1, 9, tzinfo=WIB),
    )
    assert item.status == "planned"
    services.report_review_record(
        actor=subkoor,
        unit=phk,
        year=2026,
        report="Laporan kegiatan Humas 2026",
        notes="",
        figures=selectors.year_figures(phk, 2026),
        now=datetime(2026, 12, 20, 10, tzinfo=WIB),
    )
    result, evidence = kpi_evidence(phk, year, after, "B.4.10.8")
    assert result.value == 1 and result.met is True
    (only,) = list(evidence)
    assert only.reference == "LED 2026"
    assert "0 dari 1 konten terencana dipublikasikan" in only.label
    assert kpi_evidence(phk, Period.year(2025), after, "B.4.10.8")[0].value == 0

    auditor = Client()
    auditor.force_login(personas.auditor)
    page = auditor.get(reverse("kpi-detail", args=["PHK", 2026, "B.4.10.8"]))
    assert page.status_code == 200 and "LED 2026" in page.content.decode()
