"""Cooperation activities, each carried by a desk request through the four steps of SOP
PR.KS: the plan (rencana kegiatan), the coordination with the partner and the internal
units, the execution with the partner, and the archived report that feeds the LED.

An activity keeps what each step recorded and when; its stage is the last step done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pintu.partners import lifecycle
from pintu.partners.models.register import ACADEMIC_UNITS, Agreement, Partner, Tridharma


class Activity(Tridharma):
    class Kind(models.TextChoices):
        # PR.KS, "Unit Kerja, melaksanakan kegiatan dengan mitra": "Kunjungan", "Rapat
        # (daring/luring)"; the other kinds are Pintu's, the usual ones of a polytechnic.
        VISIT = "visit", _("Visit")
        MEETING_ONLINE = "meeting_online", _("Online meeting")
        MEETING_OFFLINE = "meeting_offline", _("Meeting in person")
        GUEST_LECTURE = "guest_lecture", _("Guest lecture")
        INTERNSHIP = "internship", _("Internship")
        JOINT_RESEARCH = "joint_research", _("Joint research")
        OTHER = "other", _("Other")

    ticket = models.OneToOneField(
        "desk.Ticket",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The request whose steps the activity goes through."),
    )
    request = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("partner's request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The partner's request this activity follows up (B.1.15.14.c)."),
    )
    title = models.CharField(_("title"), max_length=300)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="activities"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("departments and study programmes"),
        related_name="+",
        blank=True,
        limit_choices_to=ACADEMIC_UNITS,
    )
    # 1. The plan: "Rencana kegiatan dapat berupa penjadwalan, rapat, dan lain-lain".
    planned_start = models.DateField(_("planned from"))
    planned_end = models.DateField(_("planned until"), null=True, blank=True)
    agenda = models.TextField(_("agenda"))
    meetings = models.TextField(_("meetings"), blank=True)
    planned_at = models.DateTimeField(_("planned"), default=timezone.now)
    # 2. The coordination "dengan mitra dan unit internal terkait".
    partner_notes = models.TextField(_("coordination with the partner"), blank=True)
    unit_notes = models.TextField(_("coordination with the units"), blank=True)
    coordinated_at = models.DateTimeField(_("coordinated"), null=True, blank=True)
    # 3. The execution with the partner.
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True, db_index=True)
    held_until = models.DateField(_("held until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link"), blank=True, help_text=_("For a meeting online."))
    attendees = models.TextField(_("attendees"), blank=True)
    attendee_count = models.PositiveIntegerField(_("number of attendees"), null=True, blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    carried_out_at = models.DateTimeField(_("recorded as carried out"), null=True, blank=True)
    # 4. The report, archived "sebagai salah satu data untuk Laporan Evaluasi Diri (LED)".
    report = models.TextField(_("report"), blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        ordering = ["-planned_start", "-id"]
        verbose_name = _("cooperation activity")
        verbose_name_plural = _("cooperation activities")

    def __str__(self) -> str:
        return self.title

    @property
    def stage(self) -> lifecycle.Stage:
        return lifecycle.stage_of(
            coordinated=self.coordinated_at is not None,
            carried_out=self.carried_out_at is not None,
            archived=self.archived_at is not None,
        )


def activity_file_path(instance: ActivityFile, filename: str) -> str:
    return f"partners/activities/{instance.activity_id}/{filename}"


class ActivityFile(models.Model):
    """A file of an activity's archived report (minutes, attendance list, photos)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=activity_file_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["activity", "uploaded_at", "id"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")

    def __str__(self) -> str:
        return self.filename
