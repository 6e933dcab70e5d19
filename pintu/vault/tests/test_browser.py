"""The register's step in real Chromium: staff of the academic administration take an
account request through its SOP steps and enter the account at the step that says so."""

from __future__ import annotations

from typing import Any

import pytest

from pintu.conftest import make_user, screenshot, service, sign_in
from pintu.desk import services
from pintu.desk.models import Door, Step
from pintu.org.models import Role
from pintu.vault.models import DigitalAccount
from pintu.vault.steps import SOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_enter_the_account_at_its_step_and_find_it_in_the_register(
    page: Any, sops: None
) -> None:
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
    # The two steps before it are the desk's own: done with their output.
    for _ in range(2):
        page.click("form.step-form button[type=submit]")
        page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    form = page.locator("form.step-form")
    assert form.locator("fieldset.step-action").is_visible()
    assert page.input_value("#id_action-service") == "Zoom"  # from the request
    page.fill("#id_action-notes", "Dipakai kuliah daring prodi TRPL")
    screenshot(page, "vault-step-form")
    form.locator("button[type=submit]", has_text="Catat di daftar").click()
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    assert page.locator(".messages .success").is_visible()
    entry = DigitalAccount.objects.get()
    assert (entry.account, entry.registered_by) == ("prodi-trpl@poltek.ac.id", staff)
    assert ticket.steps.get(activity__key="a4-catat-akun").state == Step.State.DONE
    assert page.locator("text=dicatat di daftar akun").first.is_visible()
    page.goto("/akun-digital/")
    row = page.locator("table.vault-register tbody tr").first
    assert "prodi-trpl@poltek.ac.id" in row.inner_text() and ticket.reference in row.inner_text()
    screenshot(page, "vault-register")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
