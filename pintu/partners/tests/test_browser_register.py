"""The register in real Chromium: staff of Unit Kerjasama add a partner, draft an
agreement with it, upload its document, send it for review and record the signature,
and the agreement reads as active."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from pintu.conftest import screenshot, sign_in
from pintu.partners.models import Agreement
from pintu.partners.tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agreement_from_draft_to_active_with_its_document(page: Any, ks_staff: Any) -> None:
    sign_in(page, "staf-kerjasama")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("nav >> text=Kerjasama")
    page.click("text=Mitra >> nth=0")
    page.click("text=+ Mitra baru")
    page.fill("#id_name", "PT Sinar Batam Teknologi")
    page.select_option("#id_kind", "industry")
    page.select_option("#id_level", "national")
    page.fill("#id_city", "Batam")
    page.click("main button[type=submit]")
    page.wait_for_url("**/kerjasama/mitra/*/")
    page.click("text=Tambah kontak")
    page.fill("#id_name", "Ir. Surya Darma")
    page.fill("#id_email", "surya@sinarbatam.example")
    page.click("text=Tambahkan kontak")
    expect(page.locator("td .badge", has_text="kontak utama")).to_be_visible()

    page.click("text=+ Perjanjian baru dengan mitra ini")
    page.select_option("#id_kind", "mou")
    page.fill("#id_number", "001/PL29/KS/2026")
    page.fill("#id_title", "Kerja sama pendidikan dan magang")
    page.fill("#id_signed_on", "2026-01-05")
    page.fill("#id_starts_on", "2026-01-05")
    page.fill("#id_ends_on", "2029-01-04")
    page.check("input[name=scopes][value=education]")
    page.check("label:has-text('TRPL') >> input")
    screenshot(page, "partners-agreement-form")
    page.click("main button[type=submit]")
    page.wait_for_url("**/kerjasama/perjanjian/*/")
    assert page.locator(".badge.partners-state-draft").inner_text() == "Draf"

    page.set_input_files(
        "#id_document", files=[{"name": "mou.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.fill("#id_note", "Draf untuk tinjauan mitra")
    page.click("text=Unggah >> nth=-1")
    expect(page.locator("table.partners-versions tbody tr")).to_have_count(1)
    page.click("button.partners-move-in_review")
    expect(page.locator(".badge.partners-state-in_review")).to_be_visible()
    page.click("button.partners-move-signed")
    assert page.locator(".messages .success").inner_text() == "Perjanjian sekarang: Aktif."
    assert page.locator(".badge.partners-state-active").inner_text() == "Aktif"
    screenshot(page, "partners-agreement-active")

    agreement = Agreement.objects.get()
    assert (agreement.status, agreement.versions.get().uploaded_by.username) == (
        "signed",
        "staf-kerjasama",
    )
    page.click("nav.partners-nav >> text=Mitra")
    expect(page.locator("figure.partners-chart svg")).to_have_count(2)
    screenshot(page, "partners-list")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/kerjasama/perjanjian/{agreement.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
