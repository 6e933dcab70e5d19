"""One request's whole journey in real Chromium, requester and staff side by side.

The requester asks for a campus account in the portal; the UPT-SI staff member, whose
queue is already open, sees it appear without reloading, replies, works through the
SOP's steps and resolves it; the requester reads the reply and rates the service.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pintu.conftest import Personas, screenshot, sign_in
from pintu.desk.models import Step, Ticket
from pintu.identity.tests.records import master_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_service_fields(page: Any) -> None:
    """Answer every field the service declares, whatever its kind."""
    for field in page.locator("[id^=id_field_]").all():
        tag = field.evaluate("element => element.tagName")
        if tag == "SELECT":
            options = [o for o in field.locator("option").all() if o.get_attribute("value")]
            field.select_option(options[0].get_attribute("value"))
        else:
            field.fill("2211001")


def test_a_request_from_portal_to_rating(
    chromium: Any, live_server: Any, personas: Personas, sops: None
) -> None:
    staff_context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    requester_context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    staff = staff_context.new_page()
    requester = requester_context.new_page()
    for page in (staff, requester):
        page.set_default_timeout(15_000)
    master_record("2211001", name="Rina Wulandari")  # the NIM the form is given
    try:
        # The staff member's queue is open before the request exists.
        sign_in(staff, personas.staff.username)
        staff.goto(reverse("desk-queue") + "?unit=UPT-SI")
        assert Ticket.objects.count() == 0

        # The requester asks for a campus account from a phone.
        requester.set_viewport_size({"width": 390, "height": 844})
        sign_in(requester, personas.requester.username)
        requester.goto(reverse("portal-request", args=["PR.33.8", "akun-kampus"]))
        requester.fill("#id_subject", "Akun SIAKAD belum aktif")
        requester.fill("#id_body", "Saya mahasiswa baru dan belum bisa masuk SIAKAD.")
        fill_service_fields(requester)
        requester.click("button.portal-submit")
        requester.wait_for_selector(".portal-ref")
        reference = requester.inner_text(".portal-ref")
        assert "15 menit kerja" in requester.inner_text("main")
        screenshot(requester, "journey-1-confirmation")

        # It appears in the open queue without a reload (the queue polls every 10 s).
        staff.wait_for_selector(f"a.desk-ref:has-text('{reference}')", timeout=30_000)
        screenshot(staff, "journey-2-queue")

        # The staff member replies: the first response, through the portal's door.
        staff.click(f"a.desk-ref:has-text('{reference}')")
        staff.wait_for_selector(".composer-reply textarea")
        staff.fill(".composer-reply textarea", "Akun Anda sedang kami buat, mohon tunggu.")
        staff.click(".composer-reply button[type=submit]")
        staff.wait_for_selector("text=Akun Anda sedang kami buat")
        ticket = Ticket.objects.get(reference=reference)
        assert ticket.first_response_at is not None
        assert ticket.first_response_at <= ticket.first_response_due_at  # met

        # The requester sees the reply on their request page.
        requester.goto(reverse("portal-ticket", args=[reference]))
        requester.wait_for_selector("text=Akun Anda sedang kami buat")

        # The staff member works through the SOP's three steps, each the module's
        # (pintu.identity): the requester is found in the master data, the account made
        # and its one-time link sent.
        for _ in range(ticket.steps.count()):
            staff.wait_for_selector(".step-form button.primary")
            with staff.expect_navigation():
                staff.click(".step-form button.primary")
        states = set(ticket.steps.values_list("state", flat=True))
        assert states == {Step.State.DONE}
        screenshot(staff, "journey-3-ticket")

        # ... and resolves the request.
        status_form = f"form[action='{reverse('desk-ticket-status', args=[reference])}']"
        staff.select_option(f"{status_form} select", "resolved")
        staff.click(f"{status_form} button[type=submit]")
        staff.wait_for_load_state()
        ticket.refresh_from_db()
        assert ticket.status == "resolved" and ticket.resolved_at is not None

        # The rating form appears for the requester by itself; they rate the service.
        requester.wait_for_selector("#rating-panel form", timeout=20_000)
        requester.locator("#rating-panel input[name=score][value='5']").check(force=True)
        requester.fill("#rating-panel textarea", "Cepat dan jelas, terima kasih.")
        requester.click("#rating-panel button[type=submit]")
        requester.wait_for_load_state()
        ticket.refresh_from_db()
        assert (ticket.csat_score, ticket.csat_comment) == (5, "Cepat dan jelas, terima kasih.")
        screenshot(requester, "journey-4-rated")
    finally:
        staff_context.close()
        requester_context.close()
