"""The outbox transport ``moodle``: each job for a Moodle site, carried by the worker.

A job's payload names its operation. ``course.update`` snapshots the course, applies the
approved values with ``core_course_update_courses`` and snapshots it again; a warning
about the course, or a value Moodle did not keep, is a failure. Setting the same values
twice changes nothing, so a job handed over again after a crash acts once; the first
snapshot is kept, not the one taken after the change.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.elearning.client import MoodleError
from pintu.elearning.models import CourseChange
from pintu.elearning.protocol import unapplied
from pintu.elearning.services.changes import course_change_applied, course_change_before
from pintu.elearning.services.sites import site_client
from pintu.elearning.words import FIELD_LABELS
from pintu.outbox.delivery import TRANSPORTS, PermanentFailure, Sent, TemporaryFailure
from pintu.outbox.models import OutboxItem


def _course_update(payload: dict[str, Any]) -> Sent:
    change = CourseChange.objects.select_related("site").get(pk=payload["change"])
    client = site_client(change.site)
    if change.before is None:
        change = course_change_before(
            change=change, before=client.course(change.course_id).identity()
        )
    client.update_course(change.course_id, change.changes)
    after = client.course(change.course_id).identity()
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
    course_change_applied(change=change, after=after, now=timezone.now())
    return Sent(
        external_id=f"{change.site.name}:course:{change.course_id}",
        result={"before": change.before, "after": after},
    )


OPERATIONS = {"course.update": _course_update}


class MoodleTransport:
    def send(self, item: OutboxItem) -> Sent:
        operation = OPERATIONS.get(str(item.payload.get("op")))
        if operation is None:
            raise PermanentFailure(f"unknown Moodle operation {item.payload.get('op')!r}")
        try:
            return operation(item.payload)
        except MoodleError as error:
            if error.temporary:
                raise TemporaryFailure(str(error)) from error
            raise PermanentFailure(str(error)) from error


TRANSPORTS["moodle"] = MoodleTransport()
