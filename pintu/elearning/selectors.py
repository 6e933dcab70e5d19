"""Reads of the e-learning module: Moodle sites and their courses."""

from __future__ import annotations

from django.db.models import QuerySet

from pintu.elearning.models import Course, MoodleSite


def sites() -> QuerySet[MoodleSite]:
    return MoodleSite.objects.order_by("name")


def courses(site: MoodleSite | None = None) -> QuerySet[Course]:
    """The courses of one site, or of every site, by site and short name."""
    found = Course.objects.select_related("site").order_by("site__name", "shortname", "moodle_id")
    return found.filter(site=site) if site is not None else found
