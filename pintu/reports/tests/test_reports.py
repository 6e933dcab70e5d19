"""A unit's reports: written from its KPIs as PDF, DOCX and an XLSX annex that carry every
KPI code with its value (read back), the analysis and follow-up plan kept through the
services and shown again next year, generation as the worker's task with every version
kept, who may read and write, the B.4.10.8 measure, reminders and the CLI."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, make_user
from pintu.core.audit import audit_digest_record
from pintu.kpi.engine import unit_kpis
from pintu.kpi.tests.test_pages import client, early_this_year, requests
from pintu.org.models import Role, Unit
from pintu.outbox.models import OutboxItem
from pintu.reports import generation, reminders, services, writers
from pintu.reports.content import gather, report_for, value_text
from pintu.reports.models import FollowUp, Report, ReportReminder, ReportVersion
from pintu.sop.measurement import Period

YEAR = timezone.localdate().year
pytestmark = pytest.mark.django_db


def squeeze(text: str) -> str:
    """Text without its whitespace: a table cell may break a value across lines."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def upt_si(sops: None, personas: Personas) -> Unit:
    requests(personas, 6, early_this_year())
    return Unit.objects.get(code="UPT-SI")


def test_the_pdf_and_the_docx_carry_every_kpi_code_of_the_unit_with_its_value(
    upt_si: Unit,
) -> None:
    now = timezone.now()
    results = unit_kpis(upt_si, Period.year(YEAR), now)
    assert len(results) > 10
    content = gather(report_for(upt_si, YEAR, Report.Kind.LED), now)
    pdf = squeeze(pdf_text(writers.write_pdf(content, lambda *a: None)))
    word = squeeze(docx_text(writers.write_docx(content, lambda *a: None)))
    # B.4.6.4.a counted 3 of 6 answered within 15 minutes: the figure in words.
    first = next(r for r in results if r.code == "B.4.6.4.a")
    assert value_text(first) == "50,0% (3/6)"
    for result in results:
        expected = squeeze(f"{result.code}"), squeeze(value_text(result))
        for name, text in (("PDF", pdf), ("DOCX", word)):
            assert expected[0] in text, f"{name} lacks {result.code}"
            assert expected[1] in text, f"{name} lacks {result.code}'s {value_text(result)}"


def test_the_led_prints_the_audit_logs_daily_digests_of_its_year(upt_si: Unit) -> None:
    digest = audit_digest_record(day=date(YEAR, 2, 3), now=timezone.now())
    content = gather(report_for(upt_si, YEAR, Report.Kind.LED), timezone.now())
    assert content.digests == [(date(YEAR, 2, 3), digest.seq, digest.hash)]
    assert digest.hash in squeeze(docx_text(writers.write_docx(content, lambda *a: None)))
    assert digest.hash in squeeze(pdf_text(writers.write_pdf(content, lambda *a: None)))


