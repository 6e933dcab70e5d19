"""PR.13.2 in real Chromium, against the local Moodle: a lecturer asks in the portal for a
course to be renamed; P4M reviews it, approves the change at its step, the worker applies
it on Moodle, and the ticket shows the course before and after."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, screenshot, sign_in
from pintu.desk.models import Status, Ticket
from pintu.elearning import services
from pintu.elearning.tests.conftest import deliver
from pintu.elearning.tests.moodle_server import TOKEN, MoodleState

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
