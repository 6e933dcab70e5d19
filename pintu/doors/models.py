"""What arrives through the doors, kept first and processed after.

Every inbound e-mail or WhatsApp message is stored raw (a record with 5-year retention)
under a unique dedupe key before anything is parsed, so a crash, a re-poll or a second
mailbox never yields a second article, and nothing that arrived is ever lost: what cannot
be processed stays here, quarantined with its error, until an admin retries it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Mailbox(models.Model):
    """A unit's helpdesk address, read over IMAP (password or OAuth2 / XOAUTH2)."""

    class Security(models.TextChoices):
        SSL = "ssl", _("TLS (IMAPS)")
        STARTTLS = "starttls", _("STARTTLS")
        PLAIN = "plain", _("none (loopback and tests only)")

    class Auth(models.TextChoices):
        PASSWORD = "password", _("password")
        XOAUTH2 = "xoauth2", _("OAuth2 (XOAUTH2)")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="mailboxes"
    )
    address = models.EmailField(_("address"), unique=True)
    service_type = models.ForeignKey(
        "sop.ServiceType",
        verbose_name=_("service type of new requests"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the first service of the unit's SOP."),
    )
    host = models.CharField(_("IMAP host"), max_length=200)
    port = models.PositiveIntegerField(_("IMAP port"), default=993)
    security = models.CharField(
        _("connection security"), max_length=16, choices=Security.choices, default=Security.SSL
    )
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    username = models.CharField(_("user name"), max_length=200)
    auth = models.CharField(
        _("sign-in method"), max_length=16, choices=Auth.choices, default=Auth.PASSWORD
    )
    # Secrets are kept encrypted (pintu.doors.secrets); never shown back in full.
    secret = models.TextField(_("password or OAuth2 refresh token (encrypted)"), blank=True)
    oauth_token_url = models.URLField(_("OAuth2 token URL"), blank=True)
    oauth_client_id = models.CharField(_("OAuth2 client id"), max_length=200, blank=True)
    oauth_client_secret = models.TextField(_("OAuth2 client secret (encrypted)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last read"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["address"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.address


class InboundMessage(models.Model):
    """One message as it arrived, through any door, and what became of it."""

    class Door(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("waiting to be processed")
        CREATED = "created", _("opened a request")
        APPENDED = "appended", _("added to a request")
        IGNORED = "ignored", _("recorded, no request")
        QUARANTINED = "quarantined", _("quarantined")

    door = models.CharField(_("door"), max_length=16, choices=Door.choices)
    mailbox = models.ForeignKey(
        Mailbox,
        verbose_name=_("mailbox"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    # "email:<Message-ID>" when there is one (the same mail in two mailboxes is one
    # message), else "sha256:<hash of the raw bytes>"; "whatsapp:<message id>".
    dedupe_key = models.CharField(_("deduplication key"), max_length=500, unique=True)
    raw = models.BinaryField(_("message as received"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=Outcome.choices,
        default=Outcome.PENDING,
        db_index=True,
    )
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article = models.ForeignKey(
        "desk.Article",
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(outcome__in=["pending", "quarantined"]),
                name="inbound_todo_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.door} {self.dedupe_key[:60]} ({self.outcome})"


class WebhookDelivery(models.Model):
    """A WhatsApp Cloud API webhook body, stored (signature checked) before it is read."""

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    body = models.BinaryField(_("body"))
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(processed_at__isnull=True),
                name="webhook_todo_idx",
            )
        ]

    def __str__(self) -> str:
        return f"webhook {self.pk} {self.received_at:%Y-%m-%d %H:%M:%S}"
