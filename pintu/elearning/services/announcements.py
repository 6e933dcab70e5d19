"""Announcements on the e-learning platform (PR.13.2, "Publikasi pengumuman pada media
pembelajaran e-learning").

Approving one (the request's step) keeps its title, its sanitised text, its publish time
and its targets (the site's front page, one or more courses). From its publish time each
target gets an outbox job of its own: the worker finds the target's news forum and posts
the announcement there (``pintu.elearning.transport``), so that a target that fails is
retried alone. Once every target is posted, the requester is told where it appeared, in
a reply that resolves the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.core.moments import stamp
from pintu.desk import access
from pintu.desk.models import Status, Ticket
from pintu.desk.services import ticket_reply
from pintu.doors.email.markup import html_to_text, sanitise_html
from pintu.elearning.models import Announcement, AnnouncementTarget, Course, MoodleSite, Release
from pintu.elearning.services.changes import TRANSPORT
from pintu.elearning.services.releases import releases_announced_by, releases_covered
from pintu.outbox.services import job_queue
from pintu.sla.calendars import zone_for_unit


def target_key(target: AnnouncementTarget) -> str:
    return f"moodle:announcement-target:{target.pk}"


@transaction.atomic
def announcement_approve(
    *,
    actor: Any,
    ticket: Ticket,
    site: MoodleSite,
    title: str,
    body: str,
    front_page: bool,
    courses: Sequence[Course],
    publish_at: datetime,
    releases: Sequence[Release] = (),
    now: datetime,
) -> Announcement:
    """P4M approves an announcement for its targets; those whose publish time has come
    are handed to the worker at once, the others when it comes (``announcements_due``).
    It may announce information-system releases of the register (B.4.6.4.g), which are
    announced once it appears."""
    if not access.can_work_in(actor, ticket.unit):
        raise PermissionDenied
    title, body = title.strip(), sanitise_html(body)
    if not title or not html_to_text(body).strip():
        raise ValidationError(_("An announcement needs a title and a text."))
    if not front_page and not courses:
        raise ValidationError(_("Choose where it appears: the front page or a course."))
    if any(course.site_id != site.pk for course in courses):
        raise ValidationError(_("Every course of one announcement is on its one Moodle site."))
    announcement = Announcement.objects.create(
        ticket=ticket,
        site=site,
        title=title[:255],
        body=body,
        publish_at=publish_at,
        approved_by=actor,
        approved_at=now,
    )
    targets = (
        [
            AnnouncementTarget(
                announcement=announcement,
                course_id=site.front_page_course,
                name=_("Front page"),
                front_page=True,
            )
        ]
        if front_page
        else []
    )
    targets += [
        AnnouncementTarget(announcement=announcement, course_id=c.moodle_id, name=c.shortname)
        for c in courses
    ]
    AnnouncementTarget.objects.bulk_create(targets)
    releases_covered(announcement=announcement, releases=releases)
    audit_record(
        actor=actor,
        action="announcement.approve",
        obj=announcement,
        unit=ticket.unit,
        after={
            "ticket": ticket.reference,
            "site": site.name,
            "title": announcement.title,
            "publish_at": publish_at.isoformat(),
            "targets": [target.name for target in targets],
            "releases": [str(release) for release in releases],
        },
    )
    if publish_at <= now:
        _queue(announcement.targets.all(), now)
    return announcement


def _queue(targets: Any, now: datetime) -> int:
    """Hand each target to the worker (in the caller's transaction)."""
    queued = 0
    for target in targets.select_related("announcement__site", "announcement__ticket"):
        announcement = target.announcement
        job_queue(
            transport=TRANSPORT,
            payload={
                "op": "announcement.post",
                "target": target.pk,
                "site": announcement.site.name,
                "course": target.course_id,
                "subject": announcement.title,
            },
            idempotency_key=target_key(target),
            cause=announcement.ticket,
            source=target,
            at=max(now, announcement.publish_at),
        )
        target.queued_at = now
        target.save(update_fields=["queued_at"])
        queued += 1
    return queued


@transaction.atomic
def announcements_due(*, now: datetime) -> int:
    """Hand to the worker the targets whose announcement's publish time has come; how
    many. Two workers asking at once hand each target over once (the rows are locked,
    and a job is known by its key)."""
    waiting = AnnouncementTarget.objects.filter(
        queued_at__isnull=True, announcement__publish_at__lte=now
    )
    return _queue(waiting.select_for_update(of=("self",)), now)


@transaction.atomic
def announcement_target_posted(
    *, target: AnnouncementTarget, forum_id: int, discussion_id: int, now: datetime
) -> AnnouncementTarget:
    """Moodle has the announcement in the target's news forum. When it is the last target
    to be posted, the requester is told where it appeared. Once only."""
    target = (
        AnnouncementTarget.objects.select_for_update(of=("self",))
        .select_related(
            "announcement__ticket__unit", "announcement__approved_by", "announcement__site"
        )
        .get(pk=target.pk)
    )
    if target.posted_at is not None:
        return target
    target.forum_id, target.discussion_id, target.posted_at = forum_id, discussion_id, now
    target.save(update_fields=["forum_id", "discussion_id", "posted_at"])
    announcement = target.announcement
    audit_record(
        actor=None,
        action="announcement.post",
        obj=announcement,
        unit=announcement.ticket.unit,
        after={"target": target.name, "forum": forum_id, "discussion": discussion_id},
    )
    # B.4.6.4.g: a release it covers is announced when the announcement first appears.
    releases_announced_by(
        announcement=announcement,
        at=now,
        where=_("e-learning (%(site)s): %(target)s")
        % {"site": announcement.site.name, "target": target.name},
    )
    if not announcement.targets.filter(posted_at__isnull=True).exists():
        _tell_requester(announcement, now)
    return target


def _tell_requester(announcement: Announcement, now: datetime) -> None:
    ticket, approver = announcement.ticket, announcement.approved_by
    if not access.can_work_in(approver, ticket.unit):
        return
    names = ", ".join(target.name for target in announcement.targets.all())
    when = stamp(announcement.publish_at, zone_for_unit(ticket.unit))
    ticket_reply(
        actor=approver,
        ticket=ticket,
        body=_(
            "The announcement “%(title)s” is on the e-learning platform since %(when)s: "
            "%(targets)s."
        )
        % {"title": announcement.title, "when": when, "targets": names},
        status=Status.RESOLVED if ticket.is_active else None,
        now=now,
    )


def target_forum(*, target: AnnouncementTarget, forum_id: int) -> None:
    """Keep the news forum found for a target, so that a retry asks Moodle no more."""
    AnnouncementTarget.objects.filter(pk=target.pk).update(forum_id=forum_id)
