"""A unit's yearly report and what its people write into it.

A ``Report`` is one kind of report (the LED, form FO.2.3.1, or PR.13.2's service
analysis) of one unit for one year. Its people add analysis points (strengths,
weaknesses, causes of breaches), each with the figures that support it, and a follow-up
plan (rencana tindak lanjut) whose actions are tracked and shown, with their outcome, in
next year's report. Each generation is a ``ReportVersion``: a file in one format, kept
with every earlier version. A report counts as delivered (B.4.10.8) once a lead marks a
version as the one handed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Report(models.Model):
    class Kind(models.TextChoices):
        LED = "led", _("Self-evaluation report (LED)")
        ANALYSIS = "analysis", _("Service analysis report")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    delivered_version = models.ForeignKey(
        "ReportVersion",
        verbose_name=_("version handed in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("handed in"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed in by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-year", "unit__code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="report_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit.code} {self.year}"


class ReportVersion(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", _("XLSX (data annex)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", pgettext_lazy("generation", "failed")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/", max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number} ({self.format})"

    @property
    def filename(self) -> str:
        report = self.report
        name = "LED" if report.kind == Report.Kind.LED else "Analisis-Layanan"
        return f"{name}-{report.unit.code}-{report.year}-v{self.number}.{self.format}"


class AnalysisPoint(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        WEAKNESS = "weakness", _("Weakness")
        CAUSE = "cause", _("Cause of a breach")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="points"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("analysis"))
    # The figures offered from the data that the writer chose to support the point:
    # [{"key": "kpi:B.4.6.4.a", "label": "...", "value": "87,1% (305/350)"}], as read
    # when the point was written (a later figure does not rewrite the analysis).
    figures = models.JSONField(_("supporting figures"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("analysis point")
        verbose_name_plural = _("analysis points")
        ordering = ["kind", "written_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUp(models.Model):
    """An action of the follow-up plan (rencana tindak lanjut) written in a year's report;
    next year's report shows it with its outcome."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        DROPPED = "dropped", _("not done")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    point = models.ForeignKey(
        AnalysisPoint,
        verbose_name=_("answers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    action = models.TextField(_("action"))
    owner = models.CharField(_("person in charge"), max_length=200)
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.action[:60]


class ReportReminder(models.Model):
    """That a unit was reminded, so many days before its year's report is due; its
    unique row makes the reminder go once however many workers run."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "days_before"], name="report_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} -{self.days_before}d"
