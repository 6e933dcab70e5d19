"""An activity in real Chromium: a lecturer asks Unit Kerjasama for a guest lecture with a
partner; staff take the request through PR.KS's four steps in its step panel (plan,
coordination, execution, archived report with its files) and find it archived."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pintu.conftest import make_user, screenshot, service, sign_in
from pintu.desk import services as desk
from pintu.org.models import Role
from pintu.partners.models import Activity
from pintu.partners.tests.conftest import PDF, partner_made

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_activity_through_its_four_steps_with_its_report(
    page: Any, sops: None, ks_staff: Any
) -> None:
    partner_made(ks_staff)
    lecturer = make_user("dosen", Role.REQUESTER, "RKS")
    ticket = desk.ticket_create(
        actor=lecturer,
        service_type=service("PR.KS", "kegiatan-kerjasama"),
        requester=lecturer,
        opening=desk.Opening(subject="Kuliah tamu keamanan siber", body="Untuk semester ini."),
        fields={
            "mitra": "PT Sinar Batam Teknologi",
            "unit_kerja": "RKS",
            "uraian": "Kuliah tamu tentang keamanan jaringan industri.",
        },
    ).ticket
    sign_in(page, "staf-kerjasama")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/desk/t/{ticket.reference}/")
    form = page.locator("form.step-form")
    assert form.locator("legend", has_text="Rencana kegiatan").is_visible()
    assert (
        page.locator("#id_action-partner option:checked").inner_text() == "PT Sinar Batam Teknologi"
    )
    assert page.locator("label:has-text('RKS') >> input").is_checked()
    page.fill("#id_action-meetings", "Rapat persiapan daring dengan narasumber")
    screenshot(page, "partners-step-plan")
    form.locator("button[type=submit]", has_text="Simpan rencana").click()
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    assert page.locator(".messages .success").is_visible()
    assert page.locator("text=Rencana kegiatan: Kuliah tamu keamanan siber").first.is_visible()

    page.fill("#id_action-partner_notes", "Narasumber Ir. Surya Darma, materi dikirim H-3")
    page.fill("#id_action-unit_notes", "Prodi RKS menyiapkan ruang dan peserta")
    page.click("form.step-form button[type=submit]")
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")

    today = timezone.localdate()
    page.select_option("#id_action-kind", "guest_lecture")
    page.fill("#id_action-held_on", (today - timedelta(days=1)).isoformat())
    page.fill("#id_action-place", "Auditorium Gedung Utama")
    page.fill("#id_action-attendees", "Mahasiswa RKS semester 4; Ir. Surya Darma (mitra)")
    page.fill("#id_action-attendee_count", "80")
    page.fill("#id_action-outputs", "Materi kuliah; tawaran magang untuk 5 mahasiswa")
    screenshot(page, "partners-step-execution")
    page.click("form.step-form button[type=submit]")
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")

    page.set_input_files(
        "#id_action-files",
        files=[
            {"name": "notulen.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "daftar-hadir.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ],
    )
    page.click("form.step-form button[type=submit]")
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    assert page.locator("text=Laporan diarsipkan dengan 2 berkas.").first.is_visible()
    screenshot(page, "partners-activity-steps-done")

    activity = Activity.objects.get(ticket=ticket)
    assert activity.archived_at is not None and activity.files.count() == 2
    page.goto(f"/kerjasama/kegiatan/{activity.pk}/")
    assert page.locator(".badge.partners-stage-archived").inner_text() == "Laporan diarsipkan"
    assert page.locator("ul.attachments li").count() == 2
    screenshot(page, "partners-activity")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
