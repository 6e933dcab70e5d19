"""Reads of the audit log, for the people who check it (auditors and admins)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from pintu.core.models import AuditEvent


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in the institution's time zone, as the log's readers count days."""
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(
    *,
    since: date | None = None,
    until: date | None = None,
    person: str = "",
    unit_id: int | None = None,
    action: str = "",
    reference: str = "",
) -> QuerySet[AuditEvent]:
    """Audit rows, newest first, narrowed by whichever filters are given.

    ``until`` includes its whole day. ``person`` matches who acted, by user name or
    name; ``reference`` matches the object as recorded (a ticket's reference, a
    closure's days, a person's name).
    """
    events = AuditEvent.objects.select_related("actor", "unit")
    if since is not None:
        events = events.filter(at__gte=_start_of(since))
    if until is not None:
        events = events.filter(at__lt=_start_of(until + timedelta(days=1)))
    if person:
        events = events.filter(
            Q(actor__username__icontains=person) | Q(actor__full_name__icontains=person)
        )
    if unit_id is not None:
        events = events.filter(unit_id=unit_id)
    if action:
        events = events.filter(action=action)
    if reference:
        events = events.filter(object_repr__icontains=reference)
    return events
