"""Real Chromium: a staff member finds a KPI and the flow diagram of PR.33.8; a diagram
wider than a phone says that it scrolls and fits to the width on request."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from pintu.conftest import PASSWORD, Personas, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SDM = "/sop/SDM.5.OT.02.02-5068/"


def overflow(scroller: Any) -> int:
    """How many CSS pixels of the diagram lie beyond its box."""
    return int(scroller.evaluate("element => element.scrollWidth - element.clientWidth"))


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


def test_a_wide_diagram_on_a_phone_says_it_scrolls_and_fits_on_request(
    page: Any, personas: Personas, sops: None
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, personas.staff.username)
    page.goto(SDM)
    figure = page.locator("#flow-b .flow-figure")
    scroller = figure.locator(".flow-scroll")
    hint = figure.locator(".flow-hint")
    fit = figure.get_by_role("button", name="Sesuaikan dengan lebar layar")
    figure.scroll_into_view_if_needed()
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("geser ke samping")
    expect(fit).to_have_attribute("aria-pressed", "false")
    assert overflow(scroller) > 1000  # flow b is drawn some 1,900 pixels wide
    # The edge that hides the rest of the diagram is shaded, and only that one.
    expect(figure).to_have_class(re.compile(r"\bmore-right\b"))
    expect(figure).not_to_have_class(re.compile(r"\bmore-left\b"))
    screenshot(page, "sop-wide-flow-phone")

    scroller.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    expect(figure).to_have_class(re.compile(r"\bmore-left\b"))
    expect(figure).not_to_have_class(re.compile(r"\bmore-right\b"))

    fit.click()
    expect(fit).to_have_attribute("aria-pressed", "true")
    expect(hint).to_be_hidden()
    assert overflow(scroller) <= 1
    box, drawing = scroller.bounding_box(), scroller.locator("svg").bounding_box()
    assert drawing["width"] <= box["width"] + 1
    screenshot(page, "sop-wide-flow-phone-fitted")

    fit.click()
    expect(fit).to_have_attribute("aria-pressed", "false")
    expect(hint).to_be_visible()
    assert overflow(scroller) > 1000


def test_a_diagram_that_fits_shows_no_scroll_hint(
    page: Any, personas: Personas, sops: None
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, personas.staff.username)
    page.goto("/sop/PR.13.2/")
    figure = page.locator("#flow-a .flow-figure")
    assert overflow(figure.locator(".flow-scroll")) <= 1
    expect(figure.locator(".flow-tools")).to_be_hidden()
    expect(figure).not_to_have_class(re.compile(r"\bis-scrollable\b"))


def test_without_javascript_a_wide_diagram_still_scrolls(
    chromium: Any, live_server: Any, personas: Personas, sops: None
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, locale="id-ID", java_script_enabled=False, viewport=PHONE
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, personas.staff.username)
        page.goto(SDM)
        figure = page.locator("#flow-b .flow-figure")
        scroller = figure.locator(".flow-scroll")
        # No hint and no button that nothing would run.
        expect(figure.locator(".flow-tools")).to_be_hidden()
        assert scroller.evaluate("element => getComputedStyle(element).overflowX") == "auto"
        assert overflow(scroller) > 1000
        assert scroller.get_attribute("tabindex") == "0"  # the keyboard scrolls it too
    finally:
        context.close()
