"""The content calendar in real Chromium: Humas staff take an item from an idea to an
evaluated publication on the month view, moving it through its statuses with the mouse
(its buttons, a drag to another day) and with the keyboard (Enter on its buttons; Space on
Move, an arrow, Enter), then record its publication and its reach on its page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import make_user, screenshot, sign_in
from pintu.media import services
from pintu.media.models import ContentItem, ItemStatus, StatusChange
from pintu.org.models import Role, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_wednesday_ahead() -> date:
    """A Wednesday at least two weeks ahead: Thursday and Friday are in its grid row."""
    day = timezone.localdate() + timedelta(days=14)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def status_of(item: ContentItem) -> str:
    item.refresh_from_db()
    return item.status


def test_an_item_moves_through_its_statuses_by_mouse_and_by_keyboard(
    chromium: Any, live_server: Any, sops: None
) -> None:
    humas = make_user("staf-humas", Role.STAFF, "PHK")
    wednesday = a_wednesday_ahead()
    thursday, friday = wednesday + timedelta(days=1), wednesday + timedelta(days=2)
    planned = timezone.make_aware(datetime.combine(wednesday, time(10, 0)))
    item = services.item_create(
        actor=humas,
        unit=Unit.objects.get(code="PHK"),
        title="Liputan Dies Natalis",
        channel="instagram",
        planned_at=planned,
        now=timezone.now(),
    )
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    card = f'.media-card[data-item="{item.pk}"]'
    month = f"{reverse('media-calendar')}?view=month&date={wednesday:%Y-%m-%d}"
    try:
        sign_in(page, humas.username)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(month)
        assert page.inner_text(f"{card} .media-status") == "Ide"

        # The mouse: a click on the card's button plans it, a drag moves it a day on.
        page.click(f'{card} button[data-status="planned"]')
        page.wait_for_selector(f"{card} .media-status:has-text('Direncanakan')")
        assert status_of(item) == ItemStatus.PLANNED
        page.locator(card).drag_to(page.locator(f'td[data-day="{thursday:%Y-%m-%d}"]'))
        page.wait_for_selector(f'td[data-day="{thursday:%Y-%m-%d}"] {card}')
        item.refresh_from_db()
        assert timezone.localtime(item.planned_at) == planned + timedelta(days=1)
        assert item.baseline_at == planned  # the plan of record stays for the slippage

        # The keyboard: after the drag the page keeps the focus on the card's Move button;
        # Tab reaches its status buttons (back, then forward) and Enter presses one.
        assert page.evaluate("document.activeElement.className") == "media-move"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.dataset.status") == "in_production"
        page.keyboard.press("Enter")
        page.wait_for_selector(f"{card} .media-status:has-text('Diproduksi')")
        for wanted, words in (("in_review", "Direviu"), ("approved", "Disetujui")):
            page.focus(f'{card} button[data-status="{wanted}"]')
            page.keyboard.press("Enter")
            page.wait_for_selector(f"{card} .media-status:has-text('{words}')")
        assert status_of(item) == ItemStatus.APPROVED

        # Space on Move picks it up, an arrow chooses the day, Escape puts it back...
        page.focus(f"{card} .media-move")
        page.keyboard.press("Space")
        assert "Liputan Dies Natalis" in page.inner_text("#media-live")
        assert page.get_attribute(f"{card} .media-move", "aria-pressed") == "true"
        page.keyboard.press("ArrowRight")
        assert page.get_attribute(f'td[data-day="{friday:%Y-%m-%d}"]', "class") is not None
        assert "drop-target" in (page.get_attribute(f'td[data-day="{friday:%Y-%m-%d}"]', "class"))
        page.keyboard.press("Escape")
        assert page.inner_text("#media-live") == "Tidak dipindah."
        item.refresh_from_db()
        assert timezone.localtime(item.planned_at).date() == thursday
        # ...and Enter puts it on the day chosen.
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        page.wait_for_selector(f'td[data-day="{friday:%Y-%m-%d}"] {card}')
        item.refresh_from_db()
        assert timezone.localtime(item.planned_at) == planned + timedelta(days=2)
        screenshot(page, "media-calendar-month")

        # Published and evaluated come with their evidence, on the item's page.
        page.click(f"{card} .media-card-title")
        page.fill(
            "form.media-publication-form input[name=url]", "https://instagram.com/p/dies-natalis"
        )
        page.click("form.media-publication-form button[type=submit]")
        page.wait_for_selector(".media-facts .media-status:has-text('Dipublikasikan')")
        page.fill("form.media-metrics-form input[name=reach]", "1500")
        page.fill("form.media-metrics-form input[name=engagement]", "240")
        page.click("form.media-metrics-form button[type=submit]")
        page.wait_for_selector(".media-facts .media-status:has-text('Dievaluasi')")
        screenshot(page, "media-item-evaluated")
        assert status_of(item) == ItemStatus.EVALUATED
        assert list(StatusChange.objects.filter(item=item).values_list("status", flat=True)) == [
            "idea",
            "planned",
            "in_production",
            "in_review",
            "approved",
            "published",
            "evaluated",
        ]
        assert item.publications.get().url == "https://instagram.com/p/dies-natalis"

        # A published item keeps its day: its card offers no Move any more.
        page.goto(month)
        assert page.locator(f"{card} .media-move").count() == 0
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(month)
        screenshot(page, "media-calendar-phone")
    finally:
        context.close()
