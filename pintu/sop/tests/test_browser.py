"""Real Chromium: a staff member finds a KPI and the flow diagram of PR.33.8."""

from __future__ import annotations

from typing import Any

import pytest

from pintu.conftest import PASSWORD, Personas, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_finds_kpi_and_flow_diagram_of_pr_33_8(
    page: Any, personas: Personas, sops: None
) -> None:
    page.goto("/login/")
    page.fill("#id_username", personas.staff.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/**")  # staff land on their queue
    page.get_by_role("link", name="Katalog SOP").click()
    page.wait_for_url("**/sop/")
    assert page.locator("h1").first.inner_text() == "Katalog SOP"
    page.get_by_role("link", name="PR.33.8").first.click()
    page.wait_for_url("**/sop/PR.33.8/")
    kpi = page.locator('[id="B.4.6.4.a"]')
    kpi.scroll_into_view_if_needed()
    assert kpi.is_visible()
    assert "15 menit" in page.locator("#kpi").inner_text()
    diagram = page.locator("#flow-diagram svg").first
    assert diagram.is_visible()
    assert diagram.get_attribute("role") == "img"
    # One lane per actor, one box per activity of the account-request flow.
    assert "Staf UPT-SI" in diagram.text_content()
    assert "Distribusi akun baru" in diagram.text_content()
    screenshot(page, "sop-pr-33-8")
