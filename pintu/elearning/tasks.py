"""Background work of the e-learning module: every Moodle site's course list is kept
fresh, announcements go out when their publish time comes, and the online learning
services are probed."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.elearning import selectors, services
from pintu.elearning.client import MoodleError
from pintu.elearning.probe import look

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


@periodic(every=timedelta(seconds=settings.PINTU_PROBE_SECONDS))
@task()
def probe_services() -> dict[str, bool]:
    """Look at every listed service once (B.1.8.17.a); outside any transaction, one
    service after another."""
    return {
        service.name: services.probe_record(
            service=service,
            look=look(service.url, timeout=settings.PINTU_PROBE_TIMEOUT_SECONDS),
            at=timezone.now(),
        ).up
        for service in selectors.probed_services()
    }
