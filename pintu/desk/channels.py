"""Which way a message to the requester leaves: the one place that decides it.

``reply_channel`` answers, for a ticket at a moment, through which door a reply, an
acknowledgement or a rating request goes, to whom, and how: by e-mail, by WhatsApp as
free text inside the 24-hour window or as the approved template outside it, or only in
the portal. The services queue what it says; the reply box says it in words, with the
wording each door registers in ``WORDING`` (the desk never imports a door).

WhatsApp's 24-hour customer-service window: for 24 hours after a person last wrote to
our number, we may answer in free-form text; after that only an approved template.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils.translation import gettext as _

from pintu.desk.models import Article, Contact, Door, Ticket

CUSTOMER_SERVICE_WINDOW = timedelta(hours=24)


class Mode(enum.StrEnum):
    EMAIL = "email"
    WHATSAPP_TEXT = "whatsapp_text"  # inside the 24-hour window
    WHATSAPP_TEMPLATE = "whatsapp_template"  # outside it
    PORTAL = "portal"  # kept on the request, which the requester reads in the portal
    NONE = "none"  # no way back: staff must tell the requester themselves


@dataclass(frozen=True)
class Channel:
    """Where a message to the requester goes. ``door`` is the outbox transport that
    carries it ("" when nothing is sent); ``in_portal`` says the requester also reads
    it in the portal (they have an account)."""

    mode: Mode
    door: str = ""
    recipient: str = ""
    in_portal: bool = False

    @property
    def sends(self) -> bool:
        return bool(self.door and self.recipient)


# The words for a channel that sends, per door (registered by each door when it loads).
WORDING: dict[str, Callable[[Channel], str]] = {}


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


def _address(ticket: Ticket, field: str) -> str:
    """The contact's ``email`` or ``phone``, else the requester's."""
    for party in (ticket.contact, ticket.requester):
        if party is not None and getattr(party, field):
            return str(getattr(party, field))
    return ""


def _has_account(ticket: Ticket) -> bool:
    return bool(ticket.requester_id or (ticket.contact and ticket.contact.user_id))


def _whatsapp(number: str, in_portal: bool, now: datetime) -> Channel:
    mode = Mode.WHATSAPP_TEXT if window_open(number, now) else Mode.WHATSAPP_TEMPLATE
    return Channel(mode, Door.WHATSAPP, number, in_portal)


def reply_channel(ticket: Ticket, now: datetime) -> Channel:
    """The way back to the requester of ``ticket`` at ``now``.

    A request by WhatsApp is answered by WhatsApp, one from the portal or by e-mail by
    e-mail, to the address or number known for the requester. A walk-in or phone
    request has no door of its own to answer through: it is answered by e-mail when an
    address is known, else by WhatsApp when a number is. Without any, a requester with
    an account reads the answer in the portal; otherwise nothing can be sent.
    """
    in_portal = _has_account(ticket)
    email, number = _address(ticket, "email"), _address(ticket, "phone")
    if ticket.door == Door.WHATSAPP:
        if number:
            return _whatsapp(number, in_portal, now)
        return Channel(Mode.NONE, door=Door.WHATSAPP, in_portal=in_portal)
    if ticket.door in (Door.WEB, Door.EMAIL, Door.WALK_IN, Door.PHONE) and email:
        return Channel(Mode.EMAIL, Door.EMAIL, email, in_portal)
    if ticket.door in (Door.WALK_IN, Door.PHONE) and number:
        return _whatsapp(number, in_portal, now)
    return Channel(Mode.PORTAL if in_portal else Mode.NONE, in_portal=in_portal)


def channel_words(channel: Channel) -> str:
    """Where a reply goes, in the words staff read above the reply box."""
    words = WORDING.get(channel.door)
    if words is not None:
        return words(channel)
    if channel.mode == Mode.PORTAL:
        return _("Shown to the requester in the portal; not sent anywhere else.")
    return _("Not sent: this request has no channel back. Tell the requester yourself.")
