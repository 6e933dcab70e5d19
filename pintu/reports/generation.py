"""The worker's writing of a report version: the figures gathered, the file written in
its format, progress kept on the version as it goes so that the page's bar moves, and
the file saved with its audit row in one transaction (or the failure kept with why)."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.reports.content import gather
from pintu.reports.models import ReportVersion
from pintu.reports.writers import WRITERS

log = logging.getLogger(__name__)


def _progress(version_pk: int) -> Any:
    def tell(percent: int, stage: str) -> None:
        ReportVersion.objects.filter(pk=version_pk).update(
            progress=min(max(percent, 0), 99), stage=stage[:200]
        )

    return tell


def generation_run(version_pk: int, now: datetime) -> ReportVersion:
    """Write a version's file (the worker's part). Progress is written as it goes, so the
    page's bar moves; the file and its audit row are saved in one transaction. A failure
    is kept on the version, with its reason, for the page to show."""
    claimed = ReportVersion.objects.filter(
        pk=version_pk, status=ReportVersion.Status.QUEUED
    ).update(status=ReportVersion.Status.RUNNING, stage=_("Starting"))
    version = ReportVersion.objects.select_related("report__unit").get(pk=version_pk)
    if not claimed:
        return version  # already written, or being written by another worker
    tell = _progress(version_pk)
    try:
        content = gather(version.report, now, tell)
        data = WRITERS[version.format](content, tell)
        _keep(version, data, now)
    except Exception as error:  # the page shows why; nothing half-written is kept
        log.exception("report version %s failed", version_pk)
        with transaction.atomic():
            ReportVersion.objects.filter(pk=version_pk).update(
                status=ReportVersion.Status.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=now,
            )
            version.refresh_from_db()
            audit_record(
                actor=None,
                action="reports.generate_failed",
                obj=version,
                unit=version.report.unit,
                after={"error": version.error},
            )
    return version


def _keep(version: ReportVersion, data: bytes, now: datetime) -> None:
    """The file saved in the file store, then its row and audit row; a store that fails
    (``pintu.core.files.StoreUnavailable``) leaves the version to be failed, not done."""
    with transaction.atomic():
        version.file.save(version.filename, ContentFile(data), save=False)
        version.size = len(data)
        version.sha256 = hashlib.sha256(data).hexdigest()
        version.status = ReportVersion.Status.DONE
        version.progress = 100
        version.stage = ""
        version.finished_at = now
        version.save(
            update_fields=["file", "size", "sha256", "status", "progress", "stage", "finished_at"]
        )
        audit_record(
            actor=None,
            action="reports.generated",
            obj=version,
            unit=version.report.unit,
            after={"file": version.filename, "size": version.size, "sha256": version.sha256},
        )
