"""What the KPI engine keeps besides the records it reads: documents that show a KPI no
record can measure (a policy, a procedure, a list of systems), judged by a reviewer for
a period of validity; and the yearly evaluation of each service type, with its findings
and the follow-up done on each (B.1.8.16.e, B.1.8.17.c)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def evidence_path(instance: EvidenceDocument, filename: str) -> str:
    return f"evidence/{timezone.now():%Y}/{instance.unit_id}/{filename}"


class EvidenceDocument(models.Model):
    class Judgement(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    sop_code = models.CharField(_("SOP number"), max_length=64)
    kpi_code = models.CharField(_("KPI"), max_length=32)
    # For a checklist KPI (B.1.8.18): the item of the list this document shows.
    item = models.CharField(_("item"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    judgement = models.CharField(
        _("judgement"), max_length=16, choices=Judgement.choices, default=Judgement.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judged_at = models.DateTimeField(_("judged"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        ordering = ["kpi_code", "item", "-uploaded_at"]
        verbose_name = _("KPI evidence document")
        verbose_name_plural = _("KPI evidence documents")
        indexes = [models.Index(fields=["unit", "kpi_code"], name="kpi_evidence_unit_code_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="kpi_evidence_valid_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_code} {self.item or self.title}"


class ServiceEvaluation(models.Model):
    """One service type evaluated for a year (a service-analysis meeting, a survey)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    sop_code = models.CharField(_("SOP number"), max_length=64)
    service_key = models.SlugField(_("service type"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    evaluated_on = models.DateField(_("evaluated on"))
    summary = models.TextField(_("summary"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "sop_code", "service_key"]
        verbose_name = _("service evaluation")
        verbose_name_plural = _("service evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["sop_code", "service_key", "year"], name="service_evaluation_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sop_code} {self.service_key} {self.year}"


class Finding(models.Model):
    """What an evaluation found, and the follow-up action taken on it."""

    evaluation = models.ForeignKey(
        ServiceEvaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    text = models.TextField(_("finding"))
    action = models.TextField(_("follow-up action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["evaluation", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:60]
