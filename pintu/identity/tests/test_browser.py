"""A new campus account in real Chromium against a real slapd: a student asks in the
portal on a phone; UPT-SI staff take the request through PR.33.8's three steps in the
ticket page (each with its timer), the directory gets the entry; the one-time link
reaches the student in their request's conversation, opens with the code sent to their
registered e-mail, and takes their own password; their first sign-in to the directory
resolves the request."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pintu.conftest import Personas, screenshot, sign_in
from pintu.desk.models import Status, Step, Ticket
from pintu.doors.tests.slapd_peer import BASE_DN, SlapdPeer
from pintu.identity.models import CampusAccount, Handover, HandoverView
from pintu.identity.tasks import first_sign_ins
from pintu.identity.tests.records import master_record
from pintu.outbox.delivery import deliver_due
from pintu.outbox.models import OutboxItem, of_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD_CHOSEN = "Kampus-Baru-2026!"


def deliver() -> None:
    deliver_due(timezone.now() + timedelta(seconds=1))


def test_a_new_account_from_the_portal_to_the_first_sign_in(
    chromium: Any, live_server: Any, directory: SlapdPeer, sops: None, personas: Personas
) -> None:
    master_record("4321250001", name="Siti Aminah", email="siti@mahasiswa.test")
    contexts = [chromium.new_context(base_url=live_server.url, locale="id-ID") for _ in "abc"]
    portal, desk, link = (context.new_page() for context in contexts)
    for page in (portal, desk, link):
        page.set_default_timeout(20_000)
    try:
        # The student asks from a phone.
        portal.set_viewport_size({"width": 390, "height": 844})
        sign_in(portal, personas.requester.username)
        portal.goto(reverse("portal-request", args=["PR.33.8", "akun-kampus"]))
        portal.fill("#id_subject", "Akun kampus mahasiswa baru")
        portal.fill("#id_body", "Saya mahasiswa baru TRPL dan belum punya akun kampus.")
        portal.fill("#id_field_nomor_induk", "4321 250001")
        portal.select_option("#id_field_status", "Mahasiswa")
        portal.fill("#id_field_sistem", "SIAKAD")
        portal.click("button.portal-submit")
        portal.wait_for_selector(".portal-ref")
        ticket = Ticket.objects.get()

        # Staff: the step in progress has its timer; the requester is found.
        sign_in(desk, personas.staff.username)
        desk.set_viewport_size({"width": 1280, "height": 900})
        desk.goto(f"/desk/t/{ticket.reference}/")
        assert desk.locator("table.desk-steps tr.step-active time.timer").count() == 1
        record = desk.inner_text("dl.identity-record")
        assert "Siti Aminah" in record and "siti@mahasiswa.test" in record
        screenshot(desk, "identity-step-identify")
        with desk.expect_navigation():
            desk.click("form.step-form button.primary")
        # Step 2: the account the pattern gives, made in the directory by the worker.
        assert "siti.aminah" in desk.inner_text("form.step-form")
        with desk.expect_navigation():
            desk.click("form.step-form button.primary")
        deliver()
        entry = directory.entry(f"uid=siti.aminah,ou=people,{BASE_DN}")
        assert entry is not None and "userPassword" not in entry
        # Step 3: the link goes back the way the request came (the portal).
        assert desk.locator("#id_action-send_link").is_checked()
        with desk.expect_navigation():
            desk.click("form.step-form button.primary")
        steps = list(ticket.steps.order_by("position"))
        assert [s.state for s in steps] == [Step.State.DONE] * 3
        assert all(s.started_at and s.finished_at for s in steps)
        assert desk.locator("table.desk-steps tr.step-done").count() == 3
        screenshot(desk, "identity-steps-done")

        # The student reads the link in their request and opens it (no Pintu login needed).
        portal.goto(reverse("portal-ticket", args=[ticket.reference]))
        text = portal.inner_text("main")
        assert "siti.aminah" in text
        found = re.search(r"https?://\S+/akun/\S+/", text)
        assert found, text
        path = "/" + found.group(0).split("/", 3)[3]
        link.set_viewport_size({"width": 390, "height": 844})
        link.goto(path)
        assert link.inner_text(".identity-username") == "siti.aminah"
        assert "s***@mahasiswa.test" in link.inner_text("main")
        screenshot(link, "identity-link-phone")
        with link.expect_navigation():
            link.click("form:has(input[name=step][value=send]) button")
        handover = Handover.objects.get()
        mail = OutboxItem.objects.filter(of_source(handover), transport="email").get()
        assert mail.recipient == "siti@mahasiswa.test"
        code = re.search(r"\b([0-9]{6})\b", mail.body_text)
        assert code
        link.fill("form.identity-code input[name=code]", code.group(1))
        with link.expect_navigation():
            link.click("form.identity-code button")
        link.fill("form.identity-password input[name=password]", PASSWORD_CHOSEN)
        link.fill("form.identity-password input[name=again]", PASSWORD_CHOSEN)
        screenshot(link, "identity-link-password")
        with link.expect_navigation():
            link.click("form.identity-password button")
        expect(link.locator(".messages .success")).to_be_visible()
        assert link.evaluate("document.documentElement.scrollWidth") <= 390
        deliver()
        account = CampusAccount.objects.get()
        assert account.state == "active"

        # Opened once: the same link again is refused, and every look was recorded.
        link.goto(path)
        assert link.locator(".banner-warning[role=alert]").is_visible()
        views = list(HandoverView.objects.values_list("what", flat=True))
        assert views == ["opened", "code_sent", "unlocked", "password_set", "refused"]

        # The student signs in (SIAKAD's login binds to the directory): the request is done.
        ticket.refresh_from_db()
        assert ticket.status != Status.RESOLVED
        assert directory.bind_as("siti.aminah", PASSWORD_CHOSEN)
        assert first_sign_ins.call() == 1
        ticket.refresh_from_db()
        account.refresh_from_db()
        assert ticket.status == Status.RESOLVED and account.first_sign_in_at is not None
        desk.goto(f"/desk/t/{ticket.reference}/")
        assert "siti.aminah" in desk.inner_text(".ticket-thread, main")
        screenshot(desk, "identity-resolved")
        desk.goto(reverse("identity-accounts"))
        row = desk.locator("table.identity-accounts tbody tr").first
        assert "siti.aminah" in row.inner_text() and ticket.reference in row.inner_text()
        screenshot(desk, "identity-accounts")
        desk.set_viewport_size({"width": 390, "height": 844})
        assert desk.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(desk, "identity-accounts-phone")
    finally:
        for context in contexts:
            context.close()
