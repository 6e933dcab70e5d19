"""Messages Pintu sends the requester on its own: the acknowledgement of a new request
and the request for a rating once it is resolved. Both are outbox rows written in the
transaction of their cause."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.desk.models import Article, Door, Ticket
from pintu.outbox.services import message_queue


def reply_recipient(ticket: Ticket) -> str:
    """Where a reply goes: the address of the door the request came through."""
    field = "phone" if ticket.door == Door.WHATSAPP else "email"
    for party in (ticket.contact, ticket.requester):
        if party is not None and getattr(party, field):
            return str(getattr(party, field))
    return ""


def acknowledge(ticket: Ticket, now: datetime) -> None:
    """The automatic acknowledgement: an article of its own kind, so it never counts as
    the first response, and an outbox row through the door the request came from."""
    if ticket.door not in (Door.EMAIL, Door.WHATSAPP):
        return
    service = ticket.service_type.definition()
    recipient = reply_recipient(ticket)
    if not service.acknowledge or not recipient:
        return
    body = _(
        "We have received your request. Its number is %(reference)s.\n"
        "We will respond by %(first_response)s and aim to complete it by %(resolution)s."
    ) % {
        "reference": ticket.reference,
        "first_response": local_words(ticket.first_response_due_at),
        "resolution": local_words(ticket.resolution_due_at),
    }
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.ACKNOWLEDGEMENT,
        door=ticket.door,
        author_name="Pintu",
        body=body,
        created_at=now,
    )
    message_queue(
        door=ticket.door,
        purpose="ack",
        recipient=recipient,
        body_text=body,
        ticket=ticket,
        article=article,
        subject=f"[{ticket.reference}] {ticket.subject}",
    )


def local_words(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def ask_for_rating(ticket: Ticket) -> None:
    """Tell the requester it is resolved and ask for a rating (accreditation asks for
    measured, analysed and followed-up satisfaction)."""
    if ticket.door not in (Door.WEB, Door.EMAIL, Door.WHATSAPP):
        return
    recipient = reply_recipient(ticket)
    if not recipient:
        return
    message_queue(
        door=Door.WHATSAPP if ticket.door == Door.WHATSAPP else Door.EMAIL,
        purpose="notification",
        recipient=recipient,
        subject=f"[{ticket.reference}] {ticket.subject}",
        body_text=_(
            "Your request %(reference)s has been resolved. How did we do? Rate it from 1 "
            "to 5 in the portal, or reply to this message."
        )
        % {"reference": ticket.reference},
        ticket=ticket,
    )
