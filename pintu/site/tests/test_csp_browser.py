"""Real Chromium under the Content-Security-Policy: the pages with scripts (the queue,
a ticket, an SOP's flow, the audit log, the API's docs, each module's pages) load
without one violation, and the language menu still switches language by itself (its
handler moved to a file)."""

from __future__ import annotations

from typing import Any

import pytest

from pintu.conftest import Personas, screenshot, sign_in
from pintu.site.tests.tickets import open_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_with_scripts_run_under_the_policy_without_a_violation(
    page: Any, sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, "admin")
    for path in (
        "/desk/",
        f"/desk/t/{ticket.reference}/",
        "/sop/PR.33.8/",
        "/audit/",
        "/api/v1/docs",
        "/media/kalender/",
        "/media/linimasa/",
        "/laporan/UPT-SI/2026/",
        "/kerjasama/",
        "/akun-kampus/",
        "/akun-digital/laporan/",
        "/elearning/",
        "/status/",
        "/records/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/desk/t/{ticket.reference}/")
    screenshot(page, "ticket-under-csp-phone")

    with page.expect_navigation():  # the menu's script sends its form
        page.select_option("#language", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []
