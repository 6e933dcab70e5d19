"""The demo's e-learning platform: a Moodle site Pintu knows by name, with the course list
a synchronisation would have brought (the demo's courses, in a category per semester), so
that P4M's requests of the demo year name courses the steps can approve changes for.

The site's address is reserved and never answers: the demo's changes and announcements
belong to its past and were recorded as sent then; the hourly synchronisation says on
the site's page that the demo has no Moodle to reach.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from pintu.elearning.models import MoodleSite
from pintu.elearning.protocol import CourseData
from pintu.elearning.services import courses_store
from pintu.site.demo.words import COURSES

DEMO_SITE = "demo"
DEMO_URL = "https://elearning.demo.invalid"


def learning_seed(now: datetime) -> None:
    if MoodleSite.objects.filter(name=DEMO_SITE).exists():
        return
    site = MoodleSite.objects.create(name=DEMO_SITE, url=DEMO_URL, created_at=now)
    year = timezone.localtime(now).year
    categories: dict[int, str] = {}
    for first in range(year - 2, year + 1):
        for term in ("Ganjil", "Genap"):
            categories[len(categories) + 10] = f"{term} {first}/{first + 1}"
    oldest = min(categories)
    courses = [
        CourseData(
            id=2 + number,
            shortname=code,
            fullname=name,
            idnumber="",
            # Filed under the oldest semester: a request to move a course to the
            # semester it runs in is always a change (the demo's year never asks for it).
            categoryid=oldest,
            categoryname=categories[oldest],
            summary="",
            startdate=0,
            enddate=0,
            visible=True,
            format="topics",
        )
        for number, (code, name, _renamed) in enumerate(COURSES)
    ]
    # Every semester's category appears in the list, so that a move to any of them can be
    # approved.
    courses += [
        CourseData(
            id=100 + category,
            shortname=f"ARSIP-{category}",
            fullname=f"Arsip {name}",
            idnumber="",
            categoryid=category,
            categoryname=name,
            summary="",
            startdate=0,
            enddate=0,
            visible=False,
            format="topics",
        )
        for category, name in categories.items()
    ]
    courses_store(site=site, courses=courses, now=now)
