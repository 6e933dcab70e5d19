"""The audit log: one row per change a service makes, readable by auditors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the system itself acted (a command or the worker)."),
    )
    action = models.CharField(_("what"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # The hash chain (pintu.core.chain): the row's place in it, the hash of the row
    # before and its own hash over that and its content.
    seq = models.PositiveBigIntegerField(_("number in the chain"), unique=True)
    prev_hash = models.CharField(_("hash of the row before"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class AuditChain(models.Model):
    """The head of the audit log's hash chain: one row, locked by each writer, so that
    concurrent writers queue instead of forking the chain. ``base_*`` is where the kept
    chain starts once a retention purge removed its oldest rows."""

    head_seq = models.PositiveBigIntegerField(_("last number"), default=0)
    head_hash = models.CharField(_("last hash"), max_length=64)
    base_seq = models.PositiveBigIntegerField(_("first number kept, less one"), default=0)
    base_hash = models.CharField(_("hash before the first row kept"), max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.head_seq} {self.head_hash[:12]}"


class AuditDigest(models.Model):
    """The chain head as it stood on a day, kept daily and printed in the LED's appendix,
    so that a rewrite of the whole chain cannot go unseen."""

    day = models.DateField(_("day"), unique=True)
    seq = models.PositiveBigIntegerField(_("number in the chain"))
    hash = models.CharField(_("hash"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["day"]
        verbose_name = _("audit digest")
        verbose_name_plural = _("audit digests")

    def __str__(self) -> str:
        return f"{self.day} {self.seq} {self.hash[:12]}"


class PeriodicJob(models.Model):
    """When each periodic job is next due. Workers claim a run with a conditional UPDATE,
    so several workers never enqueue the same run twice."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal token for the JSON API. Only its SHA-256 digest is kept: the token itself
    is shown once, when it is made, and cannot be read back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(
        _("prefix"),
        max_length=8,
        unique=True,
        help_text=_("The first characters after pintu_, to recognise the token by."),
    )
    digest = models.CharField(_("digest (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"pintu_{self.prefix}… {self.name}".strip()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WorkerHeartbeat(models.Model):
    """One row per `pintu worker` process, beaten from its scheduler loop. Only the
    times are stored; whether a worker is alive is derived when read
    (``pintu.core.heartbeat.worker_health``)."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    last_beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)
    # Set when the worker stopped cleanly; a worker that was killed never sets it.
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id
