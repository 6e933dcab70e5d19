"""The outbox transport ``moodle``: each job for a Moodle site, carried by the worker.

A job's payload names its operation:

- ``course.update`` snapshots the course, applies the approved values with
  ``core_course_update_courses`` and snapshots it again; a warning about the course, or a
  value Moodle did not keep, is a failure. Setting the same values twice changes
  nothing, so a job handed over again after a crash acts once; the first snapshot is
  kept, not the one taken after the change.
- ``announcement.post`` finds the target's news forum (``mod_forum_get_forums_by_courses``,
  the forum of type ``news``) and starts a discussion there
  (``mod_forum_add_discussion``). Moodle takes no key for a discussion, so before posting
  the job looks for the one an earlier attempt of its own may have made (the same subject
  in that forum since the job was queued) and does not post twice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.elearning.client import MoodleError
from pintu.elearning.models import AnnouncementTarget, CourseChange
from pintu.elearning.protocol import moodle_time, unapplied
from pintu.elearning.services.announcements import announcement_target_posted, target_forum
from pintu.elearning.services.changes import (
    TRANSPORT,
    course_change_applied,
    course_change_before,
)
from pintu.elearning.services.sites import site_client
from pintu.elearning.words import FIELD_LABELS
from pintu.outbox.delivery import TRANSPORTS, PermanentFailure, Sent, TemporaryFailure
from pintu.outbox.models import OutboxItem


def _course_update(item: OutboxItem) -> Sent:
    change = CourseChange.objects.select_related("site").get(pk=item.payload["change"])
    client = site_client(change.site)
    if change.before is None:
        change = course_change_before(
            change=change, before=client.course(change.course_id).identity()
        )
    client.update_course(change.course_id, change.changes)
    course = client.course(change.course_id)
    after = course.identity()
    kept = unapplied(change.changes, after)
    if kept:
        raise PermanentFailure(
            _(
                "Moodle site %(site)s answered without a warning but kept %(fields)s of "
                "course %(id)s."
            )
            % {
                "site": change.site.name,
                "fields": ", ".join(str(FIELD_LABELS[field]) for field in kept),
                "id": change.course_id,
            }
        )
    course_change_applied(change=change, course=course, now=timezone.now())
    return Sent(
        external_id=f"{change.site.name}:course:{change.course_id}",
        result={"before": change.before, "after": after},
    )


def _announcement_post(item: OutboxItem) -> Sent:
    target = AnnouncementTarget.objects.select_related("announcement__site").get(
        pk=item.payload["target"]
    )
    announcement = target.announcement
    client = site_client(announcement.site)
    forum = target.forum_id
    if forum is None:
        forum = client.news_forum(target.course_id)
        target_forum(target=target, forum_id=forum)
    # A minute of slack: the clocks of Pintu and of Moodle need not agree to the second.
    since = moodle_time(item.created_at) - 60
    discussion = client.posted_since(forum, subject=announcement.title, since=since)
    if discussion is None:
        discussion = client.add_discussion(
            forum, subject=announcement.title, message=announcement.body
        )
    announcement_target_posted(
        target=target, forum_id=forum, discussion_id=discussion, now=timezone.now()
    )
    return Sent(
        external_id=f"{announcement.site.name}:discussion:{discussion}",
        result={"course": target.course_id, "forum": forum, "discussion": discussion},
    )


Operation = Callable[[OutboxItem], Sent]
OPERATIONS: dict[str, Operation] = {
    "course.update": _course_update,
    "announcement.post": _announcement_post,
}


class MoodleTransport:
    def send(self, item: OutboxItem) -> Sent:
        operation = OPERATIONS.get(str(item.payload.get("op")))
        if operation is None:
            raise PermanentFailure(f"unknown Moodle operation {item.payload.get('op')!r}")
        try:
            return operation(item)
        except MoodleError as error:
            if error.temporary:
                raise TemporaryFailure(str(error)) from error
            raise PermanentFailure(str(error)) from error


TRANSPORTS[TRANSPORT] = MoodleTransport()
