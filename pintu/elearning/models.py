"""The e-learning platform as Pintu knows it (PR.13.2, unit P4M): the Moodle sites it
talks to and their course lists, refreshed from Moodle."""

from __future__ import annotations

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
