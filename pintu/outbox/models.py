"""What waits to leave the building, and what became of it: messages (e-mail, WhatsApp)
and jobs for outside systems (a directory entry to create, a course to update).

Services write a row in the same transaction as the change that causes it; the worker
claims it and hands it to its transport (``pintu.outbox.delivery``). Nothing is sent
from a request or inside a transaction. A row knows what caused it only generically
(``cause``: the record whose page shows it, e.g. a ticket; ``source``: the part of it
that made the row, e.g. a reply or a step), so the outbox imports no app above it.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        READ = "read", _("read")
        FAILED = "failed", _("failed, will retry")
        DEAD = "dead", _("gave up")

    class Purpose(models.TextChoices):
        REPLY = "reply", _("reply to the requester")
        ACKNOWLEDGEMENT = "ack", _("automatic acknowledgement")
        NOTIFICATION = "notification", _("notification")
        JOB = "job", _("job for an outside system")

    transport = models.CharField(
        _("transport"),
        max_length=16,
        help_text=_("What carries it: a door (email, whatsapp) or an outside system."),
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    # A message's address and text; a job has its payload instead.
    recipient = models.CharField(_("to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # A job asked for twice under one key is one row; its transport passes the key on,
    # so that an outside system told twice (after a crash) acts once.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    result = models.JSONField(
        _("result"), null=True, blank=True, help_text=_("What the outside system answered.")
    )
    cause_type = models.ForeignKey(
        ContentType,
        verbose_name=_("cause (kind)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cause_id = models.PositiveBigIntegerField(_("cause (id)"), null=True, blank=True)
    cause = GenericForeignKey("cause_type", "cause_id")
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source (kind)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(_("source (id)"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    external_id = models.CharField(
        _("id at the transport"), max_length=200, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The worker that took the row for sending, and when: a claim older than the lease in
    # pintu.outbox.delivery is taken to be abandoned (the worker died) and sent again.
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outgoing item")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="outbox_due_idx",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="outbox_claimed_idx",
            ),
            models.Index(fields=["cause_type", "cause_id"], name="outbox_cause_idx"),
            # /healthz: each transport's last success, and what is open or given up.
            models.Index(
                fields=["transport", "sent_at"],
                condition=Q(status__in=["sent", "delivered", "read"]),
                name="outbox_sent_idx",
            ),
            models.Index(
                fields=["transport", "status"],
                condition=Q(status__in=["pending", "sending", "failed", "dead"]),
                name="outbox_open_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="outbox_idempotency_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.transport} → {self.recipient or self.idempotency_key} ({self.status})"

    @property
    def is_job(self) -> bool:
        return self.purpose == self.Purpose.JOB


def of_source(obj: models.Model) -> Q:
    """The rows that ``obj`` (a reply, a step) made."""
    return Q(source_type=ContentType.objects.get_for_model(obj), source_id=obj.pk)
