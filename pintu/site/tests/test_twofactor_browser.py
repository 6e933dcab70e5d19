"""Real Chromium: a staff member's first sign-in sets up the authenticator from the
page's key, shows the recovery codes once, and reaches the queue; the next sign-in asks
for the code."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pintu.conftest import PASSWORD, Personas, next_app_code, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.two_factor]


def code_from(key_text: str) -> str:
    """The code an app shows now for the key on the page."""
    key = key_text.replace(" ", "")
    return f"{TOTP(b32decode(key + '=' * (-len(key) % 8))).token():06d}"


def test_first_sign_in_sets_up_the_app_and_the_next_asks_for_its_code(
    page: Any, personas: Personas
) -> None:
    sign_in(page, "staf-si")
    page.goto("/desk/")
    assert "/keamanan/" in page.url
    key = page.get_by_test_id("totp-key").inner_text()
    assert page.locator("figure.qr svg").count() == 1
    screenshot(page, "twofactor-setup")
    page.fill("#id_code", code_from(key))
    page.click("main button.primary")
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "twofactor-recovery-codes")
    page.get_by_role("link", name="Lanjutkan").click()
    page.wait_for_url("**/desk/")

    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", "staf-si")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/kode/**")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "twofactor-code-phone")
    device = TOTPDevice.objects.get(user=personas.staff, confirmed=True)
    page.fill("#id_code", next_app_code(device))
    page.click("main button.primary")
    # The code accepted, staff land on their queue ("**/" matched the code page too).
    page.wait_for_url("**/desk/")
    assert "/login/" not in page.url
