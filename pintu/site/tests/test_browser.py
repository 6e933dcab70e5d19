"""Real Chromium: the sign-in page works with the keyboard and on a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest

from pintu.conftest import PASSWORD, Personas, screenshot

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
