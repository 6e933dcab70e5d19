"""The reviews of the content calendar (PR.27.4): the staff's review of the schedule and
the development plan, which keeps the reviewed version of the schedule ("Jadwal Kegiatan"),
and the sub-coordinator's review of the year's activity report and evaluation (LED,
B.4.10.8). Also the secret of the calendar's feed."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk import access as desk_access
from pintu.media.access import can_review_reports
from pintu.media.models import ContentItem, FeedToken, ItemStatus, ReportReview, Review
from pintu.org.models import Unit


def schedule_of(unit: Unit, start: date, end: date) -> list[dict[str, Any]]:
    """The schedule of a period as it stands: every item planned in it (ideas too), as
    plain values that keep when the items change."""
    items = (
        ContentItem.objects.filter(
            unit=unit, planned_at__date__gte=start, planned_at__date__lte=end
        )
        .select_related("owner")
        .order_by("planned_at", "id")
    )
    return [
        {
            "id": item.pk,
            "title": item.title,
            "channel": item.channel,
            "planned_at": timezone.localtime(item.planned_at).isoformat(),
            "status": item.status,
            "owner": str(item.owner or ""),
        }
        for item in items
    ]


@transaction.atomic
def review_record(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    held_at: datetime,
    period_start: date,
    period_end: date,
    items: Sequence[ContentItem],
    agenda: str = "",
    minutes: str = "",
    decisions: str = "",
    now: datetime,
) -> Review:
    """A review of the schedule ("mereviu jadwal kegiatan dan rencana pengembangan"): the
    period's schedule as it stood is kept as the next version, and the items planned in it
    take their planned moment as the new baseline."""
    if not desk_access.can_work_in(actor, unit):
        raise PermissionDenied
    if kind not in Review.Kind.values:
        raise ValidationError(_("Say how the schedule was reviewed."))
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    if held_at > now:
        raise ValidationError(_("A review is recorded once it was held."))
    if any(item.unit_id != unit.pk for item in items):
        raise ValidationError(_("A review decides items of its own unit."))
    # Versions are numbered per unit; the lock keeps two reviews from taking one number.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    number = (Review.objects.filter(unit=unit).aggregate(last=Max("version"))["last"] or 0) + 1
    review = Review.objects.create(
        unit=unit,
        kind=kind,
        held_at=held_at,
        agenda=agenda.strip(),
        minutes=minutes.strip(),
        decisions=decisions.strip(),
        period_start=period_start,
        period_end=period_end,
        version=number,
        schedule=schedule_of(unit, period_start, period_end),
        recorded_by=actor,
        recorded_at=now,
    )
    review.items.set(items)
    planned = ContentItem.objects.filter(
        unit=unit, planned_at__date__gte=period_start, planned_at__date__lte=period_end
    ).exclude(status__in=[ItemStatus.IDEA, ItemStatus.PUBLISHED, ItemStatus.EVALUATED])
    for item in planned:
        if item.baseline_at != item.planned_at:
            item.baseline_at = item.planned_at
            item.save(update_fields=["baseline_at"])
    audit_record(
        actor=actor,
        action="schedule.review",
        obj=review,
        unit=unit,
        after={
            "version": number,
            "kind": kind,
            "period": f"{period_start.isoformat()}/{period_end.isoformat()}",
            "items": [item.title for item in items],
        },
    )
    return review


@transaction.atomic
def report_review_record(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    report: str,
    notes: str,
    figures: dict[str, Any],
    now: datetime,
) -> ReportReview:
    """The sub-coordinator reviews the year's activity report and evaluation, with the
    figures as they stand."""
    if not can_review_reports(actor, unit):
        raise PermissionDenied
    if not report.strip():
        raise ValidationError(_("Write the activity report, or its summary."))
    reviewed = ReportReview.objects.create(
        unit=unit,
        year=year,
        report=report.strip(),
        notes=notes.strip(),
        figures=figures,
        reviewed_by=actor,
        reviewed_at=now,
    )
    audit_record(
        actor=actor,
        action="activity_report.review",
        obj=reviewed,
        unit=unit,
        after={"year": year, "figures": figures},
    )
    return reviewed


@transaction.atomic
def feed_token(*, unit: Unit, rotate: bool = False) -> FeedToken:
    """The secret of ``unit``'s calendar feed (made when first asked for; a new one when
    rotated, which ends every subscription to the old address)."""
    token = FeedToken.objects.select_for_update().filter(unit=unit).first()
    if token is None:
        return FeedToken.objects.create(unit=unit, token=secrets.token_urlsafe(32))
    if rotate:
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token"])
    return token