def test_the_docx_has_real_headings_and_tables_for_the_unit_to_edit(upt_si: Unit) -> None:
    content = gather(report_for(upt_si, YEAR, Report.Kind.LED), timezone.now())
    document = docx.Document(io.BytesIO(writers.write_docx(content, lambda *a: None)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "3. Capaian IKU" in headings
    assert "B.4.6.4" in headings
    kpi_table = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI")
    assert len(kpi_table.rows) > 1


def test_the_xlsx_annex_lists_every_record_behind_every_kpi(upt_si: Unit) -> None:
    content = gather(report_for(upt_si, YEAR, Report.Kind.LED), timezone.now())
    book = openpyxl.load_workbook(io.BytesIO(writers.write_xlsx(content, lambda *a: None)))
    rows = list(book["B.4.6.4.a"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6
    assert [r[4] for r in rows].count("ya") == 3  # passed
    kpis = {r[1]: r for r in book["KPI"].iter_rows(min_row=2, values_only=True)}
    assert kpis["B.4.6.4.a"][4] == 50.0 and kpis["B.4.6.4.a"][5:7] == (3, 6)


def test_an_analysis_point_keeps_the_figures_it_chose_as_they_were(
    upt_si: Unit, personas: Personas
) -> None:
    report = report_for(upt_si, YEAR, Report.Kind.LED)
    assert report.pk is None  # reading wrote nothing
    point = services.point_add(
        actor=personas.head,
        report=report,
        kind="weakness",
        text="Separuh permintaan dijawab lewat dari 15 menit.",
        figure_keys=["kpi:B.4.6.4.a", "requests"],
        now=timezone.now(),
    )
    assert point.report.pk is not None
    assert point.figures[0]["key"] == "kpi:B.4.6.4.a"
    assert point.figures[0]["value"].startswith("50,0% (3/6)")
    assert point.figures[1]["value"] == "6"
    with pytest.raises(ValidationError, match="tidak tersedia"):
        services.point_add(
            actor=personas.head,
            report=point.report,
            kind="strength",
            text="x",
            figure_keys=["kpi:B.9.9"],
            now=timezone.now(),
        )
    for who in (personas.staff, personas.auditor, personas.requester):
        with pytest.raises(PermissionDenied):
            services.point_add(
                actor=who,
                report=point.report,
                kind="strength",
                text="x",
                figure_keys=[],
                now=timezone.now(),
            )
    rendered = squeeze(
        pdf_text(writers.write_pdf(gather(point.report, timezone.now()), lambda *a: None))
    )
    assert squeeze("Separuh permintaan dijawab lewat dari 15 menit.") in rendered


def test_last_years_plan_shows_with_its_outcome_in_this_years_report(
    sops: None, personas: Personas
) -> None:
    unit = Unit.objects.get(code="UPT-SI")
    now = timezone.now()
    last = report_for(unit, YEAR - 1, Report.Kind.LED)
    action = services.follow_up_add(
        actor=personas.head,
        report=last,
        action="Jadwal piket balasan pertama",
        owner="Koordinator layanan",
        due=date(YEAR, 3, 1),
        now=now,
    )
    with pytest.raises(ValidationError):
        services.follow_up_add(
            actor=personas.head,
            report=action.report,
            action=" ",
            owner="",
            due=date(2000, 1, 1),
            now=now,
        )
    services.follow_up_close(
        actor=personas.head,
        follow_up=action,
        status=FollowUp.Status.DONE,
        outcome="Piket berjalan sejak Maret",
        now=now,
    )
    content = gather(report_for(unit, YEAR, Report.Kind.LED), now)
    assert [f.action for f in content.last_year] == ["Jadwal piket balasan pertama"]
    text = squeeze(docx_text(writers.write_docx(content, lambda *a: None)))
    assert squeeze("Jadwal piket balasan pertama") in text
    assert squeeze("Piket berjalan sejak Maret") in text


def test_the_page_asks_the_worker_for_a_version_shows_its_progress_and_keeps_them_all(
    upt_si: Unit, personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    head = client(personas.head)
    url = reverse("reports-unit", args=["UPT-SI", YEAR])
    for fmt in ("pdf", "docx"):
        response = head.post(url, {"form": "generate", "format": fmt})
        assert response.status_code == 302
    first, second = ReportVersion.objects.order_by("number")
    assert (first.number, first.format, first.status) == (1, "pdf", "queued")
    status = head.get(reverse("reports-status", args=[first.pk])).json()
    assert status["status"] == "queued" and status["file"] == ""
    page = head.get(url).content.decode()
    assert f'data-status-url="{reverse("reports-status", args=[first.pk])}"' in page
    for version in (first, second):
        assert generation.generation_run(version.pk, timezone.now()).status == "done"
    status = head.get(reverse("reports-status", args=[first.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    download = head.get(status["file"])
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF") and "B.4.6.4.a" in pdf_text(body)
    assert download["Content-Disposition"].endswith(f'LED-UPT-SI-{YEAR}-v1.pdf"')
    # A third version leaves the first two as they were.
    head.post(url, {"form": "generate", "format": "pdf"})
    assert list(ReportVersion.objects.values_list("number", "status").order_by("number")) == [
        (1, "done"),
        (2, "done"),
        (3, "queued"),
    ]
    # A version is written once, however many workers are handed it.
    again = generation.generation_run(first.pk, timezone.now())
    assert again.sha256 == first.__class__.objects.get(pk=first.pk).sha256


def test_a_failed_generation_says_why_on_the_page_and_keeps_no_file(
    upt_si: Unit, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(content: object, progress: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setitem(writers.WRITERS, "pdf", broken)
    version = services.generation_request(
        actor=personas.head,
        report=report_for(upt_si, YEAR, "led"),
        format="pdf",
        now=timezone.now(),
    )
    done = generation.generation_run(version.pk, timezone.now())
    assert done.status == "failed" and "disk full" in done.error and not done.file
    page = (
        client(personas.head).get(reverse("reports-unit", args=["UPT-SI", YEAR])).content.decode()
    )
    assert "disk full" in page
    assert client(personas.head).get(reverse("reports-file", args=[version.pk])).status_code == 404


def test_who_reaches_the_reports(sops: None, personas: Personas) -> None:
    url = reverse("reports-unit", args=["UPT-SI", YEAR])
    nav = reverse("reports-overview")
    for lead in (personas.head, personas.supervisor, personas.auditor, personas.admin):
        assert f'href="{nav}"' in client(lead).get(reverse("portal-home")).content.decode()
        assert client(lead).get(url).status_code == 200
    for other in (personas.requester, personas.staff):
        assert f'href="{nav}"' not in client(other).get(reverse("portal-home")).content.decode()
    assert client(personas.requester).get(url).status_code == 404
    # Staff of another unit do not see it; the quality unit (P4M) reads every unit's.
    assert client(make_user("staf-ks", Role.STAFF, "KS")).get(url).status_code == 404
    assert client(personas.other_staff).get(url).status_code == 200
    assert client(personas.requester).get(nav).status_code == 403
    # Auditors read every unit's reports but write into none.
    assert client(personas.auditor).get(nav).status_code == 200
    assert (
        client(personas.auditor).post(url, {"form": "generate", "format": "pdf"}).status_code == 403
    )
    assert client(personas.head).get(nav)["Location"] == reverse(
        "reports-unit", args=["UPT-SI", YEAR]
    )


def test_b_4_10_8_counts_the_led_handed_in(sops: None, personas: Personas) -> None:
    phk = Unit.objects.get(code="PHK")
    head = make_user("kepala-phk", Role.HEAD, "PHK")
    now = timezone.now()

    def b4108() -> tuple[float | None, list[bool]]:
        result = next(r for r in unit_kpis(phk, Period.year(YEAR), now) if r.code == "B.4.10.8")
        assert result.measurement is not None
        return result.value, [e.passed for e in result.measurement.evidence]

    assert b4108() == (0.0, [])
    version = services.generation_request(
        actor=head, report=report_for(phk, YEAR, "led"), format="pdf", now=now
    )
    assert b4108() == (0.0, [False])  # written, not handed in
    with pytest.raises(ValidationError):
        services.report_deliver(actor=head, version=version, now=now)  # not ready yet
    generation.generation_run(version.pk, now)
    version.refresh_from_db()
    services.report_deliver(actor=head, version=version, now=now)
    assert b4108() == (1.0, [True])


def test_leads_are_reminded_once_before_the_report_is_due(
    sops: None, personas: Personas, settings: object
) -> None:
    personas.head.email, personas.supervisor.email = "kepala@poltek.ac.id", "subkoor@poltek.ac.id"
    for user in (personas.head, personas.supervisor):
        user.save()
    now = timezone.now()
    today = date(YEAR + 1, 1, 20)  # 11 days before 31 January
    sent = reminders.reminders_send(now, today)
    upt = next(r for r in sent if r.unit.code == "UPT-SI")
    assert (upt.year, upt.days_before, upt.recipients) == (YEAR, 30, 2)
    mails = OutboxItem.objects.filter(purpose="notification", recipient__endswith="poltek.ac.id")
    assert sorted(mails.values_list("recipient", flat=True)) == [
        "kepala@poltek.ac.id",
        "subkoor@poltek.ac.id",
    ]
    assert f"{YEAR}" in mails.first().subject
    assert reminders.reminders_send(now, today + timedelta(days=1)) == []
    assert ReportReminder.objects.filter(unit__code="UPT-SI").count() == 1
    # The 7-day reminder goes in its turn.
    assert any(
        r.unit.code == "UPT-SI" for r in reminders.reminders_send(now, date(YEAR + 1, 1, 25))
    )


def test_the_cli_writes_each_format_and_names_a_bad_unit(upt_si: Unit, tmp_path: Path) -> None:
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")):
        out = tmp_path / f"led.{fmt}"
        call_command("report", "led", unit="UPT-SI", year=YEAR, format=fmt, output=str(out))
        assert out.read_bytes().startswith(magic)
    assert "B.4.6.4.a" in pdf_text((tmp_path / "led.pdf").read_bytes())
    call_command(
        "report", "analysis", unit="UPT-SI", year=YEAR, format="pdf", output=str(tmp_path / "a.pdf")
    )
    assert "Analisis" in pdf_text((tmp_path / "a.pdf").read_bytes())
    with pytest.raises(CommandError, match="unknown unit 'NOPE'"):
        call_command("report", "led", unit="NOPE", year=YEAR, output=str(tmp_path / "x.pdf"))
    assert not Report.objects.exists()  # the CLI only reads
