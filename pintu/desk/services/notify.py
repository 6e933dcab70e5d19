"""Messages to the requester: a staff reply, the acknowledgement of a new request and
the request for a rating once it is resolved. Each leaves by the channel that
``pintu.desk.channels.reply_channel`` decides, as an outbox row written in the
transaction of its cause. Staff send a ticket's failed rows again from here."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.moments import stamp
from pintu.desk import access
from pintu.desk.channels import reply_channel
from pintu.desk.models import Article, Door, Ticket
from pintu.org.models import User
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import item_retry, message_queue
from pintu.sla.calendars import zone_for_unit

Purpose = OutboxItem.Purpose


def to_requester(
    ticket: Ticket, *, purpose: str, body: str, now: datetime, article: Article | None = None
) -> OutboxItem | None:
    """Queue ``body`` to the requester of ``ticket`` by its channel back; None when that
    channel sends nothing (the portal shows the request, or there is no way back)."""
    channel = reply_channel(ticket, now)
    if not channel.sends:
        return None
    return message_queue(
        transport=channel.door,
        purpose=purpose,
        recipient=channel.recipient,
        body_text=body,
        cause=ticket,
        source=article,
        subject=f"[{ticket.reference}] {ticket.subject}",
        at=now,
    )


def acknowledge(ticket: Ticket, now: datetime) -> None:
    """The automatic acknowledgement of a request by e-mail or WhatsApp: an article of
    its own kind, so it never counts as the first response. (The portal shows the same
    on its confirmation page; a walk-in was answered face to face.)"""
    if ticket.door not in (Door.EMAIL, Door.WHATSAPP):
        return
    if not ticket.service_type.definition().acknowledge or not reply_channel(ticket, now).sends:
        return
    zone = zone_for_unit(ticket.unit)
    body = _(
        "We have received your request. Its number is %(reference)s.\n"
        "We will respond by %(first_response)s and aim to complete it by %(resolution)s."
    ) % {
        "reference": ticket.reference,
        "first_response": stamp(ticket.first_response_due_at, zone),
        "resolution": stamp(ticket.resolution_due_at, zone),
    }
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.ACKNOWLEDGEMENT,
        door=ticket.door,
        author_name="Pintu",
        body=body,
        created_at=now,
    )
    to_requester(ticket, purpose=Purpose.ACKNOWLEDGEMENT, body=body, now=now, article=article)


def ask_for_rating(ticket: Ticket, now: datetime) -> None:
    """Tell the requester it is resolved and ask for a rating (accreditation asks for
    measured, analysed and followed-up satisfaction)."""
    body = _(
        "Your request %(reference)s has been resolved. How did we do? Rate it from 1 "
        "to 5 in the portal, or reply to this message."
    ) % {"reference": ticket.reference}
    to_requester(ticket, purpose=Purpose.NOTIFICATION, body=body, now=now)


@transaction.atomic
def ticket_delivery_retry(
    *, actor: User, ticket: Ticket, item: OutboxItem, now: datetime | None = None
) -> OutboxItem:
    """Staff of the ticket's unit send one of its failed messages or jobs again."""
    access.require_work(actor, ticket)
    if not ticket.outgoing.filter(pk=item.pk).exists():
        raise ValidationError(_("That message is no longer waiting to be sent again."))
    return item_retry(actor=actor, item=item, unit=ticket.unit, now=now)
