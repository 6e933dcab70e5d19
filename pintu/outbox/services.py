"""Queue a message for delivery. Call inside the transaction of the change that causes it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pintu.outbox.models import OutboundMessage


def message_queue(
    *,
    door: str,
    purpose: str,
    recipient: str,
    body_text: str,
    subject: str = "",
    ticket: Any = None,
    article: Any = None,
) -> OutboundMessage:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("message_queue must run inside the transaction of its cause")
    return OutboundMessage.objects.create(
        ticket=ticket,
        article=article,
        door=door,
        purpose=purpose,
        recipient=recipient,
        subject=subject[:300],
        body_text=body_text,
    )
