"""Course identity changes (PR.13.2, "Perubahan/pembaruan data identitas mata kuliah").

Approving one (the request's step) writes the change, its audit row and the outbox job
for Moodle in one transaction. The worker then snapshots the course, applies the change
with ``core_course_update_courses`` and snapshots it again (``pintu.elearning.transport``);
what it found is recorded here, and the requester is told what changed, before and after,
in a reply that resolves the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk import access
from pintu.desk.models import Status, Ticket
from pintu.desk.services import ticket_reply
from pintu.elearning.models import Course, CourseChange
from pintu.elearning.protocol import IDENTITY_FIELDS, CourseData, identity_changes
from pintu.elearning.selectors import categories
from pintu.elearning.services.sites import COURSE_FIELDS, course_take
from pintu.elearning.words import change_lines
from pintu.outbox.services import job_queue

TRANSPORT = "moodle"


def change_key(change: CourseChange) -> str:
    return f"moodle:course-change:{change.pk}"


@transaction.atomic
def course_change_approve(
    *,
    actor: Any,
    ticket: Ticket,
    course: Course,
    changes: Mapping[str, Any],
    reason: str,
    now: datetime,
) -> CourseChange:
    """P4M approves new identity values for ``course``; the worker applies them."""
    if not access.can_work_in(actor, ticket.unit):
        raise PermissionDenied
    unknown = set(changes) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError(_("Not a course field: %(fields)s.") % {"fields": ", ".join(unknown)})
    current = {key: value for key, value in course_identity(course).items() if key in changes}
    if not identity_changes(current, changes):
        raise ValidationError(_("Name at least one value that differs from the course's."))
    if not reason.strip():
        raise ValidationError(_("Say why the course changes."))
    change = CourseChange.objects.create(
        ticket=ticket,
        site=course.site,
        course_id=course.moodle_id,
        course_name=course.shortname,
        changes=dict(changes),
        reason=reason.strip(),
        approved_by=actor,
        approved_at=now,
    )
    audit_record(
        actor=actor,
        action="course_change.approve",
        obj=change,
        unit=ticket.unit,
        after={
            "ticket": ticket.reference,
            "site": course.site.name,
            "course": course.shortname,
            "changes": dict(changes),
            "reason": change.reason,
        },
    )
    job_queue(
        transport=TRANSPORT,
        payload={
            "op": "course.update",
            "change": change.pk,
            "site": course.site.name,
            "course": course.moodle_id,
            "changes": dict(changes),
        },
        idempotency_key=change_key(change),
        cause=ticket,
        source=change,
        at=now,
    )
    return change


def course_identity(course: Course) -> dict[str, Any]:
    """The identity of a course as the last synchronisation found it, by Moodle's names."""
    return {
        "fullname": course.fullname,
        "shortname": course.shortname,
        "idnumber": course.idnumber,
        "categoryid": course.category,
        "summary": course.summary,
        "startdate": int(course.start.timestamp()) if course.start else 0,
        "enddate": int(course.end.timestamp()) if course.end else 0,
        "visible": 1 if course.visible else 0,
    }


def course_change_before(*, change: CourseChange, before: Mapping[str, Any]) -> CourseChange:
    """Keep the course as Moodle held it before the first attempt changed it: a later
    attempt (after a worker died mid-job) finds the change made already and must not
    take that for the "before"."""
    CourseChange.objects.filter(pk=change.pk, before__isnull=True).update(before=dict(before))
    return CourseChange.objects.get(pk=change.pk)


@transaction.atomic
def course_change_applied(
    *, change: CourseChange, course: CourseData, now: datetime
) -> CourseChange:
    """Moodle holds the new values: record the course afterwards, keep the course list in
    step, and tell the requester what changed (a reply by the approver that resolves the
    request). Once only, however often the worker reports it."""
    change = (
        CourseChange.objects.select_for_update(of=("self",))
        .select_related("ticket__unit", "site", "approved_by")
        .get(pk=change.pk)
    )
    if change.applied_at is not None:
        return change
    after = course.identity()
    change.after = after
    change.applied_at = now
    change.save(update_fields=["after", "applied_at"])
    before = change.before or {}
    audit_record(
        actor=None,
        action="course_change.apply",
        obj=change,
        unit=change.ticket.unit,
        before={"changes": {c.field: c.before for c in identity_changes(before, after)}},
        after={"changes": {c.field: c.after for c in identity_changes(before, after)}},
    )
    _refresh_course(change, course, now)
    ticket = change.ticket
    if access.can_work_in(change.approved_by, ticket.unit):
        ticket_reply(
            actor=change.approved_by,
            ticket=ticket,
            body=_applied_words(change),
            status=Status.RESOLVED if ticket.is_active else None,
            now=now,
        )
    return change


def _refresh_course(change: CourseChange, after: CourseData, now: datetime) -> None:
    course = Course.objects.filter(site=change.site, moodle_id=change.course_id).first()
    if course is not None:
        course_take(course, after, now).save(update_fields=COURSE_FIELDS)


def _applied_words(change: CourseChange) -> str:
    lines = change_lines(change.before, change.after or {}, categories(change.site))
    return "\n".join(
        [
            _("The change of course %(course)s on the e-learning platform is done.")
            % {"course": change.course_name},
            "",
            *lines,
            "",
            _("Reason: %(reason)s") % {"reason": change.reason},
        ]
    )
