"""Background work of the e-learning module: every Moodle site's course list is kept
fresh, and announcements go out when their publish time comes."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.elearning import selectors, services
from pintu.elearning.client import MoodleError

logger = logging.getLogger("pintu.elearning")


@periodic(every=timedelta(minutes=settings.PINTU_MOODLE_SYNC_MINUTES))
@task()
def sync_courses() -> dict[str, int | str]:
    """Each site in turn; a site that fails keeps its error on its page and the others
    go on."""
    services.site_from_environment()
    done: dict[str, int | str] = {}
    for site in selectors.sites():
        try:
            done[site.name] = services.site_sync(site=site, now=timezone.now())
        except MoodleError as error:
            logger.warning("elearning: %s", error)
            done[site.name] = str(error)
    return done


@periodic(every=timedelta(minutes=1))
@task()
def publish_due_announcements() -> int:
    return services.announcements_due(now=timezone.now())
