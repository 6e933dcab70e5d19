"""Writes of the reports, each in one transaction with its audit row: analysis points,
the follow-up plan and its outcomes, a generation asked for (the worker writes the file:
``pintu.reports.generation``) and a version handed in. The reminders before a year's
report is due are in ``pintu.reports.reminders``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.kpi import access
from pintu.reports.content import Figure, figures
from pintu.reports.models import AnalysisPoint, FollowUp, Report, ReportVersion
from pintu.reports.tasks import generate_report
from pintu.reports.writers import WRITERS


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
    transaction.on_commit(lambda: generate_report.enqueue(version.pk), robust=True)
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
