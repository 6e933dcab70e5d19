"""This module's KPIs in the KPI engine: the availability and the answer time of the probed
services (B.1.8.17.a–b, PR.13.2, P4M) and the announcement of releases within a day
(B.4.6.4.g, PR.33.8, UPT-SI), first as pure computes on rows written out by hand, then
through pintu.kpi on probes and releases this module recorded, with their evidence."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas
from pintu.elearning import services
from pintu.elearning.availability import Month
from pintu.elearning.measures import (
    ReleaseRow,
    compute_announced,
    compute_answer_time,
    compute_availability,
)
from pintu.elearning.models import ProbedService
from pintu.elearning.probe import Look
from pintu.kpi.engine import kpi_evidence, unit_kpis
from pintu.org.models import Unit
from pintu.sop.measurement import Period

WIB = ZoneInfo("Asia/Jakarta")
YEAR = Period.year(2026)
AFTER_THE_YEAR = datetime(2027, 1, 5, 9, tzinfo=WIB)


# ---------------------------------------------------------------- pure computes


def test_availability_counts_the_service_months_that_reached_it() -> None:
    rows = [
        Month("E-learning", 2026, 3, up=8640, total=8640, answer_ms=400.0),
        Month("E-learning", 2026, 4, up=8500, total=8640, answer_ms=500.0),  # 98.4%
        Month("E-journal", 2026, 3, up=8600, total=8640, answer_ms=4200.0),  # 99.54%
        Month("E-book", 2026, 3, up=0, total=0),  # not probed: not counted
    ]
    result = compute_availability(rows, params={"availability": "99%"})
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.by_month == {3: 100.0, 4: 0.0}
    failed = [e for e in result.evidence if not e.passed]
    assert [e.reference for e in failed] == ["E-learning 2026-04"]
    assert "98.38%" in failed[0].label and failed[0].note == "di bawah 99%"
    # 8640 + 8500 + 8600 = 25740 of 3 × 8640 = 25920 probes: 99.3056%
    assert "99.31% dari 25920 pemeriksaan" in result.note


def test_answer_time_counts_the_months_that_answered_fast_enough() -> None:
    rows = [
        Month("E-learning", 2026, 3, up=8640, total=8640, answer_ms=400.0),
        Month("E-journal", 2026, 3, up=8600, total=8640, answer_ms=4200.0),
        Month("E-book", 2026, 3, up=0, total=10, answer_ms=None),  # never answered
    ]
    result = compute_answer_time(rows, params={"within": "3s"})
    assert (result.numerator, result.denominator) == (1, 2)
    assert [e.reference for e in result.evidence if not e.passed] == ["E-journal 2026-03"]
    assert result.note.startswith("1 ")


def release(pk: int, published: datetime, announced: datetime | None) -> ReleaseRow:
    return ReleaseRow(
        pk=pk,
        system="SIAKAD",
        feature=f"Fitur {pk}",
        published_at=published,
        due_at=published + timedelta(days=1),
        announced_at=announced,
        month=published.month,
    )


def test_releases_pass_when_announced_by_their_deadline() -> None:
    march = datetime(2026, 3, 10, 10, tzinfo=WIB)
    rows = [
        release(1, march, march + timedelta(hours=3)),  # on time
        release(2, march, march + timedelta(days=1)),  # exactly at the deadline
        release(3, march, march + timedelta(days=2)),  # late
        release(4, march.replace(month=5), None),  # never announced, deadline past
        release(5, datetime(2026, 12, 30, 10, tzinfo=WIB), None),  # deadline ahead
    ]
    now = datetime(2026, 12, 30, 12, tzinfo=WIB)
    result = compute_announced(rows, now=now)
    assert (result.numerator, result.denominator) == (2, 4)
    assert result.by_month == {3: pytest.approx(200 / 3), 5: 0.0}
    notes = {e.reference: (e.passed, e.counted, e.note) for e in result.evidence}
    assert notes["SIAKAD #3"] == (False, True, "disosialisasikan terlambat")
    assert notes["SIAKAD #4"] == (False, True, "tidak disosialisasikan")
    assert notes["SIAKAD #5"] == (False, False, "belum disosialisasikan, tenggatnya belum lewat")
    assert result.note.startswith("1 ")
    # After the deadline the fifth counts too, as a failure.
    later = compute_announced(rows, now=AFTER_THE_YEAR)
    assert (later.numerator, later.denominator) == (2, 5)


# ---------------------------------------------------------------- through the engine


def probe(service: ProbedService, at: datetime, status: int | None, ms: int = 300) -> None:
    services.probe_record(service=service, look=Look(status=status, latency_ms=ms), at=at)


@pytest.mark.django_db
def test_the_kpi_engine_measures_the_probes_and_releases_this_module_recorded(
    sops: None, personas: Personas
) -> None:
    elearning = ProbedService.objects.create(
        name="E-learning", kind="elearning", url="https://elearning.kampus.test/"
    )
    journal = ProbedService.objects.create(
        name="E-journal", kind="ejournal", url="https://ejournal.kampus.test/"
    )
    # March: e-learning answers every probe quickly; the e-journal is down in one of four
    # probes (75%) and slow when up. April: e-learning is up in all of them, slowly.
    start = datetime(2026, 3, 2, 8, tzinfo=WIB)
    for n in range(4):
        probe(elearning, start + timedelta(hours=n), 200, ms=250)
        probe(journal, start + timedelta(hours=n), 503 if n == 0 else 200, ms=4000)
        probe(elearning, start + timedelta(days=31, hours=n), 302, ms=3500)
    upt_si = Unit.objects.get(code="UPT-SI")
    on_time = services.release_record(
        actor=personas.staff,
        unit=upt_si,
        system="SIAKAD",
        feature="Presensi dengan kode QR",
        published_at=datetime(2026, 3, 3, 10, tzinfo=WIB),
        now=datetime(2026, 3, 3, 11, tzinfo=WIB),
    )
    services.release_announced(
        actor=personas.staff,
        release=on_time,
        where="E-mail kampus",
        at=datetime(2026, 3, 3, 15, tzinfo=WIB),
        now=datetime(2026, 3, 3, 15, tzinfo=WIB),
    )
    services.release_record(
        actor=personas.staff,
        unit=upt_si,
        system="SIMPEG",
        feature="Cuti daring",
        published_at=datetime(2026, 4, 7, 10, tzinfo=WIB),
        now=datetime(2026, 4, 7, 11, tzinfo=WIB),
    )  # never announced

    p4m = {r.code: r for r in unit_kpis(Unit.objects.get(code="P4M"), YEAR, AFTER_THE_YEAR)}
    availability, answers = p4m["B.1.8.17.a"], p4m["B.1.8.17.b"]
    assert availability.measurement is not None and answers.measurement is not None
    # Service-months: e-learning March (100%) and April (100%) pass 99%, e-journal March
    # (75%) does not; answers within 3 s: only e-learning March (0.25 s).
    assert (availability.measurement.numerator, availability.measurement.denominator) == (2, 3)
    assert (answers.measurement.numerator, answers.measurement.denominator) == (1, 3)
    assert availability.met is False  # 66.7% against the target of 90%
    _result, evidence = kpi_evidence(
        Unit.objects.get(code="P4M"), YEAR, AFTER_THE_YEAR, "B.1.8.17.a"
    )
    assert {(e.reference, e.passed) for e in evidence} == {
        ("E-learning 2026-03", True),
        ("E-learning 2026-04", True),
        ("E-journal 2026-03", False),
    }
    assert p4m["B.1.8.17.c"].measurement is not None  # the engine's service evaluations

    result, listed = kpi_evidence(upt_si, YEAR, AFTER_THE_YEAR, "B.4.6.4.g")
    assert result.value == 50.0 and result.met is False
    assert {(e.reference, e.passed, e.note) for e in listed} == {
        (f"SIAKAD #{on_time.pk}", True, ""),
        (f"SIMPEG #{on_time.pk + 1}", False, "tidak disosialisasikan"),
    }

    # The KPI page shows the figure with the records behind it.
    auditor = Client()
    auditor.force_login(personas.auditor)
    page = auditor.get(reverse("kpi-detail", args=["P4M", 2026, "B.1.8.17.a"]))
    assert page.status_code == 200
    assert "E-journal 2026-03" in page.content.decode()
