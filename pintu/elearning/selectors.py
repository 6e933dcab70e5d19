"""Reads of the e-learning module: Moodle sites, their courses, and the changes and
announcements P4M approved, each with the state of its job."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, OuterRef, Prefetch, Q, QuerySet, Subquery

from pintu.elearning.models import (
    Announcement,
    AnnouncementTarget,
    Course,
    CourseChange,
    MoodleSite,
)
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
