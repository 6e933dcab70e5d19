"""The register's step in real Chromium: staff of the academic administration take an
account request through its SOP steps and enter the account at the step that says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import PASSWORD, make_user, screenshot, service, sign_in
from pintu.desk import services
from pintu.desk.models import Door, Step, Ticket
from pintu.org.models import Role
from pintu.vault.models import DigitalAccount, Reveal
from pintu.vault.steps import SOP
from pintu.vault.tests.helpers import KEY, SECRET, entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_enter_the_account_at_its_step_and_find_it_in_the_register(
    page: Any, sops: None, settings: Any
) -> None:
    settings.PINTU_VAULT_KEY = KEY
    staff = make_user("staf-baa", Role.STAFF, "BAA")
    ticket = services.ticket_create(
        actor=None,
        service_type=service(SOP, "pendaftaran-akun"),
        requester=services.ContactDetails(name="Taruna A", phone="6281200000009"),
        opening=services.Opening(subject="Akun Zoom prodi", body="Mohon dicatat di daftar."),
        door=Door.WHATSAPP,
        fields={"layanan": "Zoom", "akun": "prodi-trpl@poltek.ac.id"},
    ).ticket
    sign_in(page, "staf-baa")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/desk/t/{ticket.reference}/")
    # The step in progress has a live timer against its Mutu Baku.
    assert page.locator("table.desk-steps tr.step-active time.timer").count() == 1
    # The two steps before it are the desk's own: done with their output.
    for _ in range(2):
        page.click("form.step-form button[type=submit]")
        page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    reply_step = page.locator("table.desk-steps tr.step-done").nth(2)
    assert "15 menit" in reply_step.inner_text() and "sesuai standar" in reply_step.inner_text()
    form = page.locator("form.step-form")
    assert form.locator("fieldset.step-action").is_visible()
    assert page.input_value("#id_action-service") == "Zoom"  # from the request
    page.fill("#id_action-notes", "Dipakai kuliah daring prodi TRPL")
    page.fill("#id_action-credential", "Zoom-Prodi-2026!")
    page.select_option("#id_action-classification", "restricted")
    screenshot(page, "vault-step-form")
    form.locator("button[type=submit]", has_text="Catat di daftar").click()
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    assert page.locator(".messages .success").is_visible()
    entry = DigitalAccount.objects.get()
    assert (entry.account, entry.registered_by) == ("prodi-trpl@poltek.ac.id", staff)
    assert entry.classification == "restricted" and "Zoom-Prodi-2026!" not in entry.credential
    assert page.locator("tr.step-done").last.locator(".badge.within").is_visible()
    assert ticket.steps.get(activity__key="a4-catat-akun").state == Step.State.DONE
    assert page.locator("text=dicatat di daftar akun").first.is_visible()
    page.goto("/akun-digital/")
    row = page.locator("table.vault-register tbody tr").first
    assert "prodi-trpl@poltek.ac.id" in row.inner_text() and ticket.reference in row.inner_text()
    screenshot(page, "vault-register")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_flow_b_from_the_question_to_the_grantee_seeing_the_credential(
    chromium: Any, live_server: Any, sops: None, settings: Any
) -> None:
    """A lecturer asks for access in the portal; the person in charge asks what for
    (the request waits on the lecturer), the lecturer answers, the person in charge
    records the answer, classifies the request, grants access until a day; the
    lecturer opens My access, enters their password and sees the credential, once."""
    settings.PINTU_VAULT_KEY = KEY
    staff = make_user("staf-baa", Role.STAFF, "BAA")
    lecturer = make_user("dosen", Role.REQUESTER, "TRPL")
    entry(staff)  # Zoom, with its credential
    contexts = [chromium.new_context(base_url=live_server.url, locale="id-ID") for _ in "ab"]
    desk_page, portal = (context.new_page() for context in contexts)
    try:
        sign_in(portal, "dosen")
        portal.goto(reverse("portal-request", args=[SOP, "pemberian-akses"]))
        portal.fill("#id_subject", "Akses Zoom untuk kuliah daring")
        portal.fill("#id_body", "Mohon akses akun Zoom prodi.")
        portal.fill("#id_field_akun", "Zoom")
        portal.fill("#id_field_keperluan", "Kuliah daring Basis Data")
        portal.click("button.portal-submit")
        portal.wait_for_selector(".portal-ref")
        ticket = Ticket.objects.get()

        sign_in(desk_page, "staf-baa")
        desk_page.goto(f"/desk/t/{ticket.reference}/")
        # b2: the person in charge asks; the request waits for the lecturer (off the clock).
        desk_page.fill("#reply-body", "Untuk mata kuliah apa dan sampai kapan?")
        desk_page.select_option("#reply-status", "waiting_requester")
        desk_page.click("form.composer-reply button[type=submit]")
        desk_page.wait_for_url(f"**/desk/t/{ticket.reference}/")
        desk_page.click("form.step-form button[type=submit]")  # b2 done
        desk_page.wait_for_url(f"**/desk/t/{ticket.reference}/")
        ticket.refresh_from_db()
        assert ticket.status == "waiting_requester"

        portal.goto(reverse("portal-ticket", args=[ticket.reference]))
        portal.fill("#id_body", "Basis Data, sampai akhir semester. Saya jaga kerahasiaannya.")
        portal.click("form.portal-form button[type=submit]")
        portal.wait_for_url(f"**{ticket.reference}**")
        ticket.refresh_from_db()
        assert ticket.status == "open" and ticket.pauses.count() == 1

        # b3, b4: the lecturer's own steps, recorded by the person in charge.
        desk_page.goto(f"/desk/t/{ticket.reference}/")
        for _ in range(2):
            desk_page.click("form.step-form button[type=submit]")
            desk_page.wait_for_url(f"**/desk/t/{ticket.reference}/")
        # b5: classified, with the branch "access granted".
        form = desk_page.locator("form.step-form")
        assert form.locator("fieldset.step-action legend").inner_text() == "Klasifikasi permohonan"
        assert form.locator("input[name=action-accounts]").first.is_checked()  # from "Zoom"
        form.locator("input[value=b6-akses-diberikan]").check()
        form.locator("button[type=submit]", has_text="Catat klasifikasi").click()
        desk_page.wait_for_url(f"**/desk/t/{ticket.reference}/")
        # b6: until a day, for the lecturer.
        form = desk_page.locator("form.step-form")
        assert "Untuk Dosen" in form.inner_text()
        until = timezone.localdate() + timedelta(days=14)
        form.locator("#id_action-until").fill(until.isoformat())
        screenshot(desk_page, "vault-flow-b-grant")
        form.locator("button[type=submit]", has_text="Berikan akses").click()
        desk_page.wait_for_url(f"**/desk/t/{ticket.reference}/")
        steps = {s.activity.key: s for s in ticket.steps.select_related("activity")}
        assert steps["b6-akses-diberikan"].state == Step.State.DONE
        assert steps["b7-akses-ditolak"].state == Step.State.SKIPPED
        # The office's timed steps met their 15 minutes; the lecturer's own (b3, b4) are
        # their time and are not timed.
        timed = [s for s in steps.values() if s.within_standard is not None]
        assert {s.activity.key for s in timed} == {"b5-klasifikasi", "b6-akses-diberikan"}
        assert all(s.within_standard for s in timed)
        assert desk_page.locator("tr.step-done .badge.within").count() == 2
        screenshot(desk_page, "vault-flow-b-steps")

        # The lecturer reads the grant in the conversation and sees the credential.
        portal.goto(reverse("portal-ticket", args=[ticket.reference]))
        assert "/akun-digital/akses/" in portal.inner_text("main")
        portal.goto(reverse("vault-my-access"))
        assert SECRET not in portal.content()
        portal.fill("input[type=password]", PASSWORD)
        portal.click("form.vault-reveal-form button[type=submit]")
        portal.wait_for_selector("code.vault-credential")
        assert portal.inner_text("code.vault-credential") == SECRET
        screenshot(portal, "vault-reveal")
        assert Reveal.objects.get().person == lecturer
        portal.set_viewport_size({"width": 390, "height": 844})
        assert portal.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        for context in contexts:
            context.close()
