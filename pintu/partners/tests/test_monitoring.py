"""The monitoring form BO.28.1.2 and B.1.15.8.a-c: a form per agreement and year,
filled in through its service and its page, every aspect per department met only with
evidence, printed as PDF; the KPI engine reads the three aspects from the forms."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas, require_peer
from pintu.core.models import AuditEvent
from pintu.kpi import engine
from pintu.org.models import Unit
from pintu.partners import services
from pintu.partners.models import Activity, Agreement, Aspect, Assessment, Monitoring, Partner
from pintu.partners.services.monitoring import Judgement, monitoring_fill, monitoring_open
from pintu.partners.services.surveys import survey_answer, survey_send
from pintu.partners.tests.conftest import NOW, agreement_signed, held, partner_made
from pintu.sop.measurement import Period

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def partner(sops: None, ks_staff: Any) -> Partner:
    partner = partner_made(ks_staff)
    services.contact_add(
        actor=ks_staff, partner=partner, name="Ir. Surya Darma", email="surya@sinar.example"
    )
    return partner


@pytest.fixture
def agreement(ks_staff: Any, partner: Partner) -> Agreement:
    return agreement_signed(ks_staff, partner, units=("TRPL",))


def answered_survey(ks_staff: Any, partner: Partner, year: int = 2026) -> Any:
    survey, _token = survey_send(
        actor=ks_staff, partner=partner, contact=None, agreement=None, year=year, now=NOW
    )
    scores = {"communication": 5, "benefit": 4, "quality": 4, "continuity": 5}
    return survey_answer(survey=survey, scores=scores, comment="Lanjutkan", now=NOW)


def judged(unit: str, **met: bool) -> list[Judgement]:
    department = Unit.objects.get(code=unit)
    return [
        Judgement(
            department,
            aspect,
            met.get(aspect.value, False),
            f"Bukti {aspect.value}" if met.get(aspect.value) else "",
        )
        for aspect in Aspect
    ]


def test_only_a_signed_agreement_is_monitored_once_a_year(
    ks_staff: Any, partner: Partner, agreement: Agreement
) -> None:
    draft = services.agreement_create(
        actor=ks_staff, partners=[partner], kind="mou", title="Masih draf"
    )
    with pytest.raises(ValidationError) as refused:
        monitoring_open(actor=ks_staff, agreement=draft, year=2026, now=NOW)
    assert "agreement" in refused.value.message_dict
    first, made = monitoring_open(actor=ks_staff, agreement=agreement, year=2026, now=NOW)
    again, made_again = monitoring_open(actor=ks_staff, agreement=agreement, year=2026, now=NOW)
    assert (made, made_again, again.pk) == (True, False, first.pk)
    assert AuditEvent.objects.filter(action="monitoring.open").count() == 1


def test_an_aspect_met_without_evidence_is_refused_by_name_and_nothing_is_kept(
    personas: Personas, ks_staff: Any, partner: Partner, agreement: Agreement
) -> None:
    held(ks_staff, personas, partner, ["RKS"], date(2026, 5, 4), agreement=agreement)
    monitoring, _ = monitoring_open(actor=ks_staff, agreement=agreement, year=2026, now=NOW)
    bare = [Judgement(Unit.objects.get(code="JTI"), Aspect.BENEFIT, True, "  ")]
    bare += judged("JTI")[1:]
    with pytest.raises(ValidationError) as refused:
        monitoring_fill(
            actor=ks_staff,
            monitoring=monitoring,
            activities=[],
            outputs="Laporan",
            benefits="Kurikulum diperbarui",
            judgements=bare,
            now=NOW,
        )
    assert "JTI, Manfaat bagi pembelajaran, penelitian dan PkM" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as missing:
        monitoring_fill(
            actor=ks_staff,
            monitoring=monitoring,
            activities=[],
            outputs="",
            benefits="",
            judgements=judged("JTI")[:1],
            now=NOW,
        )
    assert "Belum dinilai" in " ".join(missing.value.messages)
    monitoring.refresh_from_db()
    assert not Assessment.objects.exists() and monitoring.updated_at is None
    assert not AuditEvent.objects.filter(action="monitoring.fill").exists()


def test_the_forms_activities_are_the_ones_held_under_the_agreement_that_year(
    personas: Personas, ks_staff: Any, partner: Partner, agreement: Agreement
) -> None:
    held(ks_staff, personas, partner, ["RKS"], date(2026, 5, 4), agreement=agreement)
    held(ks_staff, personas, partner, ["TRPL"], date(2025, 6, 1), agreement=agreement)
    this_year = Activity.objects.get(held_on=date(2026, 5, 4))
    last_year = Activity.objects.get(held_on=date(2025, 6, 1))
    monitoring, _ = monitoring_open(actor=ks_staff, agreement=agreement, year=2026, now=NOW)
    with pytest.raises(ValidationError) as refused:
        monitoring_fill(
            actor=ks_staff,
            monitoring=monitoring,
            activities=[this_year, last_year],
            outputs="",
            benefits="",
            judgements=judged("JTI"),
            now=NOW,
        )
    assert refused.value.message_dict["activities"] == [
        f"Tidak dilaksanakan di bawah perjanjian ini pada 2026: {last_year.title}."
    ]
    monitoring_fill(
        actor=ks_staff,
        monitoring=monitoring,
        activities=[this_year],
        outputs="Laporan kunjungan",
        benefits="Materi praktikum baru",
        judgements=judged("JTI", benefit=True),
        now=NOW,
    )
    assert list(monitoring.activities.all()) == [this_year]
    audit = AuditEvent.objects.get(action="monitoring.fill")
    assert audit.after["assessments"]["JTI benefit"] is True


def test_b_1_15_8_reads_each_aspect_per_department_from_the_years_forms(
    personas: Personas, ks_staff: Any, partner: Partner, agreement: Agreement
) -> None:
    # JTI cooperated under the agreement, JTE with another partner and no form.
    held(ks_staff, personas, partner, ["RKS"], date(2026, 5, 4), agreement=agreement)
    other = partner_made(ks_staff, "PT Listrik Kepri")
    held(ks_staff, personas, other, ["JTE"], date(2026, 6, 1))
    survey = answered_survey(ks_staff, partner)
    monitoring, _ = monitoring_open(actor=ks_staff, agreement=agreement, year=2026, now=NOW)
    jti = Unit.objects.get(code="JTI")
    monitoring_fill(
        actor=ks_staff,
        monitoring=monitoring,
        activities=[],
        outputs="Laporan kunjungan",
        benefits="Materi praktikum baru",
        judgements=[
            Judgement(jti, Aspect.BENEFIT, True, "Modul praktikum dari mitra"),
            Judgement(jti, Aspect.PERFORMANCE, False, "Belum ada fasilitas baru"),
            Judgement(jti, Aspect.SATISFACTION, True, "", survey),
        ],
        now=NOW,
    )
    ks, year = Unit.objects.get(code="KS"), Period.year(2026)
    results = {r.code: r for r in engine.unit_kpis(ks, year, NOW)}
    figures = {
        code: (results[code].measurement.numerator, results[code].measurement.denominator)
        for code in ("B.1.15.8.a", "B.1.15.8.b", "B.1.15.8.c")
        if results[code].measurement is not None
    }
    assert figures == {"B.1.15.8.a": (1, 2), "B.1.15.8.b": (0, 2), "B.1.15.8.c": (1, 2)}
    assert [results[c].met for c in ("B.1.15.8.a", "B.1.15.8.b")] == [False, False]

    _, rows = engine.kpi_evidence(ks, year, NOW, "B.1.15.8.c")
    evidence = {row.reference: row for row in rows}
    form_page = reverse("partners-monitoring", args=[monitoring.pk])
    assert evidence["JTI"].passed and evidence["JTI"].url == form_page
    assert "4.5" in evidence["JTI"].note  # the survey's average, cited
    assert not evidence["JTE"].passed and evidence["JTE"].counted
    assert not evidence["JTM"].counted  # no cooperation: not counted here (B.1.15.7 is)
    _, rows = engine.kpi_evidence(ks, year, NOW, "B.1.15.8.b")
    assert next(r for r in rows if r.reference == "JTI").url == form_page

    # A form the next year says nothing of this one.
    later = {r.code: r for r in engine.unit_kpis(ks, Period.year(2027), NOW)}
    assert later["B.1.15.8.a"].measurement is not None
    assert later["B.1.15.8.a"].measurement.denominator == 0


def test_staff_fill_in_the_form_on_its_page_and_print_it(
    personas: Personas, ks_staff: Any, partner: Partner, agreement: Agreement
) -> None:
    ticket = held(ks_staff, personas, partner, ["RKS"], date(2026, 5, 4), agreement=agreement)
    record = Activity.objects.get(ticket=ticket)
    client = client_for(ks_staff)
    listing = client.get(reverse("partners-monitorings") + "?year=2026")
    assert agreement.number in listing.content.decode()
    opened = client.post(
        reverse("partners-monitoring-start"), {"agreement": agreement.pk, "year": 2026}
    )
    monitoring = Monitoring.objects.get()
    assert opened["Location"] == reverse("partners-monitoring-edit", args=[monitoring.pk])
    edit = reverse("partners-monitoring-edit", args=[monitoring.pk])
    data = {
        "activities": [record.pk],
        "outputs": "Laporan kunjungan",
        "benefits": "Materi praktikum baru",
        "met-JTI-benefit": "on",
        "evidence-JTI-benefit": "",
        "met-JTI-performance": "on",
        "evidence-JTI-performance": "Laboratorium mendapat peralatan",
    }
    refused = client.post(edit, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["evidence-JTI-benefit"] == [
        "JTI, Manfaat bagi pembelajaran, penelitian dan PkM: berikan bukti bahwa aspek ini "
        "terpenuhi."
    ]
    assert not Assessment.objects.exists()
    data["evidence-JTI-benefit"] = "Modul praktikum dari mitra"
    saved = client.post(edit, data)
    assert saved["Location"] == reverse("partners-monitoring", args=[monitoring.pk])
    kept = {a.aspect: a.met for a in Assessment.objects.all()}
    assert kept == {"benefit": True, "performance": True, "satisfaction": False}
    page = client.get(saved["Location"]).content.decode()
    assert "Modul praktikum dari mitra" in page and record.title in page

    response = client.get(reverse("partners-monitoring-pdf", args=[monitoring.pk]))
    assert response["Content-Type"] == "application/pdf"
    require_peer("pdftotext", shutil.which("pdftotext") is not None, "install poppler-utils")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    words = " ".join(text.split())
    assert "BORANG MONITORING KERJASAMA" in words and "BO.28.1.2" in words
    assert agreement.number in words and "Modul praktikum dari mitra" in words


def test_auditors_read_the_forms_and_only_partnership_staff_fill_them(
    personas: Personas, ks_staff: Any, agreement: Agreement
) -> None:
    monitoring, _ = monitoring_open(actor=ks_staff, agreement=agreement, year=2026, now=NOW)
    page = reverse("partners-monitoring", args=[monitoring.pk])
    edit = reverse("partners-monitoring-edit", args=[monitoring.pk])
    auditor = client_for(personas.auditor)
    assert auditor.get(page).status_code == 200
    assert auditor.get(edit).status_code == 403
    assert client_for(personas.staff).get(page).status_code == 403  # UPT-SI's staff
    assert client_for(personas.requester).get(page).status_code == 403
    start = reverse("partners-monitoring-start")
    assert auditor.post(start, {"agreement": agreement.pk, "year": 2025}).status_code == 403
    assert Monitoring.objects.count() == 1
