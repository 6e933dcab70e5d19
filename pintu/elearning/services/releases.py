"""The register of information-system releases (B.4.6.4.g, SOP PR.33.8, kept by UPT-SI):
every new feature or change, published, is to be announced ("disosialisasikan") within a
day of its publication. Recording a release starts that clock from the publication; the
announcement that covers it stops it, whether an e-learning announcement of this module
or one made elsewhere (the campus e-mail, the website) and recorded here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk import access
from pintu.elearning.models import Announcement, Release
from pintu.org.models import Unit
from pintu.sla.calendars import CalendarCache
from pintu.sla.clock import due_at, parse_target
from pintu.sop.models import Kpi

# The KPI whose "within" the clock runs by (its SOP's file says 1d).
ANNOUNCE_KPI = ("PR.33.8", "B.4.6.4.g")
DEFAULT_WITHIN = "1d"


def announce_within() -> str:
    code, kpi = ANNOUNCE_KPI
    params = (
        Kpi.objects.filter(sop__code=code, sop__is_current=True, code=kpi)
        .values_list("params", flat=True)
        .first()
    )
    return str((params or {}).get("within") or DEFAULT_WITHIN)


def announce_due(unit: Unit, published_at: datetime, within: str) -> datetime:
    """When the announcement of a release published at ``published_at`` is due, on the
    unit's working clock."""
    calendar = CalendarCache().get(unit, timezone.localtime(published_at).year)
    return due_at(calendar, published_at, parse_target(within))


@transaction.atomic
def release_record(
    *,
    actor: Any,
    unit: Unit,
    system: str,
    feature: str,
    published_at: datetime,
    ticket: Any = None,
    now: datetime,
) -> Release:
    """Enter a published feature or change in ``unit``'s register; its staff only."""
    if not access.can_work_in(actor, unit):
        raise PermissionDenied
    system, feature = system.strip(), feature.strip()
    if not system or not feature:
        raise ValidationError(_("Name the system and the feature or change."))
    if published_at > now:
        raise ValidationError(_("A release is recorded once it is published."))
    release = Release.objects.create(
        unit=unit,
        system=system[:200],
        feature=feature,
        published_at=published_at,
        announce_due_at=announce_due(unit, published_at, announce_within()),
        ticket=ticket,
        recorded_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="release.record",
        obj=release,
        unit=unit,
        after={
            "system": release.system,
            "feature": release.feature,
            "published_at": published_at.isoformat(),
            "announce_due_at": release.announce_due_at.isoformat(),
        },
    )
    return release


@transaction.atomic
def release_announced(
    *, actor: Any, release: Release, where: str, url: str = "", at: datetime, now: datetime
) -> Release:
    """Record an announcement made outside the e-learning platform."""
    release = Release.objects.select_for_update().get(pk=release.pk)
    if not access.can_work_in(actor, release.unit):
        raise PermissionDenied
    if release.announced_at is not None:
        raise ValidationError(_("This release was announced already."))
    if not where.strip():
        raise ValidationError(_("Say where it was announced."))
    if at > now:
        raise ValidationError(_("An announcement is recorded once it is made."))
    release.announced_at, release.announced_where = at, where.strip()[:300]
    release.announced_url = url.strip()
    release.save(update_fields=["announced_at", "announced_where", "announced_url"])
    audit_record(
        actor=actor,
        action="release.announce",
        obj=release,
        unit=release.unit,
        after={"announced_at": at.isoformat(), "announced_where": release.announced_where},
    )
    return release


def releases_covered(*, announcement: Announcement, releases: Sequence[Release]) -> None:
    """The releases an e-learning announcement announces (in its caller's transaction)."""
    Release.objects.filter(
        pk__in=[release.pk for release in releases], announced_at__isnull=True
    ).update(announcement=announcement)


def releases_announced_by(*, announcement: Announcement, at: datetime, where: str) -> None:
    """The announcement appeared: the releases it covers are announced (in its caller's
    transaction, once: a release announced before keeps that moment)."""
    for release in Release.objects.filter(announcement=announcement, announced_at__isnull=True):
        release.announced_at, release.announced_where = at, where[:300]
        release.save(update_fields=["announced_at", "announced_where"])
        audit_record(
            actor=None,
            action="release.announce",
            obj=release,
            unit=release.unit,
            after={"announced_at": at.isoformat(), "announced_where": release.announced_where},
        )
