"""The e-learning platform as Pintu knows it (PR.13.2, unit P4M): the Moodle sites it
talks to and their course lists, refreshed from Moodle, and the changes that requests
brought to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MoodleSite(models.Model):
    """A Moodle site and the web-service token Pintu calls it with. The token is kept
    sealed (``pintu.doors.secrets``); the site that ``PINTU_MOODLE_URL`` names keeps its
    token in the environment only."""

    name = models.SlugField(_("name"), max_length=50, unique=True)
    url = models.URLField(
        _("address"), help_text=_("The site's address, e.g. https://elearning.example.ac.id")
    )
    token_sealed = models.TextField(_("web-service token (sealed)"), blank=True)
    from_environment = models.BooleanField(
        _("from the environment"),
        default=False,
        help_text=_("Configured by PINTU_MOODLE_URL and PINTU_MOODLE_TOKEN."),
    )
    # Moodle's front page is a course of its own (format "site"); its news forum carries
    # the announcements for everyone.
    front_page_course = models.PositiveIntegerField(_("front page course id"), default=1)
    synced_at = models.DateTimeField(_("last synchronised"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Moodle site")
        verbose_name_plural = _("Moodle sites")

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """A course of a Moodle site as the last synchronisation found it."""

    site = models.ForeignKey(
        MoodleSite, verbose_name=_("Moodle site"), on_delete=models.CASCADE, related_name="courses"
    )
    moodle_id = models.PositiveIntegerField(_("id in Moodle"))
    shortname = models.CharField(_("short name"), max_length=255)
    fullname = models.CharField(_("full name"), max_length=254)
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True)
    category = models.PositiveIntegerField(_("category id"), default=0)
    category_name = models.CharField(_("category"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    start = models.DateTimeField(_("start date"), null=True, blank=True)
    end = models.DateTimeField(_("end date"), null=True, blank=True)
    visible = models.BooleanField(_("visible"), default=True)
    synced_at = models.DateTimeField(_("synchronised"), default=timezone.now)

    class Meta:
        ordering = ["site", "shortname"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["site", "moodle_id"], name="course_once_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.shortname} {self.fullname}"


class CourseChange(models.Model):
    """A change of a course's identity data that P4M approved at a request's step
    (PR.13.2 "Perubahan/pembaruan data identitas mata kuliah"), applied on Moodle by the
    worker, with the course as Moodle held it before and after: the evidence."""

    ticket = models.ForeignKey(
        "desk.Ticket", verbose_name=_("request"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        MoodleSite, verbose_name=_("Moodle site"), on_delete=models.PROTECT, related_name="+"
    )
    course_id = models.PositiveIntegerField(_("course id in Moodle"))
    course_name = models.CharField(
        _("course"), max_length=255, help_text=_("Its short name when the change was approved.")
    )
    changes = models.JSONField(
        _("new values"),
        help_text=_("By Moodle's field names, as core_course_update_courses takes them."),
    )
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"))
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("course change")
        verbose_name_plural = _("course changes")

    def __str__(self) -> str:
        return f"{self.course_name} ({self.ticket_id})"


class Announcement(models.Model):
    """An announcement P4M approved for the e-learning platform (PR.13.2 "Publikasi
    pengumuman pada media pembelajaran e-learning"): posted at its publish time to the
    news forum of each of its targets."""

    ticket = models.ForeignKey(
        "desk.Ticket", verbose_name=_("request"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        MoodleSite, verbose_name=_("Moodle site"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), help_text=_("Sanitised HTML, as Moodle shows it."))
    publish_at = models.DateTimeField(_("publish at"), db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"))

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title


class AnnouncementTarget(models.Model):
    """Where an announcement goes: the site's front page or a course. Each target keeps
    its own state and its own job, so that a failed one is retried alone."""

    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    course_id = models.PositiveIntegerField(_("course id in Moodle"))
    name = models.CharField(_("target"), max_length=255)
    front_page = models.BooleanField(_("front page"), default=False)
    queued_at = models.DateTimeField(_("sent to the worker"), null=True, blank=True)
    forum_id = models.PositiveIntegerField(_("news forum id"), null=True, blank=True)
    discussion_id = models.PositiveIntegerField(_("discussion id"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        ordering = ["announcement", "-front_page", "name"]
        verbose_name = _("announcement target")
        verbose_name_plural = _("announcement targets")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "course_id"], name="announcement_target_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["announcement"],
                condition=models.Q(queued_at__isnull=True),
                name="announcement_target_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.name}"


class Release(models.Model):
    """A new feature or a change of an information system, published (B.4.6.4.g, SOP
    PR.33.8, UPT-SI's register): its announcement ("sosialisasi") is due within a day of
    its publication, and the announcement that covers it closes it."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    system = models.CharField(_("information system"), max_length=200)
    feature = models.TextField(_("feature or change"))
    published_at = models.DateTimeField(_("published"), db_index=True)
    # From the publication on the unit's working clock, by the KPI's "within".
    announce_due_at = models.DateTimeField(_("announcement due"))
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="releases",
    )
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    announced_where = models.CharField(
        _("announced where"),
        max_length=300,
        blank=True,
        help_text=_("The e-learning platform, the campus e-mail, the website..."),
    )
    announced_url = models.URLField(_("announcement address"), max_length=500, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.system}: {self.feature[:60]}"


class ProbedService(models.Model):
    """An online learning service whose availability is watched (B.1.8.17.a: e-learning
    and the library's e-journals, e-books and e-repository), at an address an admin
    lists."""

    class Kind(models.TextChoices):
        ELEARNING = "elearning", _("e-learning")
        EJOURNAL = "ejournal", _("e-journal")
        EBOOK = "ebook", _("e-book")
        EREPOSITORY = "erepository", _("e-repository")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    url = models.URLField(_("address"), max_length=500)
    is_active = models.BooleanField(_("probed"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("probed service")
        verbose_name_plural = _("probed services")

    def __str__(self) -> str:
        return self.name


class Probe(models.Model):
    """One look at a service: did it answer, how, how fast."""

    service = models.ForeignKey(
        ProbedService, verbose_name=_("service"), on_delete=models.CASCADE, related_name="probes"
    )
    at = models.DateTimeField(_("at"))
    up = models.BooleanField(_("available"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("answered in (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("probe")
        verbose_name_plural = _("probes")
        indexes = [models.Index(fields=["service", "at"], name="probe_service_at_idx")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.at:%Y-%m-%d %H:%M} {'up' if self.up else 'down'}"


class Outage(models.Model):
    """A sustained failure of a service: from its first failed probe in a row to its next
    good one, with the incident request it opened."""

    service = models.ForeignKey(
        ProbedService, verbose_name=_("service"), on_delete=models.CASCADE, related_name="outages"
    )
    started_at = models.DateTimeField(_("since"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_outage_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.started_at:%Y-%m-%d %H:%M}"
