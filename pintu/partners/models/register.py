"""The register of cooperation: partners and their contacts, the agreements signed with
them (MoU, MoA, implementation arrangements) with every version of their documents, and
the reminders sent before they end.

An agreement stores what people decided (its status) and its dates; whether it is active
or expired on a day is read from them (``pintu.partners.lifecycle``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pintu.partners import lifecycle

# The units an agreement or an activity names: the departments and their study
# programmes (B.1.15.7 and B.1.15.12 count them).
ACADEMIC_UNITS = {"kind__in": ["department", "study_programme"]}


class Scope(models.TextChoices):
    """The tridharma: what a cooperation serves."""

    EDUCATION = "education", _("Education")
    RESEARCH = "research", _("Research")
    SERVICE = "community_service", _("Community service")


class Tridharma(models.Model):
    """Which of the tridharma a cooperation serves, one flag each, so that counts by
    scope stay SQL filters."""

    education = models.BooleanField(_("education"), default=False)
    research = models.BooleanField(_("research"), default=False)
    community_service = models.BooleanField(_("community service"), default=False)

    class Meta:
        abstract = True

    @property
    def scopes(self) -> list[Scope]:
        return [scope for scope in Scope if getattr(self, scope.value)]


class Partner(models.Model):
    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        GOVERNMENT = "government", _("Government")
        UNIVERSITY = "university", _("University")
        SCHOOL = "school", _("School")
        NGO = "ngo", _("Non-governmental organisation")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        # B.1.15.7: "pada level internasional, nasional ataupun wilayah/lokal".
        INTERNATIONAL = "international", _("International")
        NATIONAL = "national", _("National")
        LOCAL = "local", _("Regional or local")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    country = models.CharField(_("country"), max_length=100, default="Indonesia")
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="partner_name_unique",
                violation_error_message=_("A partner of this name is in the register already."),
            )
        ]
        indexes = [models.Index(fields=["level", "country"], name="partner_level_country_idx")]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person at the partner: who signs, who coordinates, who answers the
    satisfaction survey. Reached by e-mail or WhatsApp like any requester."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("WhatsApp number"),
        max_length=20,
        blank=True,
        help_text=_("International format without +, e.g. 6281234567890."),
    )
    is_primary = models.BooleanField(
        _("main contact"), default=False, help_text=_("The satisfaction survey goes to them.")
    )

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class Agreement(Tridharma):
    class Kind(models.TextChoices):
        MOU = "mou", _("MoU (memorandum of understanding)")
        MOA = "moa", _("MoA (memorandum of agreement)")
        IA = "ia", _("IA (implementation arrangement)")

    class Status(models.TextChoices):
        DRAFT = lifecycle.Stored.DRAFT.value, _("Draft")
        IN_REVIEW = lifecycle.Stored.IN_REVIEW.value, _("In review")
        SIGNED = lifecycle.Stored.SIGNED.value, _("Signed")
        TERMINATED = lifecycle.Stored.TERMINATED.value, _("Terminated")

    number = models.CharField(
        _("number"), max_length=100, blank=True, help_text=_("The document's number, once given.")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    partners = models.ManyToManyField(
        Partner, verbose_name=_("parties"), related_name="agreements", blank=True
    )
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("departments and study programmes"),
        related_name="+",
        blank=True,
        limit_choices_to=ACADEMIC_UNITS,
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    ended_reason = models.TextField(_("reason for ending early"), blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that keeps the agreement (Unit Kerjasama)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                Lower("number"),
                condition=~Q(number=""),
                name="agreement_number_unique",
                violation_error_message=_("Another agreement has this number."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("The agreement ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().split(' ')[0]} {self.number or self.title}"

    def state_on(self, today: date) -> lifecycle.State:
        return lifecycle.state_on(self.status, self.starts_on, self.ends_on, today)


def version_path(instance: AgreementVersion, filename: str) -> str:
    return f"partners/agreements/{instance.agreement_id}/{instance.number}-{filename}"


class AgreementVersion(models.Model):
    """One uploaded version of an agreement's document (a draft, the reviewed text, the
    signed scan), kept with who uploaded it and when; a new upload never replaces one."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["agreement", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number} {self.filename}"


class ExpiryReminder(models.Model):
    """A reminder sent before an agreement ends: once per agreement, end date and
    threshold (a corrected end date is a new deadline, with reminders of its own). Its
    unique constraint is the claim: a second worker's insert fails and sends nothing."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reminders"
    )
    ends_on = models.DateField(_("ends on"))
    days_before = models.PositiveSmallIntegerField(_("days before the end"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "ends_on", "days_before"], name="expiry_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.days_before}"
