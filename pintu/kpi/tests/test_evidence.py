"""KPIs no record can measure: documents uploaded by the unit's leads and judged by the
quality unit for a period of validity; the list of systems of B.1.8.18 item by item;
and the yearly evaluation of each service type with its follow-ups (B.1.8.16.e)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pintu.conftest import Personas, make_user
from pintu.core.models import AuditEvent
from pintu.desk.services import Upload
from pintu.desk.tests.files import PDF
from pintu.kpi import services
from pintu.kpi.engine import KpiResult, unit_kpis
from pintu.kpi.models import EvidenceDocument
from pintu.org.models import Role, Unit, User
from pintu.sop.measurement import Period
from pintu.sop.models import ServiceType

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 6, 1, 10, tzinfo=WIB)
YEAR = Period.year(2026)
END_OF_YEAR = datetime(2027, 1, 10, 10, tzinfo=WIB)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(personas: Personas) -> User:
    return make_user("kepala-p4m", Role.HEAD, "P4M")


def upsi() -> Unit:
    return Unit.objects.get(code="UPT-SI")


def result(code: str, now: datetime = NOW) -> KpiResult:
    return next(r for r in unit_kpis(upsi(), YEAR, now) if r.code == code)


def upload(
    actor: User,
    kpi: str = "B.4.6.1",
    item: str = "",
    until: date = date(2026, 12, 31),
    name: str = "kebijakan.pdf",
    data: bytes = PDF,
) -> EvidenceDocument:
    return services.evidence_upload(
        actor=actor,
        unit=upsi(),
        sop_code="PR.33.8",
        kpi_code=kpi,
        item=item,
        title="Kebijakan layanan TIK",
        upload=Upload(name, "application/pdf", data),
        valid_from=date(2026, 1, 1),
        valid_until=until,
        now=NOW,
    )


def test_a_document_counts_once_the_quality_unit_accepts_it(
    sops: None, personas: Personas, reviewer: User
) -> None:
    document = upload(personas.head)
    assert result("B.4.6.1").met is False  # waiting for review
    services.evidence_judge(actor=reviewer, document=document, accept=True, now=NOW)
    kpi = result("B.4.6.1")
    assert (kpi.value, kpi.met) == (1.0, True)
    (evidence,) = kpi.measurement.evidence
    assert evidence.reference == "kebijakan.pdf" and evidence.passed
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["kpi.evidence_upload", "kpi.evidence_judge"]


def test_an_expired_document_no_longer_meets_the_kpi(
    sops: None, personas: Personas, reviewer: User
) -> None:
    document = upload(personas.head, until=date(2026, 9, 30))
    services.evidence_judge(actor=reviewer, document=document, accept=True, now=NOW)
    assert result("B.4.6.1", now=NOW).met is True
    assert result("B.4.6.1", now=END_OF_YEAR).met is False


def test_who_may_upload_and_who_may_judge(sops: None, personas: Personas, reviewer: User) -> None:
    for outsider in (personas.staff, personas.requester, personas.other_staff):
        with pytest.raises(PermissionDenied):
            upload(outsider)
    document = upload(personas.supervisor)
    # A unit's own head is not the quality unit.
    with pytest.raises(PermissionDenied):
        services.evidence_judge(actor=personas.head, document=document, accept=True, now=NOW)
    with pytest.raises(ValidationError, match="alasan"):
        services.evidence_judge(actor=reviewer, document=document, accept=False, now=NOW)
    services.evidence_judge(
        actor=reviewer, document=document, accept=False, note="Belum ditandatangani", now=NOW
    )
    document.refresh_from_db()
    assert document.judgement == "rejected" and document.review_note == "Belum ditandatangani"


def test_an_uploader_does_not_judge_their_own_document(sops: None, personas: Personas) -> None:
    document = upload(personas.admin)
    with pytest.raises(ValidationError):
        services.evidence_judge(actor=personas.admin, document=document, accept=True, now=NOW)


def test_bad_uploads_are_refused_and_nothing_is_kept(sops: None, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        upload(personas.head, name="kebijakan.pdf", data=b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError):
        upload(personas.head, until=date(2025, 12, 31))  # ends before it starts
    with pytest.raises(ValidationError):
        upload(personas.head, kpi="B.4.6.4.a")  # measured from the requests
    assert EvidenceDocument.objects.count() == 0


def test_the_list_of_systems_counts_item_by_item(
    sops: None, personas: Personas, reviewer: User
) -> None:
    with pytest.raises(ValidationError):
        upload(personas.head, kpi="B.1.8.18")  # which system?
    with pytest.raises(ValidationError):
        upload(personas.head, kpi="B.1.8.18", item="Mesin kopi")
    items = result("B.1.8.18").kpi.measure.params["items"]
    assert len(items) == 12
    for item in items[:3]:
        document = upload(personas.head, kpi="B.1.8.18", item=item)
        services.evidence_judge(actor=reviewer, document=document, accept=True, now=NOW)
    upload(personas.head, kpi="B.1.8.18", item=items[3])  # not judged yet
    kpi = result("B.1.8.18")
    assert (kpi.measurement.numerator, kpi.measurement.denominator) == (3, 12)
    assert kpi.value == pytest.approx(25.0) and kpi.met is False
    assert [e.passed for e in kpi.measurement.evidence] == [True] * 3 + [False] * 9


def test_every_service_type_evaluated_and_followed_up(sops: None, personas: Personas) -> None:
    kpi = result("B.1.8.16.e")
    services_of_the_sop = kpi.measurement.denominator
    expected = ServiceType.objects.filter(sop__code="PR.33.8", sop__is_current=True).count()
    assert kpi.measurement.numerator == 0 and services_of_the_sop == expected == 11
    evaluation = services.evaluation_record(
        actor=personas.head,
        unit=upsi(),
        sop_code="PR.33.8",
        service_key="layanan-ringan",
        year=2026,
        evaluated_on=date(2026, 5, 20),
        summary="Antrean pagi terlalu panjang.",
    )
    finding = services.finding_add(
        actor=personas.head, evaluation=evaluation, text="Antrean", action="Petugas piket pagi"
    )
    # Evaluated, but its follow-up is not done: not counted as evaluated yet.
    assert result("B.1.8.16.e").measurement.numerator == 0
    services.finding_done(actor=personas.head, finding=finding, note="Jadwal piket", now=NOW)
    assert result("B.1.8.16.e").measurement.numerator == 1
    # Evaluated without findings counts at once.
    services.evaluation_record(
        actor=personas.supervisor,
        unit=upsi(),
        sop_code="PR.33.8",
        service_key="akun-kampus",
        year=2026,
        evaluated_on=date(2026, 5, 21),
        summary="Berjalan baik.",
    )
    assert result("B.1.8.16.e").measurement.numerator == 2
    with pytest.raises(ValidationError):
        services.evaluation_record(
            actor=personas.head,
            unit=upsi(),
            sop_code="PR.33.8",
            service_key="akun-kampus",
            year=2026,
            evaluated_on=date(2026, 6, 1),
            summary="Lagi.",
        )
    with pytest.raises(ValidationError):
        services.finding_done(actor=personas.head, finding=finding, note="Lagi", now=NOW)
    with pytest.raises(PermissionDenied):
        services.finding_add(actor=personas.staff, evaluation=evaluation, text="x", action="y")
    # Last year's evaluations are last year's.
    assert (
        next(
            r for r in unit_kpis(upsi(), Period.year(2027), NOW) if r.code == "B.1.8.16.e"
        ).measurement.numerator
        == 0
    )
