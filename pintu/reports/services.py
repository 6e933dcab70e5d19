"""Writes of the reports, each in one transaction with its audit row: analysis points,
the follow-up plan and its outcomes, a generation asked for (the worker writes the
file), a version handed in, and the reminders before a year's report is due."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.kpi import access
from pintu.org.models import Membership, Role, Unit
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import message_queue
from pintu.reports.content import Figure, figures, gather
from pintu.reports.models import AnalysisPoint, FollowUp, Report, ReportReminder, ReportVersion
from pintu.reports.schedule import due_date, reminder_due
from pintu.reports.writers import WRITERS

log = logging.getLogger(__name__)


def _may_write(actor: Any, report: Report) -> Report:
    """The report, saved (a report is kept from its first write), once ``actor`` may
    write into it."""
    if not access.can_keep_evidence(actor, report.unit):
        raise PermissionDenied
    if report.pk is None:
        report, _created = Report.objects.get_or_create(
            unit=report.unit, year=report.year, kind=report.kind
        )
    return report


@transaction.atomic
def point_add(
    *, actor: Any, report: Report, kind: str, text: str, figure_keys: list[str], now: datetime
) -> AnalysisPoint:
    """An analysis point with the figures, among those the page offers, that support it
    (their values as of now are kept with the point)."""
    report = _may_write(actor, report)
    if kind not in AnalysisPoint.Kind.values:
        raise ValidationError({"kind": _("Choose strength, weakness or cause of a breach.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the point.")})
    offered: dict[str, Figure] = {f.key: f for f in figures(report.unit, report.year, now)}
    unknown = [key for key in figure_keys if key not in offered]
    if unknown:
        raise ValidationError(
            {"figures": _("These figures are not offered: %(keys)s") % {"keys": ", ".join(unknown)}}
        )
    point = AnalysisPoint.objects.create(
        report=report,
        kind=kind,
        text=text.strip(),
        figures=[
            {"key": key, "label": offered[key].label, "value": offered[key].value}
            for key in figure_keys
        ],
        author=actor,
        written_at=now,
    )
    audit_record(
        actor=actor,
        action="reports.point_add",
        obj=point,
        unit=report.unit,
        after={
            "kind": kind,
            "text": point.text,
            "figures": [f"{f['label']}: {f['value']}" for f in point.figures],
        },
    )
    return point


@transaction.atomic
def point_remove(*, actor: Any, point: AnalysisPoint) -> None:
    _may_write(actor, point.report)
    audit_record(
        actor=actor,
        action="reports.point_remove",
        obj=point,
        unit=point.report.unit,
        before={"kind": point.kind, "text": point.text},
    )
    point.delete()


@transaction.atomic
def follow_up_add(
    *,
    actor: Any,
    report: Report,
    action: str,
    owner: str,
    due: date,
    now: datetime,
    point: AnalysisPoint | None = None,
) -> FollowUp:
    """An action of the follow-up plan: what, who is in charge, by when."""
    report = _may_write(actor, report)
    errors = {}
    if not action.strip():
        errors["action"] = _("Say what will be done.")
    if not owner.strip():
        errors["owner"] = _("Name the person in charge.")
    if due < date(report.year, 1, 1):
        errors["due"] = _("The due date cannot be before the year of the report.")
    if point is not None and point.report_id != report.pk:
        errors["point"] = _("That point belongs to another report.")
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        report=report,
        point=point,
        action=action.strip(),
        owner=owner.strip(),
        due=due,
        written_by=actor,
        written_at=now,
    )
    audit_record(
        actor=actor,
        action="reports.follow_up_add",
        obj=follow_up,
        unit=report.unit,
        after={"action": follow_up.action, "owner": follow_up.owner, "due": str(due)},
    )
    return follow_up


@transaction.atomic
def follow_up_close(
    *, actor: Any, follow_up: FollowUp, status: str, outcome: str, now: datetime
) -> FollowUp:
    """The outcome of a planned action: done, or not done and why (shown in next year's
    report beside the plan)."""
    follow_up = (
        FollowUp.objects.select_for_update().select_related("report__unit").get(pk=follow_up.pk)
    )
    _may_write(actor, follow_up.report)
    if status not in (FollowUp.Status.DONE, FollowUp.Status.DROPPED):
        raise ValidationError({"status": _("Choose done or not done.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what came of it.")})
    before = {"status": follow_up.status, "outcome": follow_up.outcome}
    follow_up.status = status
    follow_up.outcome = outcome.strip()
    follow_up.closed_at = now
    follow_up.save(update_fields=["status", "outcome", "closed_at"])
    audit_record(
        actor=actor,
        action="reports.follow_up_close",
        obj=follow_up,
        unit=follow_up.report.unit,
        before=before,
        after={"status": status, "outcome": follow_up.outcome},
    )
    return follow_up


@transaction.atomic
def generation_request(*, actor: Any, report: Report, format: str, now: datetime) -> ReportVersion:
    """A new version of the report in ``format``, written by the worker; earlier versions
    stay."""
    report = _may_write(actor, report)
    if format not in WRITERS:
        raise ValidationError({"format": _("Choose PDF, DOCX or XLSX.")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report, number=number, format=format, requested_by=actor, requested_at=now
    )
    audit_record(
        actor=actor,
        action="reports.generate",
        obj=version,
        unit=report.unit,
        after={"report": str(report), "version": number, "format": format},
    )
    from pintu.reports.tasks import generate_report

    transaction.on_commit(lambda: generate_report.enqueue(version.pk), robust=True)
    return version


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
    return version


@transaction.atomic
def report_deliver(*, actor: Any, version: ReportVersion, now: datetime) -> Report:
    """Mark a written version as the one handed in (B.4.10.8 counts the report)."""
    report = Report.objects.select_for_update().get(pk=version.report_id)
    _may_write(actor, report)
    if version.status != ReportVersion.Status.DONE:
        raise ValidationError(_("Only a version that is ready can be handed in."))
    before = {"version": report.delivered_version.number if report.delivered_version else None}
    report.delivered_version = version
    report.delivered_at = now
    report.delivered_by = actor
    report.save(update_fields=["delivered_version", "delivered_at", "delivered_by"])
    audit_record(
        actor=actor,
        action="reports.deliver",
        obj=report,
        unit=report.unit,
        before=before,
        after={"version": version.number, "format": version.format},
    )
    return report


def reminders_send(now: datetime, today: date) -> list[ReportReminder]:
    """Remind each unit with KPIs of its last year's report as its due day nears: the
    heads and sub-coordinators by e-mail, once per threshold however many workers run
    (the reminder's unique row is claimed in the transaction of its messages)."""
    from pintu.kpi.selectors import units_with_kpis

    # The report whose due day comes next: last year's until its day has passed.
    spec = settings.PINTU_REPORT_DUE
    year = today.year - 1 if today <= due_date(today.year - 1, spec) else today.year
    sent = []
    for unit in units_with_kpis():
        days = reminder_due(today, year, spec, settings.PINTU_REPORT_REMINDER_DAYS)
        if days is None:
            continue
        reminder = _remind(unit, year, days, now, today)
        if reminder is not None:
            sent.append(reminder)
    return sent


def _remind(unit: Unit, year: int, days: int, now: datetime, today: date) -> ReportReminder | None:
    leads = (
        Membership.objects.filter(unit=unit, role__in=[Role.HEAD, Role.SUPERVISOR])
        .exclude(user__email="")
        .select_related("user")
    )
    due = due_date(year, settings.PINTU_REPORT_DUE)
    delivered = Report.objects.filter(
        unit=unit, year=year, kind=Report.Kind.LED, delivered_at__isnull=False
    ).exists()
    if delivered:
        return None
    try:
        with transaction.atomic():
            reminder = ReportReminder.objects.create(
                unit=unit, year=year, days_before=days, sent_at=now, recipients=0
            )
            for membership in leads:
                message_queue(
                    transport="email",
                    purpose=OutboxItem.Purpose.NOTIFICATION,
                    recipient=membership.user.email,
                    subject=_("The %(year)s self-evaluation report of %(unit)s is due on %(due)s")
                    % {"year": year, "unit": unit.code, "due": due.isoformat()},
                    body_text=_(
                        "The self-evaluation report (LED) of %(unit)s for %(year)s is due on "
                        "%(due)s, in %(days)s days. Its KPIs, analysis and follow-up plan are on "
                        "the unit's report page in Pintu."
                    )
                    % {
                        "unit": unit.name,
                        "year": year,
                        "due": due.isoformat(),
                        "days": (due - today).days,
                    },
                    cause=reminder,
                    at=now,
                )
                reminder.recipients += 1
            reminder.save(update_fields=["recipients"])
            audit_record(
                actor=None,
                action="reports.remind",
                obj=reminder,
                unit=unit,
                after={"year": year, "days_before": days, "recipients": reminder.recipients},
            )
    except IntegrityError:
        return None  # another worker sent this one
    return reminder
