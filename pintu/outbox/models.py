"""Messages waiting to leave the building, and what became of them.

Services write a row in the same transaction as the change that causes it; the worker
claims it and hands it to its door's transport (``pintu.outbox.delivery``). Nothing is
sent from a request or inside a transaction.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
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
        NOTIFICATION = "notification", _("notification to staff")

    ticket = models.ForeignKey(
        "desk.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="outbound"
    )
    article = models.ForeignKey(
        "desk.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="outbound"
    )
    door = models.CharField(_("door"), max_length=16)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    recipient = models.CharField(_("to"), max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    external_id = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The worker that took the row for sending, and when: a claim older than the lease in
    # pintu.outbox.delivery is taken to be abandoned (the worker died) and sent again.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
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
        ]

    def __str__(self) -> str:
        return f"{self.door} → {self.recipient} ({self.status})"
