"""PR.KS's KPIs measured through the KPI engine on activities the module's services
recorded: B.1.15.12 (programmes with a cooperation), B.1.15.7 (every department), and
B.1.15.14.a-c from the same requests, each with the records behind it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pintu.conftest import Personas
from pintu.kpi import engine
from pintu.org.models import Unit
from pintu.partners.models import Partner
from pintu.partners.tests.conftest import NOW, held, partner_made
from pintu.sop.measurement import Period

pytestmark = pytest.mark.django_db

PROGRAMMES = 16  # the study programmes the org migration seeds


def result(code: str, year: int = 2026) -> Any:
    results = engine.unit_kpis(Unit.objects.get(code="KS"), Period.year(year), NOW)
    return next(r for r in results if r.code == code)


def evidence(code: str, year: int = 2026) -> dict[str, Any]:
    _, rows = engine.kpi_evidence(Unit.objects.get(code="KS"), Period.year(year), NOW, code)
    return {row.reference: row for row in rows}


@pytest.fixture
def partner(sops: None, ks_staff: Any) -> Partner:
    return partner_made(ks_staff)


def test_coverage_counts_the_programmes_with_an_activity_held_in_the_year(
    personas: Personas, ks_staff: Any, partner: Partner
) -> None:
    held(ks_staff, personas, partner, ["RKS", "TRPL"], date(2026, 5, 4))
    held(ks_staff, personas, partner, ["RKS"], date(2026, 9, 1))
    held(ks_staff, personas, partner, ["AK"], date(2025, 12, 30))  # last year
    held(ks_staff, personas, partner, ["TM"], date(2026, 10, 1), carried_out=False)  # a plan

    coverage = result("B.1.15.12")
    assert coverage.measurement is not None
    assert (coverage.measurement.numerator, coverage.measurement.denominator) == (2, PROGRAMMES)
    assert coverage.value == pytest.approx(12.5)
    assert coverage.threshold == 100.0 and coverage.met is False  # 80 + 6 * 5, capped
    assert "2026: 100%" in coverage.measurement.note
    rows = evidence("B.1.15.12")
    assert len(rows) == PROGRAMMES
    assert {code for code, row in rows.items() if row.passed} == {"RKS", "TRPL"}
    assert rows["RKS"].note.startswith("2 ")
    assert not rows["TM"].passed and not rows["AK"].passed
    assert rows["TRPL"].url.startswith("/kerjasama/kegiatan/")

    last_year = result("B.1.15.12", 2025)
    assert last_year.measurement is not None and last_year.measurement.numerator == 1


@pytest.mark.parametrize(("reading", "words"), [("points", "95%"), ("relative", "92.61%")])
def test_the_figure_says_which_reading_of_the_rising_target_it_uses(
    personas: Personas, ks_staff: Any, partner: Partner, settings: Any, reading: str, words: str
) -> None:
    settings.PINTU_PARTNERS_TARGET_READING = reading
    held(ks_staff, personas, partner, ["RKS"], date(2023, 3, 1))
    coverage = result("B.1.15.12", 2023)
    assert coverage.measurement is not None
    assert f"2023: {words}" in coverage.measurement.note
    before = result("B.1.15.12", 2019)
    assert before.measurement is not None and "2020" in before.measurement.note


def test_every_department_must_cooperate_every_year(
    personas: Personas, ks_staff: Any, partner: Partner
) -> None:
    # A programme's activity counts for its department (RKS is of JTI).
    held(ks_staff, personas, partner, ["RKS"], date(2026, 5, 4))
    held(ks_staff, personas, partner, ["JTE"], date(2026, 6, 1))
    held(ks_staff, personas, partner, ["AK"], date(2026, 7, 1))
    departments = result("B.1.15.7")
    assert departments.measurement is not None
    assert departments.value == 0 and departments.met is False
    assert "JTM" in departments.measurement.note
    rows = evidence("B.1.15.7")
    assert {code for code, row in rows.items() if row.passed} == {"JTI", "JTE", "JMB"}

    held(ks_staff, personas, partner, ["TM", "TPPU"], date(2026, 8, 1))
    departments = result("B.1.15.7")
    assert departments.value == 1 and departments.met is True


def test_the_requests_of_the_sop_answer_its_time_standards(
    personas: Personas, ks_staff: Any, partner: Partner
) -> None:
    ticket = held(ks_staff, personas, partner, ["RKS"], date(2026, 5, 4))
    response = result("B.1.15.14.b")
    assert response.measurement is not None and response.measurement.denominator == 1
    assert ticket.reference in evidence("B.1.15.14.b")
    for code in ("B.1.15.14.a", "B.1.15.14.c"):
        assert result(code).measurement is not None


@pytest.mark.parametrize(
    ("year", "reading", "covered", "met"),
    [
        (2023, "points", 15, False),  # 93.75% against 95%
        (2023, "relative", 15, True),  # 93.75% against 92.61%
        (2024, "relative", 15, False),  # against 97.24%
        (2026, "relative", 15, False),  # 80 * 1.05^6 is 107.2: capped at 100%
        (2026, "points", 16, True),  # 110, capped
        (2019, "points", 13, True),  # 81.25%: before 2020, the target of 2020
        (2019, "relative", 12, False),  # 75%
    ],
)
def test_the_engine_judges_coverage_in_the_reading_the_settings_choose(
    personas: Personas,
    ks_staff: Any,
    partner: Partner,
    settings: Any,
    year: int,
    reading: str,
    covered: int,
    met: bool,
) -> None:
    settings.PINTU_PARTNERS_TARGET_READING = reading
    programmes = Unit.objects.filter(kind=Unit.Kind.STUDY_PROGRAMME, is_active=True)
    codes = list(programmes.order_by("code").values_list("code", flat=True))
    assert len(codes) == PROGRAMMES
    held(ks_staff, personas, partner, codes[:covered], date(year, 3, 1))
    coverage = result("B.1.15.12", year)
    assert coverage.measurement is not None and coverage.measurement.numerator == covered
    assert coverage.met is met
    # The figure's note names the very threshold the engine judged it by.
    assert f"{year}: {coverage.threshold:g}%" in coverage.measurement.note
