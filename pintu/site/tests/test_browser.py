"""Real Chromium: sign-in with the keyboard, a missing page and the audit log, on a
phone-sized screen and on a desk."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pintu.conftest import PASSWORD, Personas, screenshot
from pintu.core.tokens import api_token_create, api_token_revoke
from pintu.desk import services as desk_services
from pintu.desk.models import Status
from pintu.org import services, twofactor
from pintu.org.models import Unit, User
from pintu.site.demo import DEMO_PASSWORD, seed_demo
from pintu.site.tests.tickets import open_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_the_keyboard_on_a_phone(page: Any, personas: Personas) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    # The skip link is hidden until the keyboard reaches it, then jumps to the content.
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["x"] < 0
    skip.focus()
    assert skip.bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.fill("#id_username", "staf-si")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk/**")  # staff land on their queue
    assert page.locator("header .who").inner_text() == "Staf-Si"
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "catalogue-phone")


def test_a_missing_page_on_a_phone_leads_home(page: Any, personas: Personas) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    page.fill("#id_username", "mahasiswa")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/layanan/")
    response = page.goto("/desk/t/SI-26-99999/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "not-found-phone")
    page.get_by_role("link", name="Ke halaman utama").click()
    page.wait_for_url("**/layanan/")


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def busy_log(sops: None, personas: Personas) -> None:
    """A page's worth of varied rows: SOP loads, a ticket's life, closures, tokens."""
    ticket = open_ticket(personas, subject="Wi-Fi lab 3 tidak tersambung")
    desk_services.ticket_assign(actor=personas.staff, ticket=ticket, assignee=personas.staff)
    desk_services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    si = Unit.objects.get(code="UPT-SI")
    closure = services.closure_add(
        actor=personas.head,
        unit=si,
        start_date=date(2026, 12, 30),
        end_date=date(2026, 12, 30),
        reason="Pemeliharaan ruang server",
    )
    services.closure_update(
        actor=personas.head,
        closure=closure,
        start_date=date(2026, 12, 30),
        end_date=date(2026, 12, 31),
        reason="Pemeliharaan ruang server dan jaringan",
    )
    token, _ = api_token_create(actor=personas.admin, user=personas.staff, name="skrip laporan")
    api_token_revoke(actor=personas.admin, token=token)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_the_audit_log_reads_on_a_phone_and_on_a_desk(
    page: Any, busy_log: None, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "auditor")
    page.goto("/audit/")
    entries = page.locator(".audit-table tbody tr")
    assert entries.count() == 25
    # Nothing wider than the screen: no clipped columns, no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    header_shown = page.locator(".audit-table thead").bounding_box()["height"] > 1
    assert header_shown == (width > 768)  # a table on a desk, cards on a phone
    if width < 768:  # a page of cards stays a page (it used to be 16,000 px of table)
        assert page.evaluate("document.documentElement.scrollHeight") < 7000
    first = entries.first.inner_text()
    assert "WIB" in first and "API" in first
    screenshot(page, f"audit-log-{width}")
    # Filter by action: the rows and the address say so, and the export links follow.
    page.select_option("#id_action", label="Penutupan diubah")
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url("**/audit/?*action=closure.update*")
    assert entries.count() == 1
    assert "sampai (termasuk): 30 Des 2026 → 31 Des 2026" in entries.first.inner_text()
    csv_link = page.get_by_role("link", name="CSV").get_attribute("href")
    assert "action=closure.update" in csv_link
    screenshot(page, f"audit-log-{width}-filtered")


def test_staf_si_opens_a_demo_queue_with_requests_in_every_state(page: Any, sops: None) -> None:
    """What a newcomer sees after `make run`: staf-si signs in with the demo's
    authenticator code, and the queue holds new, open and waiting requests, on track, at
    risk and breached (a week of the demo year, for speed)."""
    seed_demo(days=7)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/login/")
    page.fill("#id_username", "staf-si")
    page.fill("#id_password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/kode/**")
    code = twofactor.demo_code(User.objects.get(username="staf-si"))
    assert code is not None
    page.fill("#id_code", code)
    page.click("main button.primary")
    page.wait_for_url("**/desk/**")
    rows = page.locator("#queue-rows tr")
    assert rows.count() >= 9
    statuses = set(page.locator("#queue-rows .badge.status").all_inner_texts())
    assert statuses >= {"Baru", "Dibuka", "Menunggu pemohon", "Menunggu pihak ketiga"}
    classes = {rows.nth(n).get_attribute("class") for n in range(rows.count())}
    assert {"sla-row-on_track", "sla-row-at_risk", "sla-row-breached"} <= classes
    assert {"Portal web", "E-mail", "WhatsApp", "Datang langsung", "Telepon"} <= set(
        page.locator("#queue-rows .badge.door").all_inner_texts()
    )
    screenshot(page, "demo-queue-staf-si")
