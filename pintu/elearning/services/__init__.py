"""Writes of the e-learning module, one function each, each in one transaction with its
audit row and outbox rows; the calls to Moodle happen in the worker (``transport``) or in
``site_sync`` outside any transaction. This face hands on what callers use."""

from pintu.elearning.services.announcements import (
    announcement_approve,
    announcements_due,
)
from pintu.elearning.services.changes import course_change_approve
from pintu.elearning.services.probes import probe_record
from pintu.elearning.services.releases import release_announced, release_record
from pintu.elearning.services.sites import (
    ENVIRONMENT_SITE,
    courses_store,
    site_add,
    site_client,
    site_from_environment,
    site_sync,
)

__all__ = [
    "ENVIRONMENT_SITE",
    "announcement_approve",
    "announcements_due",
    "course_change_approve",
    "courses_store",
    "probe_record",
    "release_announced",
    "release_record",
    "site_add",
    "site_client",
    "site_from_environment",
    "site_sync",
]
