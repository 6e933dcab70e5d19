"""The register of digital-service accounts that the academic administration keeps, and
access to them (SOP SDM.5.OT.02.02-5068).

Flow a ("Penanggung Jawab memasukkan akun digital ke dalam daftar akun yang dikelola")
fills the register: each entry names the service, its address and login, the unit that
owns it, its person in charge (Penanggung Jawab), how it is classified, its renewal and
expiry dates, and its credential, sealed under a key kept outside the database
(``pintu.vault.envelope``). Flow b ("pemberian akses dan pengawasan") grants a person
access to some accounts until a moment; each reveal of a credential is recorded; a grant
that ends opens a rotation of the password for the person in charge; a periodic review
has the person in charge confirm or revoke every grant still running.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")
    SECRET = "secret", _("Secret")


class DigitalAccount(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(
        _("digital service"), max_length=200, help_text=_("e.g. Zoom, Google Workspace, SIAKAD")
    )
    url = models.URLField(_("address"), max_length=500, blank=True)
    account = models.CharField(_("login"), max_length=200, help_text=_("Its login name."))
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Penanggung Jawab: keeps the credential and reviews who may see it."),
    )
    classification = models.CharField(
        _("classification"),
        max_length=16,
        choices=Classification.choices,
        default=Classification.INTERNAL,
    )
    # Sealed (pintu.vault.envelope); "" when none was given.
    credential = models.TextField(_("credential (sealed)"), blank=True)
    credential_changed_at = models.DateTimeField(_("credential changed"), null=True, blank=True)
    renews_on = models.DateField(_("renewal date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["service", "account"]
        verbose_name = _("digital-service account")
        verbose_name_plural = _("digital-service accounts")
        constraints = [
            models.UniqueConstraint(
                "unit", Lower("service"), Lower("account"), name="digital_account_once_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.account}"

    @property
    def context(self) -> str:
        """What its sealed credential is bound to: it opens on this record only."""
        return f"digital-account:{self.pk}"


class AccessRequest(models.Model):
    """Flow b's request as classified (step b5, "Data akun yang diklasifikasi"): the
    register's accounts it asks for."""

    ticket = models.OneToOneField(
        "desk.Ticket",
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="access_request",
    )
    accounts = models.ManyToManyField(
        DigitalAccount, verbose_name=_("accounts"), related_name="access_requests"
    )
    classified_at = models.DateTimeField(_("classified"))
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("classified by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")

    def __str__(self) -> str:
        return str(self.ticket_id)


class Grant(models.Model):
    """Access for one person to some accounts, from a moment until a moment (step b6,
    "akses diberikan"). Current while it has not ended and its end is ahead."""

    class End(models.TextChoices):
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grantee"),
        on_delete=models.PROTECT,
        related_name="digital_grants",
    )
    accounts = models.ManyToManyField(
        DigitalAccount, verbose_name=_("accounts"), related_name="grants"
    )
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ends_at = models.DateTimeField(_("until"), db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end = models.CharField(_("how it ended"), max_length=16, choices=End.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        indexes = [
            models.Index(
                fields=["ends_at"], condition=Q(ended_at__isnull=True), name="grant_running_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grantee} → {self.ends_at:%Y-%m-%d}"


class Reveal(models.Model):
    """One look at a credential: who, when, under which grant, from where."""

    account = models.ForeignKey(
        DigitalAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    grant = models.ForeignKey(
        Grant, verbose_name=_("access grant"), on_delete=models.PROTECT, related_name="reveals"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    address = models.GenericIPAddressField(_("network address"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("credential view")
        verbose_name_plural = _("credential views")

    def __str__(self) -> str:
        return f"{self.person} · {self.account} · {self.at:%Y-%m-%d %H:%M}"


class Rotation(models.Model):
    """A password the person in charge must change: someone whose access ended knew it."""

    account = models.ForeignKey(
        DigitalAccount, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    grant = models.ForeignKey(
        Grant,
        verbose_name=_("access grant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["opened_at"]
        verbose_name = _("password rotation")
        verbose_name_plural = _("password rotations")
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(done_at__isnull=True), name="rotation_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} ({self.opened_at:%Y-%m-%d})"


class Review(models.Model):
    """The periodic access review of one person in charge: every grant still running on
    their accounts, each to confirm or revoke."""

    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in charge"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")

    def __str__(self) -> str:
        return f"{self.steward} {self.opened_at:%Y-%m-%d}"


class ReviewItem(models.Model):
    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        REVOKED = "revoked", _("Revoked")

    review = models.ForeignKey(
        Review, verbose_name=_("access review"), on_delete=models.CASCADE, related_name="items"
    )
    grant = models.ForeignKey(
        Grant, verbose_name=_("access grant"), on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["review", "id"]
        verbose_name = _("reviewed grant")
        verbose_name_plural = _("reviewed grants")
        constraints = [models.UniqueConstraint(fields=["review", "grant"], name="review_item_once")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.grant_id} {self.decision}"
