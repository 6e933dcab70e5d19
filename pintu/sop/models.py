"""The SOP catalogue: each loaded version of an SOP, its services, activities and KPIs.

A changed definition file becomes a new row (a new revision); tickets point at the
service type of the revision they started under, so they keep their procedure.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pintu.sop.definition import Definition, Service


class Sop(models.Model):
    code = models.CharField(_("SOP number"), max_length=64, db_index=True)
    revision = models.PositiveIntegerField(
        _("revision"), help_text=_("1 for the first loaded version, then one more per change.")
    )
    version = models.CharField(
        _("version"), max_length=32, blank=True, help_text=_("Empty where the SOP has none.")
    )
    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="sops"
    )
    approved_by = models.CharField(_("approved by"), max_length=300)
    effective = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Empty where the original's date was lost.")
    )
    definition = models.JSONField(_("definition"))
    source_name = models.CharField(_("source file"), max_length=200)
    source_sha256 = models.CharField(_("SHA-256 of the source file"), max_length=64)
    is_current = models.BooleanField(_("in force"), default=True)
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-revision"]
        verbose_name = "SOP"
        verbose_name_plural = "SOP"
        constraints = [
            models.UniqueConstraint(fields=["code", "revision"], name="sop_unique_revision"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="sop_one_current_per_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def parsed(self) -> Definition:
        """The stored definition as data; built once per instance (a revision's
        definition never changes once loaded)."""
        cached: Definition | None = self.__dict__.get("_parsed")
        if cached is None:
            cached = self.__dict__["_parsed"] = Definition.from_json(self.definition)
        return cached


class ServiceType(models.Model):
    sop = models.ForeignKey(
        Sop, verbose_name="SOP", on_delete=models.PROTECT, related_name="service_types"
    )
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    first_response = models.CharField(_("first response target"), max_length=16)
    resolution = models.CharField(_("resolution target"), max_length=16)
    clock = models.CharField(
        _("clock (working or calendar time)"), max_length=16, default="working"
    )
    kpi_code = models.CharField(_("KPI code"), max_length=32, blank=True)

    class Meta:
        ordering = ["sop", "id"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        constraints = [
            models.UniqueConstraint(fields=["sop", "key"], name="service_type_unique_key")
        ]

    def __str__(self) -> str:
        return self.name

    def definition(self) -> Service:
        """This service as its SOP revision declares it (fields, activities, targets)."""
        return next(s for s in self.sop.parsed().services if s.key == self.key)


class Activity(models.Model):
    sop = models.ForeignKey(
        Sop, verbose_name="SOP", on_delete=models.CASCADE, related_name="activity_rows"
    )
    key = models.SlugField(_("key"), max_length=64)
    position = models.PositiveIntegerField(_("position"))
    actor = models.CharField(_("actor"), max_length=64)
    description = models.TextField(_("description"))
    time_standard = models.CharField(_("time standard (Mutu Baku)"), max_length=16, blank=True)
    output = models.CharField(_("output"), max_length=300, blank=True)

    class Meta:
        ordering = ["sop", "position"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [models.UniqueConstraint(fields=["sop", "key"], name="activity_unique_key")]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


class Kpi(models.Model):
    sop = models.ForeignKey(
        Sop, verbose_name="SOP", on_delete=models.CASCADE, related_name="kpi_rows"
    )
    code = models.CharField(_("code"), max_length=32, db_index=True)
    text = models.TextField(_("indicator"))
    measure = models.CharField(_("measure"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict)
    target = models.CharField(_("target"), max_length=64)

    class Meta:
        ordering = ["sop", "id"]
        verbose_name = "KPI"
        verbose_name_plural = "KPI"
        constraints = [models.UniqueConstraint(fields=["sop", "code"], name="kpi_unique_code")]

    def __str__(self) -> str:
        return self.code
