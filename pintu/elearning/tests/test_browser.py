"""PR.13.2 in real Chromium, against the local Moodle: a lecturer asks in the portal for a
course to be renamed; P4M reviews it, approves the change at its step, the worker applies
it on Moodle, and the ticket shows the course before and after. An announcement approved
for two courses waits for its publish time, then appears in both courses' news forums."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, screenshot, sign_in
from pintu.desk.models import Status, Ticket
from pintu.elearning import services
from pintu.elearning.tests.conftest import deliver, file_request
from pintu.elearning.tests.moodle_server import TOKEN, MoodleState
from pintu.outbox.delivery import deliver_due

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_course_change_from_request_to_moodle_with_before_and_after_on_the_ticket(
    chromium: Any, live_server: Any, personas: Personas, sops: None, moodle: MoodleState
) -> None:
    site, _ = services.site_add(actor=None, name="kampus", url=moodle.url, token=TOKEN)
    services.site_sync(site=site, now=timezone.now())
    lecturer_context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    staff_context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    lecturer, staff = lecturer_context.new_page(), staff_context.new_page()
    for page in (lecturer, staff):
        page.set_default_timeout(15_000)
    try:
        sign_in(lecturer, personas.requester.username)
        lecturer.goto(reverse("portal-request", args=["PR.13.2", "perubahan-data-mata-kuliah"]))
        lecturer.fill("#id_subject", "Nama mata kuliah IF201 sesuai kurikulum baru")
        lecturer.fill("#id_body", "Mohon nama mata kuliah Basis Data diubah.")
        lecturer.fill("#id_field_kode_mata_kuliah", "IF201")
        lecturer.fill("#id_field_nama_mata_kuliah", "Basis Data")
        lecturer.select_option("#id_field_data", "Nama lengkap mata kuliah")
        lecturer.fill("#id_field_nilai_lama", "Basis Data")
        lecturer.fill("#id_field_nilai_baru", "Basis Data Lanjut")
        lecturer.fill("#id_field_alasan", "Kurikulum 2026")
        lecturer.click("button.portal-submit")
        lecturer.wait_for_selector(".portal-ref")
        reference = lecturer.inner_text(".portal-ref")

        sign_in(staff, personas.other_staff.username)
        staff.set_viewport_size({"width": 1280, "height": 900})
        staff.goto(reverse("desk-ticket", args=[reference]))
        staff.get_by_label("Perubahan disetujui").check()
        staff.click("form.step-form button[type=submit]")
        staff.wait_for_selector("fieldset.elearning-change")
        # The panel shows the course as Moodle holds it and the change the request asks.
        current = staff.inner_text("table.elearning-current")
        assert "Basis Data" in current and "IF201" in current
        assert staff.input_value("#id_action-course") == "IF201"
        assert staff.input_value("#id_action-fullname") == "Basis Data Lanjut"
        screenshot(staff, "elearning-course-change-step")
        staff.click("form.step-form button:has-text('Setujui dan terapkan di Moodle')")
        staff.wait_for_selector(".messages .success")
        assert moodle.courses[next(iter(c for c in moodle.courses if c != 1))]["fullname"] == (
            "Basis Data"
        )  # the worker has not run yet

        assert deliver() == 1  # the worker
        staff.goto(reverse("desk-ticket", args=[reference]))
        conversation = staff.inner_text("main")
        assert "Nama lengkap: Basis Data → Basis Data Lanjut" in conversation
        assert Ticket.objects.get(reference=reference).status == Status.RESOLVED
        screenshot(staff, "elearning-course-change-done")

        staff.goto(reverse("elearning-changes"))
        row = staff.locator("table.elearning-changes tbody tr").first
        assert reference in row.inner_text() and "selesai" in row.inner_text()

        lecturer.goto(reverse("portal-ticket", args=[reference]))
        lecturer.wait_for_selector("text=Basis Data → Basis Data Lanjut")
    finally:
        lecturer_context.close()
        staff_context.close()


def test_an_announcement_scheduled_and_posted_to_two_courses(
    page: Any, personas: Personas, sops: None, moodle: MoodleState
) -> None:
    site, _ = services.site_add(actor=None, name="kampus", url=moodle.url, token=TOKEN)
    services.site_sync(site=site, now=timezone.now())
    ticket = file_request(
        "publikasi-pengumuman",
        {
            "judul": "Kuliah pengganti Basis Data",
            "isi": "Kuliah diganti hari Kamis pukul 13.00 WIB.",
            "mata_kuliah": "IF201",
            "tanggal_tayang": "",
        },
        subject="Pengumuman kuliah pengganti",
    )
    sign_in(page, personas.other_staff.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("desk-ticket", args=[ticket.reference]))
    page.get_by_label("Pengumuman disetujui").check()
    page.click("form.step-form button[type=submit]")
    page.wait_for_selector("fieldset.elearning-announcement")
    assert page.input_value("#id_action-title") == "Kuliah pengganti Basis Data"
    assert page.input_value("#id_action-courses") == "IF201"
    page.fill("#id_action-courses", "IF201, IF202")
    at = timezone.localtime(timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    page.fill("#id_action-publish_at", at.strftime("%Y-%m-%dT%H:%M"))
    screenshot(page, "elearning-announcement-step")
    page.click("form.step-form button:has-text('Setujui dan jadwalkan')")
    page.wait_for_selector(".messages .success")

    page.goto(reverse("elearning-announcements"))
    rows = page.locator("table.elearning-targets tbody tr")
    assert rows.count() == 2 and page.locator("text=terjadwal").count() == 2
    assert services.announcements_due(now=at + timedelta(seconds=5)) == 2  # the worker's minute
    assert deliver_due(at + timedelta(minutes=1)) == 2
    page.reload()
    assert page.locator("table.elearning-targets .badge.within").count() == 2
    screenshot(page, "elearning-announcements")
    for shortname in ("IF201", "IF202"):
        course = next(c for c in moodle.courses.values() if c["shortname"] == shortname)
        (post,) = moodle.news_posts(course["id"])
        assert post["subject"] == "Kuliah pengganti Basis Data"
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED
