"""Units, people, their roles per unit, and each unit's business calendar (as data)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    class Kind(models.TextChoices):
        DIRECTORATE = "directorate", _("Directorate")
        UNIT = "unit", _("Unit")
        DEPARTMENT = "department", _("Department")
        STUDY_PROGRAMME = "study_programme", _("Study programme")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    ticket_prefix = models.CharField(
        _("ticket prefix"),
        max_length=8,
        blank=True,
        help_text=_("Starts each request reference, e.g. SI for SI-26-00042; the code if empty."),
    )
    email = models.EmailField(
        _("service e-mail address"), blank=True, help_text=_("The unit's helpdesk address.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def reference_prefix(self) -> str:
        return self.ticket_prefix or self.code


class User(AbstractUser):
    """A person who signs in: requester, staff, supervisor, head, auditor or admin."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(
        _("WhatsApp number"),
        max_length=20,
        blank=True,
        help_text=_("International format without +, e.g. 6281234567890."),
    )
    identifier = models.CharField(
        _("staff or student number"), max_length=40, blank=True, help_text=_("NIP, NIK or NIM.")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    REQUESTER = "requester", _("Requester")
    STAFF = "staff", _("Staff")
    SUPERVISOR = "supervisor", _("Sub-coordinator")
    HEAD = "head", _("Unit head")
    AUDITOR = "auditor", _("Quality auditor")
    ADMIN = "admin", _("Administrator")


# Roles that hold for every unit at once; they carry no unit.
INSTITUTION_ROLES = (Role.AUDITOR, Role.ADMIN)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="membership_unique_role_per_unit"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True),
                name="membership_unique_institution_role",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in INSTITUTION_ROLES], unit__isnull=True)
                | (~Q(role__in=[r.value for r in INSTITUTION_ROLES]) & Q(unit__isnull=False)),
                name="membership_unit_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.code if self.unit else _("all units")
        return f"{self.user} · {self.get_role_display()} · {where}"


def default_weekly_hours() -> list[list[str] | None]:
    """Mon-Thu 07:30-16:00, Fri 07:30-16:30, weekend closed (Monday first)."""
    return [["07:30", "16:00"]] * 4 + [["07:30", "16:30"], None, None]


class BusinessCalendar(models.Model):
    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="calendar"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Jakarta")
    weekly_hours = models.JSONField(
        _("weekly hours"),
        default=default_weekly_hours,
        help_text=_('Seven entries, Monday first: ["07:30", "16:00"] or null for closed.'),
    )

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return f"{self.unit.code} ({self.time_zone})"


class Holiday(models.Model):
    """A national holiday or cuti bersama; loaded from `holidays`, correctable by admins."""

    class Category(models.TextChoices):
        PUBLIC = "public", _("National holiday")
        GOVERNMENT = "government", _("Collective leave (cuti bersama)")

    class Source(models.TextChoices):
        PACKAGE = "package", _("holidays package")
        ADMIN = "admin", _("administrator")

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    observed = models.BooleanField(
        _("observed"),
        default=True,
        help_text=_("Untick to correct an estimated date that turned out to be a working day."),
    )

    class Meta:
        ordering = ["date", "name"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(fields=["date", "name"], name="holiday_unique_date_name")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Closure(models.Model):
    """Days a unit (or, with no unit, the whole institution) does not work."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text=_("Empty when the whole institution is closed."),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to (inclusive)"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="closure_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date} {self.reason}"
