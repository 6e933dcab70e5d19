"""The demo's quality records of the year, kept through the KPI engine's services: the
documents that show the KPIs no request measures (most accepted by the quality unit,
one rejected and sent again, one expired mid-year, a list of systems three short), and
the evaluation of each service type with its findings, most followed up.

Made once, after the requests: a second run finds the documents and adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from pintu.desk.services import Upload
from pintu.kpi import services
from pintu.kpi.measures import current_definitions
from pintu.kpi.models import EvidenceDocument
from pintu.org.models import Role, Unit, User
from pintu.site.demo.documents import simple_pdf
from pintu.sop.definition import Kpi

QUALITY_REVIEWER = "kepala-p4m"
STAND_IN_REVIEWER = "admin"  # judges what the quality unit's head uploaded
# (unit, KPI): what happens to its document instead of being accepted.
REJECTED = {("UPT-SI", "B.4.6.2")}
EXPIRED = {("PHK", "B.4.10.2")}
CHECKLIST_MISSING = 3  # of B.1.8.18's systems, the last ones have no document yet
FINDINGS = (
    ("Sebagian permintaan lewat WhatsApp di luar jam kerja baru ditanggapi esok paginya.",
     "Jadwal piket pesan masuk pukul 07.00-08.00 dan tanggapan otomatis di luar jam kerja."),
    ("Pemohon belum tahu berkas apa yang harus dilampirkan.",
     "Daftar kelengkapan ditampilkan di formulir layanan dan di balasan pertama."),
    ("Penilaian kepuasan masih sedikit yang mengisi.",
     "Tautan penilaian dikirim ulang sekali, tiga hari setelah permintaan selesai."),
)  # fmt: skip


def _lead(unit: Unit) -> User | None:
    return (
        User.objects.filter(
            memberships__unit=unit, memberships__role__in=(Role.HEAD, Role.SUPERVISOR)
        )
        .order_by("memberships__role", "username")
        .first()
    )


def _document(kpi: Kpi, unit: Unit, item: str = "") -> tuple[str, bytes]:
    title = item or kpi.measure.params.get("evidence") or kpi.code
    name = f"{kpi.code}-{item or 'dokumen'}".replace(" ", "-").replace("/", "-")[:60] + ".pdf"
    lines = [
        f"{unit.name} ({unit.code})",
        f"Bukti {kpi.code}: {title}",
        "Dokumen contoh untuk demo Pintu.",
    ]
    return name, simple_pdf(str(title)[:80], lines)


def _upload(
    actor: User, unit: Unit, sop: str, kpi: Kpi, at: datetime, until: date, item: str = ""
) -> EvidenceDocument:
    name, data = _document(kpi, unit, item)
    return services.evidence_upload(
        actor=actor,
        unit=unit,
        sop_code=sop,
        kpi_code=kpi.code,
        item=item,
        title=str(item or kpi.measure.params.get("evidence") or kpi.code)[:300],
        upload=Upload(name, "application/pdf", data),
        valid_from=date(at.year, 1, 1),
        valid_until=until,
        now=at,
    )


def _judge(document: EvidenceDocument, accept: bool, at: datetime, note: str = "") -> None:
    reviewer = User.objects.get(
        username=STAND_IN_REVIEWER
        if document.uploaded_by.username == QUALITY_REVIEWER
        else QUALITY_REVIEWER
    )
    services.evidence_judge(actor=reviewer, document=document, accept=accept, note=note, now=at)


def _documents(unit: Unit, lead: User, now: datetime) -> int:
    year = timezone.localtime(now).year
    uploaded = min(now - timedelta(days=3), datetime(year, 1, 15, 9, tzinfo=now.tzinfo))
    judged = uploaded + timedelta(days=2)
    made = 0
    for definition in current_definitions(unit):
        for kpi in definition.kpis:
            if kpi.measure.name == "evidence_present":
                expires = (unit.code, kpi.code) in EXPIRED
                until = date(year, 6, 30) if expires else date(year, 12, 31)
                document = _upload(lead, unit, definition.code, kpi, uploaded, until)
                if (unit.code, kpi.code) in REJECTED:
                    _judge(document, False, judged, "Belum ditandatangani pimpinan unit.")
                    _upload(lead, unit, definition.code, kpi, judged + timedelta(days=1), until)
                    made += 1
                else:
                    _judge(document, True, judged)
                made += 1
            elif kpi.measure.name == "checklist_present":
                items = list(kpi.measure.params["items"])
                for item in items[: len(items) - CHECKLIST_MISSING]:
                    document = _upload(
                        lead, unit, definition.code, kpi, uploaded, date(year, 12, 31), item
                    )
                    _judge(document, True, judged)
                    made += 1
    return made


def _evaluations(unit: Unit, lead: User, now: datetime) -> int:
    """Every service type evaluated in March (UPT-SI leaves its last one out); one
    finding each, followed up within weeks, but for the first service's of UPT-SI."""
    year = timezone.localtime(now).year
    evaluated_on = min(now.date() - timedelta(days=2), date(year, 3, 10))
    made = 0
    for definition in current_definitions(unit):
        listed = definition.services[:-1] if unit.code == "UPT-SI" else definition.services
        for index, service in enumerate(listed):
            evaluation = services.evaluation_record(
                actor=lead,
                unit=unit,
                sop_code=definition.code,
                service_key=service.key,
                year=year,
                evaluated_on=evaluated_on,
                summary=f"Rapat evaluasi layanan {service.name}: waktu tanggapan, "
                "kelengkapan permintaan dan kepuasan pemohon ditinjau.",
            )
            text, action = FINDINGS[index % len(FINDINGS)]
            finding = services.finding_add(
                actor=lead,
                evaluation=evaluation,
                text=text,
                action=action,
                owner=lead,
                due_on=evaluated_on + timedelta(days=30),
            )
            if not (unit.code == "UPT-SI" and index == 0):
                done_at = datetime.combine(
                    evaluated_on + timedelta(days=21), datetime.min.time(), tzinfo=now.tzinfo
                ).replace(hour=10)
                services.finding_done(
                    actor=lead, finding=finding, note="Sudah dijalankan.", now=min(done_at, now)
                )
            made += 1
    return made


def quality_seed(now: datetime) -> int:
    """The year's documents and evaluations of every unit with KPIs; how many made."""
    if EvidenceDocument.objects.exists():
        return 0
    made = 0
    with transaction.atomic():
        for unit in Unit.objects.filter(sops__is_current=True).distinct().order_by("code"):
            lead = _lead(unit)
            if lead is None:
                continue
            made += _documents(unit, lead, now) + _evaluations(unit, lead, now)
    return made
