"""PR.27.4's step actions (found by the desk when it loads): the request goes onto the
content calendar ("mengidentifikasi dan merencanakan jadwal"), and the review of the
schedule that decided it is recorded with the reviewed version ("mereviu jadwal
kegiatan"). The request resolves when its content is published, on the calendar."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.core.moments import stamp
from pintu.desk.actions import Outcome, StepAction, register
from pintu.media import services
from pintu.media.forms import PlanForm, ReviewStepForm
from pintu.media.models import ContentItem, ItemStatus
from pintu.sla.calendars import zone_for_unit

SOP = "PR.27.4"


def plan_on_calendar(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    item = services.item_create(
        actor=actor,
        unit=step.ticket.unit,
        title=data["title"],
        brief=data["brief"],
        channel=data["channel"],
        planned_at=data["planned_at"],
        owner=data["owner"],
        status=ItemStatus.PLANNED,
        ticket=step.ticket,
        now=now,
    )
    return Outcome(
        output=_("On the calendar: %(title)s, %(channel)s, %(when)s.")
        % {
            "title": item.title,
            "channel": item.get_channel_display(),
            "when": stamp(item.planned_at, zone_for_unit(step.ticket.unit)),
        }
    )


def record_review(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    item = ContentItem.objects.filter(ticket=step.ticket).order_by("-id").first()
    if item is None:
        raise ValidationError(_("Put the request on the calendar first (the step before)."))
    day = timezone.localtime(item.planned_at).date()
    review = services.review_record(
        actor=actor,
        unit=step.ticket.unit,
        kind=data["kind"],
        held_at=data["held_at"],
        # The month of the item: the schedule it was reviewed with.
        period_start=date(day.year, day.month, 1),
        period_end=date(day.year, day.month, calendar.monthrange(day.year, day.month)[1]),
        items=[item],
        decisions=data["decisions"],
        now=now,
    )
    return Outcome(
        output=_("Reviewed (%(kind)s): schedule version %(version)s.")
        % {"kind": review.get_kind_display(), "version": review.version}
    )


register(
    StepAction(
        sop=SOP,
        activity="rencana-jadwal",
        form=PlanForm,
        template="media/_step_plan.html",
        perform=plan_on_calendar,
        label=gettext_lazy("Put on the calendar"),
    )
)
register(
    StepAction(
        sop=SOP,
        activity="reviu-jadwal",
        form=ReviewStepForm,
        template="media/_step_review.html",
        perform=record_review,
        label=gettext_lazy("Record the review"),
    )
)
