"""A new request, whichever door it came through: its requester, its reference, its
opening message, its steps and its clock, in one transaction with the audit row.

The portal, the walk-in form, the API and the doors all call ``ticket_create`` with who
the requester is (a person with an account, a known contact, or a contact's name,
e-mail address and WhatsApp number): the contact is found or made inside the same
transaction, so a refused request leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.moments import stamp
from pintu.desk import access, search
from pintu.desk.models import Article, Contact, Door, ReferenceCounter, Status, Ticket
from pintu.desk.services.common import (
    DEADLINE_FIELDS,
    audit,
    message_text,
    now_or_current,
    refresh_deadlines,
    save_changed,
    snapshot,
)
from pintu.desk.services.notify import acknowledge
from pintu.desk.services.steps import steps_create
from pintu.desk.services.tickets import clean_fields
from pintu.desk.services.uploads import Upload, article_attach
from pintu.org.models import Unit, User
from pintu.sla.calendars import zone_for_unit
from pintu.sop.models import ServiceType


@dataclass(frozen=True)
class ContactDetails:
    """A requester without an account (an outside partner, a caller, a mail from
    outside), known by a name, an e-mail address and/or a WhatsApp number."""

    name: str = ""
    email: str = ""
    phone: str = ""


# Who a request is from: a person who signs in, a contact already on file, or the
# details of one (found or made when the request opens).
Requester = User | Contact | ContactDetails


@dataclass(frozen=True)
class Opening:
    """The requester's first message, as it arrived."""

    subject: str
    body: str
    body_html: str = ""
    uploads: Sequence[Upload] = ()
    external_id: str = ""  # the door's id for it: a Message-ID, a WhatsApp message id


class Created(NamedTuple):
    ticket: Ticket
    article: Article  # the opening message


