"""The monitoring form BO.28.1.2 (Borang Monitoring Kerjasama): per agreement and year,
what was carried out under it (the activities held, chosen from the records), their
outputs and benefits, and, per department, the three aspects of B.1.15.8 assessed with
their evidence: (a) the benefit to learning, research and community service, (b) the
improvement of tridharma performance and supporting facilities, (c) the partner's
satisfaction and the continuity of the cooperation across years.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pintu.partners.models.activities import Activity
from pintu.partners.models.register import Agreement
from pintu.partners.models.satisfaction import SatisfactionSurvey


class Aspect(models.TextChoices):
    """B.1.15.8's aspects, under the values the measure's ``aspect`` parameter takes."""

    BENEFIT = "benefit", _("Benefit to learning, research and community service")
    PERFORMANCE = (
        "performance",
        _("Improvement of tridharma performance and the study programme's facilities"),
    )
    SATISFACTION = "satisfaction", _("Partner satisfaction and continuity of the cooperation")


class Monitoring(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="monitorings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    activities = models.ManyToManyField(
        Activity, verbose_name=_("activities carried out"), related_name="monitorings", blank=True
    )
    outputs = models.TextField(_("outputs"), blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last filled in"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last filled in by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "agreement_id"]
        verbose_name = _("monitoring form")
        verbose_name_plural = _("monitoring forms")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="monitoring_once_a_year",
                violation_error_message=_("This agreement has a monitoring form for the year."),
            )
        ]

    def __str__(self) -> str:
        return f"BO.28.1.2 {self.agreement} {self.year}"


class Assessment(models.Model):
    """One aspect for one department on a monitoring form: met or not, and the evidence
    (for satisfaction, the partner's survey answer may be it)."""

    monitoring = models.ForeignKey(
        Monitoring,
        verbose_name=_("monitoring form"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    department = models.ForeignKey(
        "org.Unit",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "department"},
    )
    aspect = models.CharField(_("aspect"), max_length=16, choices=Aspect.choices)
    met = models.BooleanField(_("met"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)
    survey = models.ForeignKey(
        SatisfactionSurvey,
        verbose_name=_("survey answer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )

    class Meta:
        ordering = ["monitoring", "department__code", "aspect"]
        verbose_name = _("aspect assessment")
        verbose_name_plural = _("aspect assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring", "department", "aspect"], name="assessment_once"
            ),
            models.CheckConstraint(
                condition=Q(met=False) | ~Q(evidence="") | Q(survey__isnull=False),
                name="assessment_met_with_evidence",
                violation_error_message=_("An aspect is met only with its evidence."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.monitoring} {self.department_id} {self.aspect}"
