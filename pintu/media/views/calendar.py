"""The content calendar in month, week and list views, and the printable timeline of a
period. Dragging an item to another day (by mouse, or with the keyboard: media/calendar.js)
posts the new day; every move also works as a plain form without script."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from pintu.media import lifecycle, selectors
from pintu.media.models import ContentItem, ItemStatus
from pintu.media.views.common import readable

VIEWS = ("month", "week", "list")


def _day(request: HttpRequest) -> date:
    try:
        chosen = parse_date(request.GET.get("date", ""))
    except ValueError:
        chosen = None
    return chosen or timezone.localdate()


def _shift(day: date, view: str, step: int) -> date:
    if view == "week":
        return day + timedelta(days=7 * step)
    month = day.month - 1 + step
    return date(day.year + month // 12, month % 12 + 1, 1)


def _by_day(items: list[ContentItem]) -> dict[date, list[ContentItem]]:
    grouped: dict[date, list[ContentItem]] = defaultdict(list)
    for item in items:
        grouped[timezone.localtime(item.planned_at).date()].append(item)
    return grouped


def _cards(items: list[ContentItem]) -> list[ContentItem]:
    """The moves each card's buttons offer, by the item's status."""
    for item in items:
        item.moves_offered = [  # type: ignore[attr-defined]
            (status, ItemStatus(status).label)
            for status in lifecycle.button_moves(item.status)  # type: ignore[arg-type]
        ]
        # A published item keeps its day (item_reschedule): its card is not dragged.
        item.movable = item.status not in (ItemStatus.PUBLISHED, ItemStatus.EVALUATED)  # type: ignore[attr-defined]
    return items


@require_GET
@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    readable(request)
    view = request.GET.get("view", "month")
    view = view if view in VIEWS else "month"
    day = _day(request)
    unit = selectors.media_unit()
    if view == "week":
        weeks = [lifecycle.week_of(day)]
    else:
        weeks = lifecycle.month_grid(day.year, day.month)
    first, last = weeks[0][0], weeks[-1][-1]
    if view == "list":
        first, last = date(day.year, day.month, 1), _shift(day, "month", 1) - timedelta(days=1)
    items = _cards(list(selectors.items_between(unit, first, last)))
    by_day = _by_day(items)
    context: dict[str, Any] = {
        "view": view,
        "day": day,
        "current_month": day.month,
        "today": timezone.localdate(),
        "weeks": [[(d, by_day.get(d, [])) for d in week] for week in weeks],
        "items": items,
        "previous": _shift(day, view, -1),
        "next": _shift(day, view, 1),
        "statuses": ItemStatus.choices,
        "can_work": readable(request),
    }
    return render(request, "media/calendar.html", context)


@require_GET
@login_required
def timeline_page(request: HttpRequest) -> HttpResponse:
    """The period's timeline as one printable page (the schedule as it stands)."""
    readable(request)
    today = timezone.localdate()
    try:
        start = parse_date(request.GET.get("from", "")) or date(today.year, today.month, 1)
        end = parse_date(request.GET.get("to", "")) or _shift(start, "month", 3) - timedelta(days=1)
    except ValueError:
        start, end = date(today.year, today.month, 1), _shift(today, "month", 3)
    items = list(selectors.items_between(selectors.media_unit(), start, end))
    months: dict[tuple[int, int], list[ContentItem]] = defaultdict(list)
    for item in items:
        local = timezone.localtime(item.planned_at)
        months[(local.year, local.month)].append(item)
    return render(
        request,
        "media/timeline.html",
        {
            "start": start,
            "end": end,
            "months": [
                (date(y, m, 1), month_items) for (y, m), month_items in sorted(months.items())
            ],
            "count": len(items),
        },
    )