def _reference(unit: Unit, year: int) -> str:
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(unit=unit, year=year, last=0)], ignore_conflicts=True
    )
    # The UPDATE takes the row lock, so two writers never get the same number.
    ReferenceCounter.objects.filter(unit=unit, year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(unit=unit, year=year).last
    return f"{unit.reference_prefix}-{year % 100:02d}-{number:05d}"


def contact_for(*, name: str = "", email: str = "", phone: str = "") -> Contact:
    """Find the outside contact by e-mail or number, or make one; link a known person."""
    email = email.strip().lower()
    phone = phone.strip().lstrip("+")
    contact = None
    if email:
        contact = Contact.objects.filter(email=email).first()
    if contact is None and phone:
        contact = Contact.objects.filter(phone=phone).first()
    if contact is None:
        user = None
        if email:
            user = User.objects.filter(email__iexact=email).first()
        if user is None and phone:
            user = User.objects.filter(phone=phone).first()
        contact = Contact.objects.create(name=name, email=email, phone=phone, user=user)
    return contact


def _parties(requester: Requester) -> tuple[User | None, Contact | None]:
    """The ticket's requester and contact. A contact linked to a person makes that
    person the requester too, so the request is theirs in the portal."""
    if isinstance(requester, User):
        return requester, None
    if isinstance(requester, ContactDetails):
        if not (requester.name.strip() or requester.email.strip() or requester.phone.strip()):
            raise ValidationError(_("Give at least a name, an e-mail or a WhatsApp number."))
        requester = contact_for(name=requester.name, email=requester.email, phone=requester.phone)
    return requester.user, requester


def new_ticket(
    *,
    actor: Any,
    service_type: ServiceType,
    requester: User | None,
    contact: Contact | None,
    door: str,
    subject: str,
    fields: dict[str, Any],
    received_at: datetime | None,
    now: datetime,
    opening: str = "",
) -> Ticket:
    """The ticket row with its reference, clock, steps and audit row; its messages are
    the caller's (a new request's opening message, or the messages a split moves).

    What the requester types into the portal (the web door) must fill the service's
    required fields; what staff type for someone, or what a mail or a chat message
    brings, is kept as it is, and staff complete it on the ticket.

    Staff recording a walk-in or phone request may set ``received_at`` in the past (the
    clock starts when the requester arrived); the audit row records when they did.
    """
    if not service_type.sop.is_current and not getattr(actor, "is_superuser", False):
        raise ValidationError(_("This service type belongs to an old SOP revision."))
    if not subject.strip():
        raise ValidationError(_("Write a subject."))
    if received_at is None:
        received_at = now
    elif received_at != now:
        if not (actor and access.can_work_in(actor, service_type.sop.unit)):
            raise PermissionDenied(_("Only staff of the unit may set when a request arrived."))
        if received_at > now:
            raise ValidationError(_("A request cannot arrive in the future."))
    unit = service_type.sop.unit
    ticket = Ticket(
        reference=_reference(unit, timezone.localtime(received_at).year),
        unit=unit,
        service_type=service_type,
        requester=requester,
        contact=contact,
        door=door,
        subject=subject.strip()[:300],
        fields=clean_fields(service_type, fields, check_fields=door == Door.WEB),
        received_at=received_at,
        created_at=now,
        updated_at=now,
    )
    ticket.search_text = search.ticket_document(ticket, opening)
    refresh_deadlines(ticket)
    ticket.save()
    steps_create(ticket, received_at)
    after = snapshot(
        ticket,
        [
            "reference",
            "unit",
            "service_type",
            "door",
            "subject",
            "received_at",
            "first_response_due_at",
            "resolution_due_at",
        ],
    )
    if received_at != now:
        after["entered_at"] = now.isoformat()
    audit(actor, "ticket.create", ticket, None, after)
    return ticket


@transaction.atomic
def ticket_create(
    *,
    actor: Any,
    service_type: ServiceType,
    requester: Requester,
    opening: Opening,
    door: str = Door.WEB,
    fields: dict[str, Any] | None = None,
    received_at: datetime | None = None,
    answered_at: datetime | None = None,
    acknowledge_receipt: bool = True,
    now: datetime | None = None,
) -> Created:
    """Open a request for ``service_type`` with the requester's first message.

    Requests by e-mail and WhatsApp get an automatic acknowledgement with the reference
    and the promised times, unless the service type turns it off or the door says no
    (``acknowledge_receipt=False`` for auto-generated and bulk mail); the portal shows
    the same on its confirmation page.

    Staff recording a walk-in or phone request they already answered face to face or on
    the phone give ``answered_at``: that answer is the request's first response.
    """
    now = now_or_current(now)
    person, contact = _parties(requester)
    body = message_text(opening.body, door)
    ticket = new_ticket(
        actor=actor,
        service_type=service_type,
        requester=person,
        contact=contact,
        door=door,
        subject=opening.subject,
        fields=fields or {},
        received_at=received_at,
        now=now,
        opening=body,
    )
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.INBOUND,
        door=door,
        author=person,
        author_name=str(contact or person),
        body=body,
        body_html=opening.body_html,
        external_id=opening.external_id,
        created_at=ticket.received_at,
    )
    article_attach(article, opening.uploads)
    if answered_at is not None:
        _answered_in_person(actor, ticket, answered_at, now)
    if acknowledge_receipt:
        acknowledge(ticket, now)
    return Created(ticket, article)


def _answered_in_person(actor: Any, ticket: Ticket, answered_at: datetime, now: datetime) -> None:
    """The answer staff gave at the counter or on the phone, before they typed the
    request in: its first response, recorded as such in the conversation and the audit."""
    if ticket.door not in (Door.WALK_IN, Door.PHONE):
        raise ValidationError(_("Only a walk-in or phone request is answered in person."))
    if not (actor and access.can_work_in(actor, ticket.unit)):
        raise PermissionDenied(_("Only staff of the unit may record an answer given in person."))
    if not ticket.received_at <= answered_at <= now:
        raise ValidationError(
            _("The answer in person must come between the request's arrival and now.")
        )
    ticket.first_response_at = answered_at
    ticket.status = Status.OPEN
    refresh_deadlines(ticket)
    save_changed(ticket, ["first_response_at", "status", *DEADLINE_FIELDS])
    Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.SYSTEM,
        door=ticket.door,
        author=actor,
        author_name=str(actor),
        body=_("Answered in person on %(when)s.")
        % {"when": stamp(answered_at, zone_for_unit(ticket.unit))},
        created_at=answered_at,
    )
    audit(
        actor,
        "ticket.answered",
        ticket,
        {"first_response_at": None},
        {"first_response_at": answered_at.isoformat(), "door": ticket.door},
    )
