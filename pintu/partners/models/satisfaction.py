"""The partner satisfaction survey: a few ratings from 1 to 5 and a comment, asked of a
partner's contact through a link that needs no account. The link's token is random and
kept only as its SHA-256 digest; it expires (``PINTU_PARTNERS_SURVEY_DAYS``) and takes
one answer, which is kept, with when it came, as evidence of B.1.15.8.c.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pintu.partners.models.register import Agreement, Partner, PartnerContact

SCORE = [MinValueValidator(1), MaxValueValidator(5)]

# The questions, by the field each answer is kept in, in the order the form asks them.
QUESTIONS = {
    "communication": _("Communication and coordination with us"),
    "benefit": _("The benefit of the cooperation to your organisation"),
    "quality": _("How well the joint activities were carried out"),
    "continuity": _("Your wish to continue the cooperation"),
}


class SatisfactionSurvey(models.Model):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="surveys"
    )
    contact = models.ForeignKey(
        PartnerContact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    token_digest = models.CharField(_("link digest"), max_length=64, unique=True)
    transport = models.CharField(_("sent by"), max_length=16)
    sent_to = models.CharField(_("sent to"), max_length=254)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("open until"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    communication = models.PositiveSmallIntegerField(
        QUESTIONS["communication"], null=True, blank=True, validators=SCORE
    )
    benefit = models.PositiveSmallIntegerField(
        QUESTIONS["benefit"], null=True, blank=True, validators=SCORE
    )
    quality = models.PositiveSmallIntegerField(
        QUESTIONS["quality"], null=True, blank=True, validators=SCORE
    )
    continuity = models.PositiveSmallIntegerField(
        QUESTIONS["continuity"], null=True, blank=True, validators=SCORE
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-year", "-sent_at", "-id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | Q(
                    communication__isnull=False,
                    benefit__isnull=False,
                    quality__isnull=False,
                    continuity__isnull=False,
                ),
                name="survey_answer_complete",
                violation_error_message=_("An answer rates every question."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.year} #{self.pk}"

    @property
    def scores(self) -> list[tuple[str, int | None]]:
        """Each question's words with its rating (None while unanswered)."""
        return [(str(words), getattr(self, name)) for name, words in QUESTIONS.items()]

    @property
    def average(self) -> float | None:
        given = [score for _words, score in self.scores if score is not None]
        return sum(given) / len(given) if given else None
