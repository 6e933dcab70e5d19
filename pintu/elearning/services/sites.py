"""The Moodle sites Pintu calls and their course lists.

A site comes from ``pintu elearning site add`` (its token sealed in the database) or from
``PINTU_MOODLE_URL`` and ``PINTU_MOODLE_TOKEN`` (the site named ``moodle``, its token read
from the environment at each call). Synchronising reads the course list from Moodle
first, outside any transaction, then stores it in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.doors.secrets import seal, unseal
from pintu.elearning.client import MoodleClient, MoodleError
from pintu.elearning.models import Course, MoodleSite
from pintu.elearning.protocol import CourseData, from_moodle_time

ENVIRONMENT_SITE = "moodle"


def site_token(site: MoodleSite) -> str:
    if site.from_environment:
        return str(settings.PINTU_MOODLE_TOKEN)
    return unseal(site.token_sealed)


def site_client(site: MoodleSite) -> MoodleClient:
    return MoodleClient(
        site=site.name,
        url=site.url,
        token=site_token(site),
        timeout=settings.PINTU_MOODLE_TIMEOUT_SECONDS,
    )


def _check_url(url: str) -> str:
    url = url.strip().rstrip("/")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("%(url)s is not the address of a site (http:// or https://).") % {"url": url}
        ) from None
    return url


@transaction.atomic
def site_add(*, actor: Any, name: str, url: str, token: str) -> tuple[MoodleSite, bool]:
    """Add a site, or give a site already known a new address and token. Returns the site
    and whether it is new."""
    name = name.strip().lower()
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ValidationError(_("A site's name is letters, digits, - and _ only."))
    if name == ENVIRONMENT_SITE and settings.PINTU_MOODLE_URL:
        raise ValidationError(
            _("The site %(name)s comes from PINTU_MOODLE_URL; change it there.") % {"name": name}
        )
    if not token.strip():
        raise ValidationError(_("Give the site's web-service token."))
    url = _check_url(url)
    site = MoodleSite.objects.select_for_update().filter(name=name).first()
    created = site is None
    before = None if site is None else {"url": site.url}
    if site is None:
        site = MoodleSite(name=name)
    site.url = url
    site.token_sealed = seal(token.strip())
    site.from_environment = False
    site.save()
    audit_record(
        actor=actor,
        action="moodle_site.add" if created else "moodle_site.change",
        obj=site,
        before=before,
        # The token never goes into the audit log; that it changed does.
        after={"name": site.name, "url": site.url, "token": "••••"},
    )
    return site, created


@transaction.atomic
def site_from_environment() -> MoodleSite | None:
    """The site of ``PINTU_MOODLE_URL``, made or updated to match it; None when unset."""
    if not settings.PINTU_MOODLE_URL:
        return None
    url = _check_url(settings.PINTU_MOODLE_URL)
    site, _created = MoodleSite.objects.get_or_create(
        name=ENVIRONMENT_SITE, defaults={"url": url, "from_environment": True}
    )
    if (site.url, site.from_environment, site.token_sealed) != (url, True, ""):
        site.url, site.from_environment, site.token_sealed = url, True, ""
        site.save(update_fields=["url", "from_environment", "token_sealed"])
    return site


COURSE_FIELDS = [
    "shortname",
    "fullname",
    "idnumber",
    "category",
    "category_name",
    "summary",
    "start",
    "end",
    "visible",
    "synced_at",
]


def course_take(course: Course, data: CourseData, now: datetime) -> Course:
    """``course`` as Moodle describes it in ``data`` (not saved): ``COURSE_FIELDS``."""
    course.shortname = data.shortname[:255]
    course.fullname = data.fullname[:254]
    course.idnumber = data.idnumber[:100]
    course.category = data.categoryid
    course.category_name = data.categoryname[:255]
    course.summary = data.summary
    course.start = from_moodle_time(data.startdate)
    course.end = from_moodle_time(data.enddate)
    course.visible = data.visible
    course.synced_at = now
    return course


@transaction.atomic
def courses_store(*, site: MoodleSite, courses: Sequence[CourseData], now: datetime) -> int:
    """Keep the course list as Moodle gave it: new courses added, known ones updated,
    courses Moodle no longer has removed. The front page is not a course of the list; its
    id is kept on the site (announcements for everyone go to its news forum). Returns
    how many courses the site has."""
    site = MoodleSite.objects.select_for_update().get(pk=site.pk)
    front_page = next((c.id for c in courses if c.is_front_page), site.front_page_course)
    listed = {c.id: c for c in courses if not c.is_front_page}
    known = {course.moodle_id: course for course in Course.objects.filter(site=site)}
    changed: list[Course] = []
    new: list[Course] = []
    for moodle_id, data in listed.items():
        known_or_new = known.get(moodle_id) or Course(site=site, moodle_id=moodle_id)
        course = course_take(known_or_new, data, now)
        (changed if course.pk else new).append(course)
    Course.objects.bulk_update(changed, COURSE_FIELDS, batch_size=500)
    Course.objects.bulk_create(new, batch_size=500)
    Course.objects.filter(site=site).exclude(moodle_id__in=list(listed)).delete()
    site.front_page_course = front_page
    site.synced_at = now
    site.last_error = ""
    site.save(update_fields=["front_page_course", "synced_at", "last_error"])
    return len(listed)


def site_sync(*, site: MoodleSite, now: datetime) -> int:
    """Read the site's course list from Moodle and keep it; how many courses it has.
    A failure is kept on the site (for its page) and raised as the MoodleError it was.
    Call outside any transaction: it talks to the network."""
    try:
        courses = site_client(site).courses()
    except MoodleError as error:
        MoodleSite.objects.filter(pk=site.pk).update(last_error=str(error))
        raise
    return courses_store(site=site, courses=courses, now=now)
