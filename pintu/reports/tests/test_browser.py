"""The unit head's year in real Chromium: from the dashboard to the failing requests
behind a KPI, an analysis point and a follow-up action written in the report's page,
the LED written by the worker while its bar moves, and the file downloaded."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pintu.conftest import Personas, screenshot, sign_in
from pintu.kpi.tests.test_pages import early_this_year, requests
from pintu.reports.models import AnalysisPoint, FollowUp, ReportVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year


def test_a_head_goes_from_the_dashboard_to_the_led_download(
    page: Any, personas: Personas, sops: None, tmp_path: Any
) -> None:
    made = requests(personas, 4, early_this_year())
    for ticket in made:
        ticket.refresh_from_db()
    late = {
        t.reference
        for t in made
        if (t.first_response_at or t.received_at) > t.first_response_due_at
    }
    sign_in(page, personas.head.username)

    # The dashboard, then the KPI of first response, then only its failing requests.
    page.click("nav >> text=KPI")
    page.wait_for_url(f"**{reverse('kpi-unit', args=['UPT-SI', YEAR])}")
    page.click("a:text-is('B.4.6.4.a')")
    page.click(".pager >> text=gagal")
    rows = page.locator(".kpi-evidence tbody th").all_inner_texts()
    assert set(rows) == late and len(late) == 2

    # The report's page from the menu: an analysis point supported by that figure.
    page.click("nav >> text=Laporan")
    page.wait_for_url(f"**{reverse('reports-unit', args=['UPT-SI', YEAR])}")
    page.click("text=Tulis butir analisis")
    page.select_option("#id_kind", "weakness")
    page.fill("#id_text", "Separuh balasan pertama terlambat.")
    page.check("label.report-figure:has-text('B.4.6.4.a') input")
    page.click("text=Simpan butir")
    expect(page.locator(".report-point").filter(has_text="Separuh balasan")).to_have_count(1)
    assert "50,0% (2/4)" in page.locator(".report-figures").inner_text()

    # A follow-up action that answers it.
    page.click("text=Tambah tindak lanjut")
    page.fill("#id_action", "Piket balasan pertama tiap pagi")
    page.fill("#id_owner", "Subkoordinator layanan")
    page.fill("#id_due", f"{YEAR}-12-31")
    page.select_option("#id_point", label="Separuh balasan pertama terlambat.")
    page.click("text=Masukkan ke rencana")
    expect(page.locator("#plan").filter(has_text="Piket balasan pertama")).to_have_count(1)
    point = AnalysisPoint.objects.get()
    assert FollowUp.objects.get().point == point

    # The LED as PDF: the worker writes it while the page follows its bar.
    page.click(".report-generate button[value=pdf]")
    expect(page.locator("progress")).to_have_count(1)
    screenshot(page, "report-generating")
    worker = threading.Thread(target=call_command, args=("worker", "--batch"))
    worker.start()
    worker.join(timeout=120)
    download_link = page.locator("a:text-is('Unduh')")
    download_link.wait_for(timeout=60_000)
    screenshot(page, "report-ready")
    with page.expect_download() as caught:
        download_link.click()
    target = tmp_path / caught.value.suggested_filename
    caught.value.save_as(target)
    assert target.name == f"LED-UPT-SI-{YEAR}-v1.pdf"
    assert target.read_bytes().startswith(b"%PDF")
    assert ReportVersion.objects.get().status == "done"
