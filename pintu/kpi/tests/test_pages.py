"""The KPI pages, the CLI and the API: who reaches them, what they show, the records
behind a KPI filtered and exported in full, documents and evaluations kept through the
pages, and a dashboard whose queries do not grow with the requests."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, fields_for, make_user, service
from pintu.core.tokens import api_token_create
from pintu.desk import services as desk
from pintu.desk.models import Ticket
from pintu.desk.tests.files import PDF
from pintu.kpi.models import EvidenceDocument, Finding, ServiceEvaluation
from pintu.org.models import Role, User

WIB = ZoneInfo("Asia/Jakarta")
YEAR = timezone.localdate().year

pytestmark = pytest.mark.django_db


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def requests(personas: Personas, count: int, start: datetime) -> list[Ticket]:
    """``count`` software installations an hour apart; every other one answered late."""
    svc = service("PR.33.8", "instalasi-perangkat-lunak")
    made = []
    for n in range(count):
        at = start + timedelta(hours=n)
        ticket = desk.ticket_create(
            actor=personas.requester,
            service_type=svc,
            requester=personas.requester,
            opening=desk.Opening(subject=f"Instal {n}", body="Mohon instal."),
            fields=fields_for(svc),
            now=at,
        ).ticket
        late = timedelta(minutes=40 if n % 2 else 5)
        desk.ticket_reply(actor=personas.staff, ticket=ticket, body="Baik.", now=at + late)
        made.append(ticket)
    return made


def early_this_year() -> datetime:
    # The first Monday of February, 08:00: working hours on every calendar.
    day = date(YEAR, 2, 1)
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 8, tzinfo=WIB)


@pytest.fixture
def quality_head(personas: Personas) -> User:
    return make_user("kepala-p4m", Role.HEAD, "P4M")


# ---------------------------------------------------------------- who reaches them


def test_leads_find_the_kpis_in_the_menu_and_requesters_do_not(
    sops: None, personas: Personas
) -> None:
    kpi = reverse("kpi-overview")
    for lead in (personas.head, personas.supervisor, personas.auditor, personas.admin):
        assert f'href="{kpi}"' in client(lead).get(reverse("home"), follow=True).content.decode()
    for other in (personas.requester, personas.staff):
        assert f'href="{kpi}"' not in client(other).get(reverse("portal-home")).content.decode()


def test_a_unit_reads_its_own_figures_and_the_quality_unit_reads_all(
    sops: None, personas: Personas, quality_head: User
) -> None:
    own = client(personas.head)
    response = own.get(reverse("kpi-overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("kpi-unit", args=["UPT-SI", YEAR])
    assert own.get(reverse("kpi-unit", args=["UPT-SI", YEAR])).status_code == 200
    assert own.get(reverse("kpi-unit", args=["P4M", YEAR])).status_code == 404
    everyone = client(quality_head).get(reverse("kpi-overview")).content.decode()
    for code in ("UPT-SI", "P4M", "PHK", "KS"):
        assert reverse("kpi-unit", args=[code, YEAR]) in everyone
    assert client(personas.requester).get(reverse("kpi-overview")).status_code == 403
    assert (
        client(personas.requester).get(reverse("kpi-unit", args=["UPT-SI", YEAR])).status_code
        == 404
    )


# ---------------------------------------------------------------- what they show


def test_the_dashboard_lists_every_kpi_with_its_result_and_charts(
    sops: None, personas: Personas
) -> None:
    requests(personas, 4, early_this_year())
    page = client(personas.head).get(reverse("kpi-unit", args=["UPT-SI", YEAR])).content.decode()
    for code in ("B.1.8.16.a", "B.1.8.18", "B.4.6.1", "B.4.6.4.a", "B.4.6.4.g"):
        assert reverse("kpi-detail", args=["UPT-SI", YEAR, code]) in page
    assert "50,0%" in page  # B.4.6.4.a: two of four answered in time
    assert page.count('<svg class="chart"') >= 3  # by month, by type, by door


def test_a_kpi_lists_its_failing_requests_and_exports_them_all(
    sops: None, personas: Personas
) -> None:
    made = requests(personas, 6, early_this_year())
    head = client(personas.head)
    url = reverse("kpi-detail", args=["UPT-SI", YEAR, "B.4.6.4.a"])
    failing = head.get(url, {"show": "failed"}).content.decode()
    late = [t.reference for n, t in enumerate(made) if n % 2]
    on_time = [t.reference for n, t in enumerate(made) if not n % 2]
    assert all(reverse("desk-ticket", args=[r]) in failing for r in late)
    assert not any(f">{r}<" in failing for r in on_time)
    export = head.get(reverse("kpi-export", args=["UPT-SI", YEAR, "B.4.6.4.a"]))
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(streamed(export))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == sorted(t.reference for t in made)


def test_the_dashboard_reads_in_the_same_queries_for_many_requests(
    sops: None, personas: Personas
) -> None:
    head = client(personas.head)
    url = reverse("kpi-unit", args=["UPT-SI", YEAR])
    requests(personas, 2, early_this_year())
    head.get(url)  # warm the caches a first page fills
    with CaptureQueriesContext(connection) as few:
        assert head.get(url).status_code == 200
    requests(personas, 12, early_this_year() + timedelta(days=7))
    with CaptureQueriesContext(connection) as many:
        assert head.get(url).status_code == 200
    assert len(many) == len(few)


# ---------------------------------------------------------------- kept through the pages


def test_a_head_uploads_a_document_and_the_quality_unit_accepts_it(
    sops: None, personas: Personas, quality_head: User
) -> None:
    url = reverse("kpi-evidence", args=["UPT-SI"])
    response = client(personas.head).post(
        url,
        {
            "kpi": "PR.33.8|B.4.6.1",
            "title": "Kebijakan layanan TIK 2026",
            "file": SimpleUploadedFile("kebijakan.pdf", PDF, "application/pdf"),
            "valid_from": f"{YEAR}-01-01",
            "valid_until": f"{YEAR}-12-31",
        },
    )
    assert response.status_code == 302
    document = EvidenceDocument.objects.get()
    assert document.judgement == "pending" and document.file.read() == PDF
    # Staff who are no lead may read, not upload.
    assert client(personas.staff).post(url, {"kpi": "PR.33.8|B.4.6.1"}).status_code == 403
    judge = reverse("kpi-evidence-judge", args=[document.pk])
    client(quality_head).post(judge, {"judgement": "accept"})
    document.refresh_from_db()
    assert document.judgement == "accepted" and document.reviewer == quality_head
    download = client(personas.head).get(reverse("kpi-evidence-file", args=[document.pk]))
    assert streamed(download) == PDF


def test_an_upload_with_a_bad_file_says_why_and_keeps_nothing(
    sops: None, personas: Personas
) -> None:
    response = client(personas.head).post(
        reverse("kpi-evidence", args=["UPT-SI"]),
        {
            "kpi": "PR.33.8|B.4.6.1",
            "title": "Kebijakan",
            "file": SimpleUploadedFile("kebijakan.pdf", b"MZ\x90\x00program", "application/pdf"),
            "valid_from": f"{YEAR}-01-01",
            "valid_until": f"{YEAR}-12-31",
        },
    )
    assert response.status_code == 200
    assert "kebijakan.pdf" in response.content.decode()
    assert not EvidenceDocument.objects.exists()


def test_an_evaluation_its_finding_and_the_follow_up_through_the_page(
    sops: None, personas: Personas
) -> None:
    url = reverse("kpi-evaluations", args=["UPT-SI", YEAR])
    head = client(personas.head)
    head.post(
        url,
        {
            "form": "evaluation",
            "service": "PR.33.8|layanan-ringan",
            "evaluated_on": f"{YEAR}-03-01",
            "summary": "Waktu tunggu pagi terlalu lama.",
        },
    )
    evaluation = ServiceEvaluation.objects.get()
    head.post(
        url,
        {
            "form": "finding",
            "evaluation": evaluation.pk,
            "text": "Antrean pagi",
            "action": "Petugas piket",
        },
    )
    finding = Finding.objects.get()
    assert finding.owner == personas.head
    head.post(url, {"form": "done", "finding": finding.pk, "note": "Jadwal piket berjalan"})
    finding.refresh_from_db()
    assert finding.done_at is not None
    page = head.get(url).content.decode()
    assert "Jadwal piket berjalan" in page and f'id="f{evaluation.pk}-text"' in page


# ---------------------------------------------------------------- CLI and API


def test_kpi_show_lists_every_coded_kpi_of_the_unit(sops: None, personas: Personas) -> None:
    requests(personas, 2, early_this_year())
    out = io.StringIO()
    call_command("kpi", "show", "--unit", "UPT-SI", "--year", str(YEAR), "--json", stdout=out)
    rows = json.loads(out.getvalue())
    codes = [row["code"] for row in rows]
    assert codes[:2] == ["B.1.8.16.a", "B.1.8.16.b"] and "B.4.6.4.g" in codes
    assert len(codes) == 15
    first = next(row for row in rows if row["code"] == "B.4.6.4.a")
    assert (first["numerator"], first["denominator"], first["value"]) == (1, 2, 50.0)
    assert first["met"] is False and first["target"] == ">= 100%" and first["text"]
    text = io.StringIO()
    call_command("kpi", "show", "--unit", "UPT-SI", "--year", str(YEAR), stdout=text)
    assert "B.4.6.4.a" in text.getvalue() and "NOT met" in text.getvalue()


def test_kpi_evidence_lists_the_records_and_refuses_unknowns(
    sops: None, personas: Personas
) -> None:
    made = requests(personas, 3, early_this_year())
    out = io.StringIO()
    call_command(
        "kpi", "evidence", "--unit", "UPT-SI", "--year", str(YEAR), "--code", "B.4.6.4.a",
        "--json", stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert {(e["reference"], e["passed"]) for e in data["evidence"]} == {
        (t.reference, n % 2 == 0) for n, t in enumerate(made)
    }
    with pytest.raises(CommandError) as unknown_unit:
        call_command("kpi", "show", "--unit", "NOPE", "--year", str(YEAR))
    assert unknown_unit.value.returncode == 2
    with pytest.raises(CommandError) as unknown_kpi:
        call_command("kpi", "evidence", "--unit", "UPT-SI", "--year", str(YEAR), "--code", "X")
    assert unknown_kpi.value.returncode == 2


def test_the_api_gives_the_kpis_and_their_records_a_page_at_a_time(
    sops: None, personas: Personas
) -> None:
    made = requests(personas, 5, early_this_year())
    token = api_token_create(actor=None, user=personas.head)[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    rows = api.get(f"/api/v1/kpi/UPT-SI/{YEAR}").json()
    first = next(r for r in rows if r["code"] == "B.4.6.4.a")
    assert (first["numerator"], first["denominator"]) == (3, 5)
    page = api.get(f"/api/v1/kpi/UPT-SI/{YEAR}/B.4.6.4.a/evidence", {"limit": 2}).json()
    assert page["count"] == 2 and page["has_more"] is True
    rest = api.get(
        f"/api/v1/kpi/UPT-SI/{YEAR}/B.4.6.4.a/evidence", {"limit": 10, "offset": 2}
    ).json()
    listed = [e["reference"] for e in page["evidence"] + rest["evidence"]]
    assert sorted(listed) == sorted(t.reference for t in made) and rest["has_more"] is False
    assert api.get(f"/api/v1/kpi/P4M/{YEAR}").status_code == 404
    assert api.get(f"/api/v1/kpi/UPT-SI/{YEAR}/X.1/evidence").status_code == 404


def test_a_year_no_period_can_have_is_not_found(sops: None, personas: Personas) -> None:
    head = client(personas.head)
    for address in ("/kpi/UPT-SI/1999/", "/kpi/UPT-SI/99999/", "/laporan/UPT-SI/2101/"):
        assert head.get(address).status_code == 404, address
    assert head.get(f"/kpi/UPT-SI/{YEAR}/").status_code == 200
