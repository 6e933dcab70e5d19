"""The content calendar of Humas dan Kerjasama (SOP PR.27.4, unit PHK): the items of the
schedule ("timeline publikasi konten kreatif"), their production tasks, assets,
publications and reach; the reviews that decided the schedule, each keeping the reviewed
version of it ("Jadwal Kegiatan", kept 5 years); and the sub-coordinator's review of the
year's activity reports and evaluation, which feeds the unit's LED (B.4.10.8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEBSITE = "website", _("Website")
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    PRINT = "print", _("Print")
    OTHER = "other", _("Other")


class ItemStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PRODUCTION = "in_production", _("In production")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    EVALUATED = "evaluated", _("Evaluated")


class ContentItem(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    brief = models.TextField(_("brief"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    planned_at = models.DateTimeField(_("planned publication"), db_index=True)
    # The planned moment as the last review of the schedule set it: slippage is measured
    # against what was agreed, not against a date moved the day before.
    baseline_at = models.DateTimeField(_("planned as reviewed"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.IDEA
    )
    links = models.JSONField(_("links"), default=list, blank=True)
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["planned_at", "id"]
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        indexes = [models.Index(fields=["unit", "planned_at"], name="content_item_unit_planned")]

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """Each move of an item from one status to another: its history, kept as it happened."""

    item = models.ForeignKey(
        ContentItem, verbose_name=_("content item"), on_delete=models.CASCADE, related_name="moves"
    )
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.status}"


def asset_path(instance: Asset, filename: str) -> str:
    now = timezone.now()
    return f"media-assets/{now:%Y/%m}/{instance.item_id}/{filename}"


class Asset(models.Model):
    item = models.ForeignKey(
        ContentItem, verbose_name=_("content item"), on_delete=models.CASCADE, related_name="assets"
    )
    file = models.FileField(_("file"), upload_to=asset_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """A production task of an item ("Melaksanakan produksi konten media kreatif")."""

    item = models.ForeignKey(
        ContentItem, verbose_name=_("content item"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("production task")
        verbose_name_plural = _("production tasks")

    def __str__(self) -> str:
        return self.title


class Publication(models.Model):
    item = models.ForeignKey(
        ContentItem,
        verbose_name=_("content item"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    url = models.URLField(_("address"), max_length=500)
    published_at = models.DateTimeField(_("published"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["published_at", "id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.url


class Metric(models.Model):
    """How far an item reached, as its channel counted it on a day."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("entered")
        CSV = "csv", _("imported from CSV")

    item = models.ForeignKey(
        ContentItem,
        verbose_name=_("content item"),
        on_delete=models.CASCADE,
        related_name="metrics",
    )
    measured_on = models.DateField(_("measured on"))
    reach = models.PositiveIntegerField(_("reach"))
    engagement = models.PositiveIntegerField(_("engagement"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["measured_on", "id"]
        verbose_name = _("reach and engagement")
        verbose_name_plural = _("reach and engagement")
        constraints = [
            models.UniqueConstraint(fields=["item", "measured_on"], name="metric_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.measured_on}: {self.reach}/{self.engagement}"


class Review(models.Model):
    """A review of the schedule and the development plan ("mereviu jadwal kegiatan dan
    rencana pengembangan media informasi": a meeting, an e-mail discussion, or social
    media), with the items it decided and the schedule of its period as it stood: the
    reviewed version the SOP keeps as "Jadwal Kegiatan"."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail discussion")
        SOCIAL = "social", _("Social media")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("how"), max_length=16, choices=Kind.choices)
    held_at = models.DateTimeField(_("held"))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    period_start = models.DateField(_("schedule from"))
    period_end = models.DateField(_("schedule until"))
    items = models.ManyToManyField(
        ContentItem, verbose_name=_("items decided"), related_name="reviews", blank=True
    )
    version = models.PositiveIntegerField(_("schedule version"))
    schedule = models.JSONField(_("schedule as reviewed"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("schedule review")
        verbose_name_plural = _("schedule reviews")
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="schedule_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} v{self.version} {self.held_at:%Y-%m-%d}"


class ReportReview(models.Model):
    """The sub-coordinator's review of a year's activity reports and evaluation
    ("Sub Koordinator Humas dan Kerjasama, mereviu laporan kegiatan dan evaluasi"): the
    data for the unit's self-evaluation report (LED, B.4.10.8), with the figures as they
    stood when reviewed."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    report = models.TextField(_("activity report"))
    notes = models.TextField(_("review notes"), blank=True)
    figures = models.JSONField(_("figures as reviewed"), default=dict)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"))

    class Meta:
        ordering = ["-year", "-reviewed_at"]
        verbose_name = _("review of the activity report")
        verbose_name_plural = _("reviews of the activity report")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class FeedToken(models.Model):
    """The secret in the address of a unit's calendar feed (iCalendar)."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.unit_id)
