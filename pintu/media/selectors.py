"""Reads of the content calendar: the items of a period, an item with its history, the
reviews, and the evaluation of a period (planned against published, slippage, reach and
engagement), whose yearly figures feed the unit's LED (B.4.10.8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from pintu.media import lifecycle
from pintu.media.access import MEDIA_UNIT
from pintu.media.models import (
    ContentItem,
    FeedToken,
    ItemStatus,
    Metric,
    Review,
    StatusChange,
)
from pintu.org.models import Unit

# Published up to a day after the planned moment still counts as on time (Pintu's choice:
# the SOP sets no time standard for its schedule).
ON_TIME_GRACE = timedelta(days=1)


def media_unit() -> Unit:
    """The unit whose calendar this is (Humas dan Kerjasama)."""
    return Unit.objects.get(code=MEDIA_UNIT)


def items_between(unit: Unit, start: date, end: date) -> QuerySet[ContentItem]:
    """The items planned on the days from ``start`` to ``end`` (local days, both in)."""
    return (
        ContentItem.objects.filter(
            unit=unit, planned_at__date__gte=start, planned_at__date__lte=end
        )
        .select_related("owner", "ticket")
        .order_by("planned_at", "id")
    )


def item_detail(pk: int) -> ContentItem | None:
    return (
        ContentItem.objects.select_related("unit", "owner", "ticket", "created_by")
        .prefetch_related(
            "tasks__owner",
            "assets",
            "publications",
            "metrics",
            "reviews",
            Prefetch("moves", queryset=StatusChange.objects.select_related("by")),
        )
        .filter(pk=pk)
        .first()
    )


def reviews(unit: Unit) -> QuerySet[Review]:
    return Review.objects.filter(unit=unit).select_related("recorded_by").prefetch_related("items")


def feed_token_of(code: str) -> FeedToken | None:
    return FeedToken.objects.select_related("unit").filter(unit__code=code).first()


@dataclass(frozen=True)
class Evaluated:
    """One planned item of the period, as the evaluation reads it."""

    item: ContentItem
    planned: datetime  # as reviewed (else as planned)
    published: datetime | None
    reach: int | None  # the latest figures
    engagement: int | None

    @property
    def slippage_days(self) -> float | None:
        if self.published is None:
            return None
        return lifecycle.slippage(self.planned, self.published).total_seconds() / 86400

    @property
    def on_time(self) -> bool | None:
        if self.published is None:
            return None
        return lifecycle.on_time(self.planned, self.published, grace=ON_TIME_GRACE)


def evaluation(unit: Unit, start: date, end: date) -> list[Evaluated]:
    """The items planned in the period (ideas left out), each with its first publication
    and its latest reach and engagement (a few queries, whatever their number)."""
    latest = Metric.objects.filter(item=OuterRef("pk")).order_by("-measured_on", "-id")
    items = (
        ContentItem.objects.filter(unit=unit)
        .exclude(status=ItemStatus.IDEA)
        .annotate(
            planned=Coalesce("baseline_at", F("planned_at")),
            published=Min("publications__published_at"),
            reach=Subquery(latest.values("reach")[:1]),
            engagement=Subquery(latest.values("engagement")[:1]),
        )
        .filter(planned__date__gte=start, planned__date__lte=end)
        .select_related("owner")
        .order_by("planned", "id")
    )
    return [
        Evaluated(
            item=item,
            planned=item.planned,
            published=item.published,
            reach=item.reach,
            engagement=item.engagement,
        )
        for item in items
    ]


def figures(rows: list[Evaluated]) -> dict[str, Any]:
    """The evaluation's totals, as plain values (kept with the sub-coordinator's review and
    offered to the LED)."""
    summary = lifecycle.slippage_summary(
        [(row.planned, row.published) for row in rows], grace=ON_TIME_GRACE
    )
    by_channel: dict[str, dict[str, int]] = {}
    for row in rows:
        channel = by_channel.setdefault(
            row.item.channel, {"planned": 0, "published": 0, "reach": 0, "engagement": 0}
        )
        channel["planned"] += 1
        channel["published"] += row.published is not None
        channel["reach"] += row.reach or 0
        channel["engagement"] += row.engagement or 0
    return {
        "planned": summary.planned,
        "published": summary.published,
        "on_time": summary.on_time,
        "mean_slippage_days": (
            round(summary.mean_days, 2) if summary.mean_days is not None else None
        ),
        "reach": sum(row.reach or 0 for row in rows),
        "engagement": sum(row.engagement or 0 for row in rows),
        "by_channel": by_channel,
    }


def year_figures(unit: Unit, year: int) -> dict[str, Any]:
    """The year's evaluation in figures: the unit's activity data for its LED (B.4.10.8)."""
    return figures(evaluation(unit, date(year, 1, 1), date(year, 12, 31)))
