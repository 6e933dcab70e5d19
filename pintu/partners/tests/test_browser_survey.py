"""The satisfaction survey in real Chromium: staff send it from the partner's page; the
partner, with no account, opens the link from the message in the outbox under a strict
Content-Security-Policy, answers, sees the thanks, and a second visit says it was
answered; staff then read the answer on the partner's page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from pintu.conftest import screenshot, sign_in
from pintu.outbox.models import OutboxItem
from pintu.partners import services
from pintu.partners.models import SatisfactionSurvey
from pintu.partners.tests.conftest import partner_made

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# No inline script, no inline style: what a strict policy allows and nothing more.
STRICT = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


def strict(route: Any) -> None:
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": STRICT}
    route.fulfill(response=response, headers=headers)


def test_a_partner_answers_the_survey_without_an_account(
    page: Any, chromium: Any, live_server: Any, ks_staff: Any
) -> None:
    partner = partner_made(ks_staff)
    services.contact_add(
        actor=ks_staff, partner=partner, name="Ir. Surya Darma", email="surya@sinar.example"
    )
    sign_in(page, "staf-kerjasama")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/kerjasama/mitra/{partner.pk}/")
    page.click("text=Kirim survei >> nth=-1")
    assert "surya@sinar.example" in page.locator(".messages .success").inner_text()
    assert page.locator("table.partners-surveys").inner_text().count("menunggu jawaban") == 1

    message = OutboxItem.objects.get(recipient="surya@sinar.example")
    found = re.search(r"https?://\S+?(/survei-mitra/[\w-]+/)", message.body_text)
    assert found is not None, message.body_text
    link = found.group(1)

    visitor = chromium.new_context(base_url=live_server.url, locale="id-ID")
    try:
        partner_page = visitor.new_page()
        partner_page.set_default_timeout(15_000)
        partner_page.set_viewport_size({"width": 390, "height": 844})
        violations: list[str] = []
        partner_page.on(
            "console",
            lambda entry: (
                violations.append(entry.text) if "Content Security Policy" in entry.text else None
            ),
        )
        partner_page.route("**/survei-mitra/**", strict)
        partner_page.goto(link)
        assert partner_page.locator("h1").inner_text() == "Survei kepuasan mitra"
        assert partner_page.evaluate("document.documentElement.scrollWidth") <= 390
        for name, score in (("communication", 5), ("benefit", 4), ("quality", 4)):
            partner_page.click(f"label[for=id_{name}_{score - 1}]")
        partner_page.click("main button[type=submit]")  # one question left unrated
        expect(partner_page.locator(".portal-error-summary")).to_be_visible()
        assert partner_page.locator("#id_communication_4").is_checked()  # kept
        partner_page.click("label[for=id_continuity_4]")
        partner_page.fill("#id_comment", "Kerja sama magang sangat membantu kami.")
        screenshot(partner_page, "partners-survey-phone")
        partner_page.click("main button[type=submit]")
        assert "Terima kasih!" in partner_page.locator(".partners-survey-thanks").inner_text()
        screenshot(partner_page, "partners-survey-thanks")

        partner_page.goto(link)
        refusal = partner_page.locator(".partners-survey-refusal").inner_text()
        assert "sudah dijawab" in refusal
        assert partner_page.locator("form button.primary").count() == 0
        assert violations == [], violations
    finally:
        visitor.close()

    survey = SatisfactionSurvey.objects.get()
    assert (survey.communication, survey.benefit, survey.quality, survey.continuity) == (
        5,
        4,
        4,
        5,
    )
    page.reload()
    answers = page.locator("table.partners-surveys").inner_text()
    assert "dijawab" in answers and "Kerja sama magang sangat membantu kami." in answers
    assert page.locator("table.partners-survey-results").is_visible()
    screenshot(page, "partners-partner-surveys")
