"""Which way a reply leaves: the channel back to the requester.

WhatsApp's 24-hour customer-service window: for 24 hours after a person last wrote to
our number, we may answer in free-form text; after that only an approved template.

Read from the inbound WhatsApp articles of the tickets that number is on, so that it
holds whichever ticket the last message went to.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.db.models import Max

from pintu.desk.models import Article, Contact, Door, Ticket

CUSTOMER_SERVICE_WINDOW = timedelta(hours=24)

ReplyMode = Literal["text", "template"]


def last_inbound_at(number: str) -> datetime | None:
    """When ``number`` last wrote to us on WhatsApp (None: never). Every number that
    wrote has a contact; its messages are on tickets of that contact or, for a known
    person, of that person."""
    if not number:
        return None
    contacts = list(Contact.objects.filter(phone=number).values_list("id", "user_id"))
    if not contacts:
        return None
    inbound = Article.objects.filter(kind=Article.Kind.INBOUND, door=Door.WHATSAPP)
    # Separate lookups, each served by its index, rather than one OR across two joins.
    latest = [
        inbound.filter(ticket__contact_id__in=[c for c, _ in contacts]).aggregate(
            at=Max("created_at")
        )["at"]
    ]
    people = [user for _, user in contacts if user is not None]
    if people:
        latest.append(
            inbound.filter(ticket__requester_id__in=people).aggregate(at=Max("created_at"))["at"]
        )
    moments = [moment for moment in latest if moment is not None]
    return max(moments) if moments else None


def window_open(number: str, now: datetime) -> bool:
    last = last_inbound_at(number)
    return last is not None and now - last < CUSTOMER_SERVICE_WINDOW


def number_of(ticket: Ticket) -> str:
    """The WhatsApp number a reply on ``ticket`` goes to."""
    for party in (ticket.contact, ticket.requester):
        if party is not None and party.phone:
            return str(party.phone)
    return ""


def reply_mode(ticket: Ticket, now: datetime) -> ReplyMode:
    """How a reply on ``ticket`` would leave now: ``text`` inside the window, else the
    configured ``template`` (the staff reply box says which before they send)."""
    return "text" if window_open(number_of(ticket), now) else "template"
