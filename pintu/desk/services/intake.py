"""A new request, whichever door it came through: its requester, its reference, its
opening message, its steps and its clock, in one transaction with the audit row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.desk import access
from pintu.desk.models import Article, Contact, Door, Priority, ReferenceCounter, Ticket
from pintu.desk.services.common import audit, now_or_current, refresh_deadlines, snapshot
from pintu.desk.services.notify import acknowledge as queue_acknowledgement
from pintu.desk.services.steps import steps_create
from pintu.desk.services.tickets import clean_fields
from pintu.desk.services.uploads import Upload, article_attach
from pintu.org.models import Unit, User
from pintu.sop.models import ServiceType


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


@transaction.atomic
def ticket_create(
    *,
    actor: Any,
    service_type: ServiceType,
    subject: str,
    body: str,
    door: str = Door.WEB,
    requester: User | None = None,
    contact: Contact | None = None,
    received_at: datetime | None = None,
    fields: dict[str, Any] | None = None,
    priority: str = Priority.NORMAL,
    uploads: Sequence[Upload] = (),
    external_id: str = "",
    body_html: str = "",
    acknowledge: bool = True,
    check_fields: bool = True,
    now: datetime | None = None,
) -> Ticket:
    """Open a ticket for ``service_type`` with the requester's first message.

    The doors pass ``check_fields=False``: a mail or a chat message is kept with what it
    has, and staff fill in the service's required fields afterwards.

    Requests by e-mail and WhatsApp get an automatic acknowledgement with the reference
    and the promised times, unless the service type turns it off or the caller says no
    (auto-generated and bulk mail); the portal shows the same on its confirmation page.

    Staff typing a walk-in or phone request may set ``received_at`` in the past (the
    clock starts when the requester arrived); the audit row records that they did.
    """
    now = now_or_current(now)
    if not service_type.sop.is_current and not getattr(actor, "is_superuser", False):
        raise ValidationError(_("This service type belongs to an old SOP revision."))
    if requester is None and contact is None:
        raise ValidationError(_("A request needs a requester or a contact."))
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
        priority=priority,
        fields=clean_fields(service_type, fields or {}, check_fields=check_fields),
        received_at=received_at,
        created_at=now,
        updated_at=now,
    )
    refresh_deadlines(ticket)
    ticket.save()
    author = requester or (contact.user if contact else None)
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.INBOUND,
        door=door,
        author=author,
        author_name=str(requester or contact),
        body=body,
        body_html=body_html,
        external_id=external_id,
        created_at=received_at,
    )
    article_attach(article, uploads)
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
    if acknowledge:
        queue_acknowledgement(ticket, now)
    return ticket
