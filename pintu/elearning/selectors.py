"""Reads of the e-learning module: Moodle sites, their courses, the changes and
announcements P4M approved (each with the state of its job), the register of releases,
and the availability of the probed services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from pintu.desk.models import Ticket
from pintu.elearning.access import RELEASES_UNIT
from pintu.elearning.models import (
    Announcement,
    AnnouncementTarget,
    Course,
    CourseChange,
    MoodleSite,
    Outage,
    Probe,
    ProbedService,
    Release,
)
from pintu.org.models import Unit
from pintu.outbox.models import OutboxItem, of_source


def sites() -> QuerySet[MoodleSite]:
    return MoodleSite.objects.order_by("name")


def courses(site: MoodleSite | None = None) -> QuerySet[Course]:
    """The courses of one site, or of every site, by site and short name."""
    found = Course.objects.select_related("site").order_by("site__name", "shortname", "moodle_id")
    return found.filter(site=site) if site is not None else found


def courses_named(name: str, *, site: str = "") -> QuerySet[Course]:
    """The courses whose short name or ID number is ``name`` (any case), of site ``site``
    when one is named."""
    name = name.strip()
    found = courses().filter(Q(shortname__iexact=name) | Q(idnumber__iexact=name))
    return found.filter(site__name=site) if site else found


def categories(site: MoodleSite) -> dict[int, str]:
    """The category names the site's course list knows, by id."""
    return dict(
        Course.objects.filter(site=site)
        .exclude(category_name="")
        .values_list("category", "category_name")
        .distinct()
    )


def _job_of(model: type[Model]) -> QuerySet[OutboxItem]:
    """The outbox job each row of ``model`` made (its source), for a Subquery."""
    return OutboxItem.objects.filter(
        source_type=ContentType.objects.get_for_model(model), source_id=OuterRef("pk")
    ).order_by("-id")


def course_changes() -> QuerySet[CourseChange]:
    """Every approved change, newest first, with the status and last error of its job."""
    job = _job_of(CourseChange)
    return CourseChange.objects.select_related("ticket", "site", "approved_by").annotate(
        job_status=Subquery(job.values("status")[:1]),
        job_error=Subquery(job.values("last_error")[:1]),
    )


def announcement_targets() -> QuerySet[AnnouncementTarget]:
    """Targets with the id, status and last error of their job (none while they wait for
    their publish time)."""
    job = _job_of(AnnouncementTarget)
    return AnnouncementTarget.objects.annotate(
        job_id=Subquery(job.values("pk")[:1]),
        job_status=Subquery(job.values("status")[:1]),
        job_error=Subquery(job.values("last_error")[:1]),
    )


def announcements() -> QuerySet[Announcement]:
    """Every approved announcement, the latest publish time first, with its targets."""
    return Announcement.objects.select_related("ticket", "site", "approved_by").prefetch_related(
        Prefetch("targets", queryset=announcement_targets())
    )


def dead_job(row: Model) -> OutboxItem | None:
    """The job ``row`` made, if it was given up on."""
    return OutboxItem.objects.filter(of_source(row), status=OutboxItem.Status.DEAD).first()


def releases() -> QuerySet[Release]:
    return Release.objects.select_related("unit", "recorded_by", "ticket", "announcement")


def releases_waiting() -> QuerySet[Release]:
    """Releases no announcement covers yet, the oldest publication first."""
    return (
        releases()
        .filter(announced_at__isnull=True, announcement__isnull=True)
        .order_by("published_at")
    )


def probed_services() -> QuerySet[ProbedService]:
    return ProbedService.objects.filter(is_active=True).order_by("name")


@dataclass(frozen=True)
class ServiceStatus:
    """A probed service as the status page shows it."""

    service: ProbedService
    last: Probe | None
    down_since: datetime | None  # the open outage's start
    month: float | None  # availability this month, in percent
    days30: float | None  # over the last 30 days


def _shares(since: datetime) -> dict[int, float]:
    counted = (
        Probe.objects.filter(at__gte=since)
        .values("service")
        .annotate(up=Count("id", filter=Q(up=True)), total=Count("id"))
    )
    return {row["service"]: 100.0 * row["up"] / row["total"] for row in counted if row["total"]}


def status_board(*, now: datetime) -> list[ServiceStatus]:
    """Every probed service: its latest probe, whether it is down now, and how available
    it was this month and over the last 30 days (a few queries, whatever their number)."""
    listed = list(probed_services())
    latest = Probe.objects.filter(service=OuterRef("pk")).order_by("-at", "-id")
    last_ids = dict(
        ProbedService.objects.filter(pk__in=[s.pk for s in listed])
        .annotate(last=Subquery(latest.values("pk")[:1]))
        .values_list("pk", "last")
    )
    last = Probe.objects.in_bulk([pk for pk in last_ids.values() if pk])
    down = dict(
        Outage.objects.filter(ended_at__isnull=True).values_list("service_id", "started_at")
    )
    local = timezone.localtime(now)
    month = _shares(local.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    days30 = _shares(now - timedelta(days=30))
    return [
        ServiceStatus(
            service=service,
            last=last.get(last_ids.get(service.pk) or 0),
            down_since=down.get(service.pk),
            month=month.get(service.pk),
            days30=days30.get(service.pk),
        )
        for service in listed
    ]


def outages_recent(limit: int = 10) -> QuerySet[Outage]:
    return Outage.objects.select_related("service", "ticket").order_by("-started_at")[:limit]


def ticket_by_reference(reference: str) -> Ticket | None:
    return Ticket.objects.filter(reference__iexact=reference.strip()).first()


def release_unit() -> Unit:
    """The unit whose register of releases this is (UPT-SI)."""
    return Unit.objects.get(code=RELEASES_UNIT)
