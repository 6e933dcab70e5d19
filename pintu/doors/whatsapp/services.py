"""The WhatsApp door's writes that hand work to the worker: keep a webhook body, send a
quarantined message through filing again. Each has the filing task queued once it
commits (robust: if the queue cannot take it, the periodic run finds the work anyway)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.doors.models import InboundMessage, WebhookDelivery
from pintu.doors.whatsapp.tasks import ingest_soon
from pintu.org import access as org_access

Outcome = InboundMessage.Outcome


def webhook_receive(*, body: bytes) -> WebhookDelivery:
    """Keep a webhook body whose signature was checked; processing follows in the worker."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(body=body)
        transaction.on_commit(ingest_soon, robust=True)
    return delivery


@transaction.atomic
def inbound_requeue(*, actor: Any, inbound: InboundMessage) -> InboundMessage:
    """An admin sends a quarantined WhatsApp message through filing again, after a fix
    (the unit configured, an SOP loaded). The worker files it (it may download media,
    which is no work for a web request)."""
    if not org_access.is_admin(actor):
        raise PermissionDenied
    locked = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
    if locked.door != InboundMessage.Door.WHATSAPP or locked.outcome != Outcome.QUARANTINED:
        raise ValidationError(_("Only a quarantined message can be retried."))
    before = {"outcome": locked.outcome, "error": locked.error[:200]}
    locked.outcome, locked.error, locked.reason = Outcome.PENDING, "", ""
    locked.save(update_fields=["outcome", "error", "reason"])
    audit_record(
        actor=actor,
        action="inbound.retry",
        obj=locked,
        before=before,
        after={"outcome": locked.outcome},
    )
    transaction.on_commit(ingest_soon, robust=True)
    return locked
