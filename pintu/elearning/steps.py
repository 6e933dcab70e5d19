"""PR.13.2's step actions (found by the desk when it loads): approving a course change
applies it on Moodle ("Perubahan/pembaruan data identitas mata kuliah"); approving an
announcement posts it to each of its targets at its publish time ("Publikasi pengumuman
pada media pembelajaran e-learning")."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.core.moments import stamp
from pintu.desk.actions import Outcome, StepAction, register
from pintu.elearning.forms import AnnouncementForm, CourseChangeForm
from pintu.elearning.services import announcement_approve, course_change_approve
from pintu.elearning.words import change_lines
from pintu.sla.calendars import zone_for_unit

SOP = "PR.13.2"


def approve_course_change(
    *, actor: Any, step: Any, data: Mapping[str, Any], now: datetime
) -> Outcome:
    change = course_change_approve(
        actor=actor,
        ticket=step.ticket,
        course=data["course"],
        changes=data["changes"],
        reason=data["reason"],
        now=now,
    )
    return Outcome(
        output=_("Approved for %(course)s on %(site)s: %(changes)s. Moodle is being updated.")
        % {
            "course": change.course_name,
            "site": change.site.name,
            "changes": "; ".join(change_lines(None, change.changes)),
        }
    )


register(
    StepAction(
        sop=SOP,
        activity="terapkan-perubahan",
        form=CourseChangeForm,
        template="elearning/_step_course_change.html",
        perform=approve_course_change,
        label=gettext_lazy("Approve and apply on Moodle"),
    )
)


def approve_announcement(
    *, actor: Any, step: Any, data: Mapping[str, Any], now: datetime
) -> Outcome:
    announcement = announcement_approve(
        actor=actor,
        ticket=step.ticket,
        site=data["site"],
        title=data["title"],
        body=data["body"],
        front_page=data["front_page"],
        courses=data["courses"],
        publish_at=data["publish_at"],
        releases=list(data["releases"]),
        now=now,
    )
    return Outcome(
        output=_("Approved for %(when)s on %(site)s: %(targets)s.")
        % {
            "when": stamp(announcement.publish_at, zone_for_unit(step.ticket.unit)),
            "site": announcement.site.name,
            "targets": ", ".join(t.name for t in announcement.targets.all()),
        }
    )


register(
    StepAction(
        sop=SOP,
        activity="jadwalkan-pengumuman",
        form=AnnouncementForm,
        template="elearning/_step_announcement.html",
        perform=approve_announcement,
        label=gettext_lazy("Approve and schedule"),
    )
)
