"""Every change to a ticket: one function each, one transaction each, with its audit row.

Views, the API, the doors and the worker call these; none of them writes a ticket
directly. Outgoing messages are queued in the outbox inside the same transaction and
delivered by the worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk import access
from pintu.desk.models import (
    DONE_STATUSES,
    PAUSED_STATUSES,
    Article,
    Attachment,
    Contact,
    Door,
    Pause,
    Priority,
    ReferenceCounter,
    SavedFilter,
    Status,
    Step,
    Ticket,
    TicketEvent,
)
from pintu.org.models import Unit, User
from pintu.outbox.services import message_queue
from pintu.sla.calendars import CalendarCache
from pintu.sla.clock import due_at, parse_target, working_minutes_between
from pintu.sla.deadlines import Clock, ticket_deadlines
from pintu.sop.definition import Definition, Field
from pintu.sop.models import Activity, ServiceType


@dataclass(frozen=True)
class Upload:
    """An attachment on its way in, from a form, the API or a door."""

    name: str
    content_type: str
    data: bytes


# ---------------------------------------------------------------- helpers


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _snapshot(ticket: Ticket, names: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(ticket, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = str(value)
        values[name] = value
    return values


def _audit(
    actor: Any,
    action: str,
    ticket: Ticket,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    audit_record(
        actor=actor, action=action, obj=ticket, before=before, after=after, unit=ticket.unit
    )


def _reference(unit: Unit, year: int) -> str:
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(unit=unit, year=year, last=0)], ignore_conflicts=True
    )
    # The UPDATE takes the row lock, so two writers never get the same number.
    ReferenceCounter.objects.filter(unit=unit, year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(unit=unit, year=year).last
    return f"{unit.reference_prefix}-{year % 100:02d}-{number:05d}"


def _refresh_deadlines(ticket: Ticket, calendars: CalendarCache | None = None) -> None:
    """Recompute the stored deadlines from the ticket's transitions."""
    calendars = calendars or CalendarCache()
    service = ticket.service_type
    local_year = timezone.localtime(ticket.received_at).year
    pauses = [(p.started_at, p.ended_at) for p in ticket.pauses.all()] if ticket.pk else []
    deadlines = ticket_deadlines(
        Clock.for_service(
            calendar=calendars.get(ticket.unit, local_year),
            received_at=ticket.received_at,
            first_response=service.first_response,
            resolution=service.resolution,
            clock=service.clock,
            pauses=pauses,
            first_response_at=ticket.first_response_at,
            resolved_at=ticket.resolved_at,
        )
    )
    ticket.first_response_due_at = deadlines.first_response_due_at
    ticket.resolution_due_at = deadlines.resolution_due_at
    ticket.next_due_at = deadlines.next_due_at
    ticket.next_warn_at = deadlines.next_warn_at
    ticket.next_escalate_at = deadlines.next_escalate_at


DEADLINE_FIELDS = [
    "first_response_due_at",
    "resolution_due_at",
    "next_due_at",
    "next_warn_at",
    "next_escalate_at",
]


def _save(ticket: Ticket, fields: Iterable[str]) -> None:
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=[*fields, "updated_at"])


def article_attach(article: Article, uploads: Sequence[Upload]) -> None:
    """Store uploads as the article's attachments (checked against the allow-list)."""
    from django.core.files.base import ContentFile

    for upload in uploads:
        validate_upload(upload)
        attachment = Attachment(
            article=article,
            filename=upload.name,
            content_type=upload.content_type,
            size=len(upload.data),
        )
        attachment.file.save(upload.name, ContentFile(upload.data), save=False)
        attachment.save()


def validate_upload(upload: Upload) -> None:
    """Size limit and type allow-list (settings PINTU_ATTACHMENT_MAX_BYTES/_TYPES)."""
    limit = settings.PINTU_ATTACHMENT_MAX_BYTES
    if len(upload.data) > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": limit // (1024 * 1024)}
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in settings.PINTU_ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("%(name)s: files of this type are not accepted (allowed: %(allowed)s).")
            % {"name": upload.name, "allowed": ", ".join(settings.PINTU_ATTACHMENT_EXTENSIONS)}
        )


def uploads_from_files(files: Iterable[UploadedFile]) -> list[Upload]:
    return [
        Upload(
            name=f.name or "file",
            content_type=f.content_type or "application/octet-stream",
            data=f.read(),
        )
        for f in files
    ]


def _requester_roles(definition: Definition) -> set[str]:
    return set(definition.requester_roles)


def _create_steps(ticket: Ticket, received_at: datetime) -> None:
    """The service's activities become the ticket's steps. Leading steps that the
    requester performs (sending the request) are done on arrival."""
    service = ticket.service_type
    definition = service.sop.parsed()
    requester_roles = _requester_roles(definition)
    keys = service.definition().activities
    rows = {a.key: a for a in Activity.objects.filter(sop=service.sop, key__in=keys)}
    steps = []
    leading = True
    for position, key in enumerate(keys, start=1):
        activity = rows[key]
        step = Step(ticket=ticket, activity=activity, position=position)
        if leading and activity.actor in requester_roles:
            step.state = Step.State.DONE
            step.started_at = step.finished_at = received_at
            step.output = activity.output
            step.elapsed_minutes = 0
            step.within_standard = True
        elif leading:
            step.state = Step.State.ACTIVE
            step.started_at = received_at
            leading = False
        steps.append(step)
    Step.objects.bulk_create(steps)


# ---------------------------------------------------------------- tickets


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
    now = _now(now)
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
    _refresh_deadlines(ticket)
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
    _create_steps(ticket, received_at)
    after = _snapshot(
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
    _audit(actor, "ticket.create", ticket, None, after)
    if acknowledge:
        _acknowledge(ticket, now)
    return ticket


def _acknowledge(ticket: Ticket, now: datetime) -> None:
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
        "first_response": _local(ticket.first_response_due_at),
        "resolution": _local(ticket.resolution_due_at),
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


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def clean_fields(
    service_type: ServiceType, values: dict[str, Any], *, check_fields: bool = True
) -> dict[str, Any]:
    """Keep the service's declared fields; check the required ones and the choices
    unless ``check_fields`` is off (intake from a door stores what arrived)."""
    cleaned: dict[str, Any] = {}
    for field in service_type.definition().fields:
        value = _field_value(field, values.get(field.key, ""), check=check_fields)
        if value not in ("", None):
            cleaned[field.key] = value
    return cleaned


def _field_value(field: Field, value: Any, *, check: bool = True) -> Any:
    """One declared field's value, stripped; with ``check``, a required field must have
    one and a choice field one of its choices."""
    value = value.strip() if isinstance(value, str) else value
    if check and field.required and value in ("", None):
        raise ValidationError(_("%(label)s is required.") % {"label": field.label})
    if check and field.choices and value not in ("", None) and value not in field.choices:
        raise ValidationError(
            _("%(label)s must be one of: %(choices)s")
            % {"label": field.label, "choices": ", ".join(field.choices)}
        )
    return value


def reply_recipient(ticket: Ticket) -> str:
    """Where a reply goes: the address of the door the request came through."""
    field = "phone" if ticket.door == Door.WHATSAPP else "email"
    for party in (ticket.contact, ticket.requester):
        if party is not None and getattr(party, field):
            return str(getattr(party, field))
    return ""


@transaction.atomic
def ticket_reply(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    uploads: Sequence[Upload] = (),
    status: str | None = None,
    now: datetime | None = None,
) -> Article:
    """A public reply by staff. The first one is the first response (any door)."""
    now = _now(now)
    ticket = _lock(ticket)
    access.require_work(actor, ticket)
    if not body.strip():
        raise ValidationError(_("Write a reply."))
    article = _staff_article(ticket, Article.Kind.REPLY, actor, body, uploads, now)
    before = _snapshot(ticket, ["status", "first_response_at"])
    changed = []
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        changed.append("first_response_at")
    if ticket.status == Status.NEW:
        ticket.status = Status.OPEN
        changed.append("status")
    if changed:
        _refresh_deadlines(ticket)
        _save(ticket, [*changed, *DEADLINE_FIELDS])
    if ticket.door in (Door.WEB, Door.EMAIL, Door.WHATSAPP):
        # Walk-in and phone requests have no channel back; the portal shows the reply.
        recipient = reply_recipient(ticket)
        if recipient:
            message_queue(
                door=Door.WHATSAPP if ticket.door == Door.WHATSAPP else Door.EMAIL,
                purpose="reply",
                recipient=recipient,
                body_text=body,
                ticket=ticket,
                article=article,
                subject=f"[{ticket.reference}] {ticket.subject}",
            )
    _audit(
        actor,
        "ticket.reply",
        ticket,
        before,
        {**_snapshot(ticket, ["status", "first_response_at"]), "article": article.pk},
    )
    if status is not None and status != ticket.status:
        ticket_set_status(actor=actor, ticket=ticket, status=status, now=now)
    return article


@transaction.atomic
def ticket_note(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Article:
    """An internal note: staff only, never sent, never a first response."""
    now = _now(now)
    access.require_work(actor, ticket)
    if not body.strip():
        raise ValidationError(_("Write a note."))
    article = _staff_article(ticket, Article.Kind.NOTE, actor, body, uploads, now)
    _audit(actor, "ticket.note", ticket, None, {"article": article.pk})
    return article


@transaction.atomic
def ticket_requester_message(
    *,
    ticket: Ticket,
    body: str,
    door: str,
    author: User | None = None,
    author_name: str = "",
    uploads: Sequence[Upload] = (),
    external_id: str = "",
    body_html: str = "",
    now: datetime | None = None,
) -> Article:
    """The requester writes again (portal, e-mail, WhatsApp). A ticket waiting for the
    requester goes back to open; a resolved one reopens."""
    now = _now(now)
    ticket = _lock(ticket)
    if author is not None and not access.is_requester_of(author, ticket):
        raise PermissionDenied
    if not body.strip() and not uploads:
        raise ValidationError(_("Write a message or attach a file."))
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.INBOUND,
        door=door,
        author=author,
        author_name=author_name or str(author or ticket.requester_name),
        body=body,
        body_html=body_html,
        external_id=external_id,
        created_at=now,
    )
    article_attach(article, uploads)
    _audit(author, "ticket.message", ticket, None, {"article": article.pk, "door": door})
    if ticket.status in (Status.WAITING_REQUESTER, Status.RESOLVED):
        ticket_set_status(
            actor=author, ticket=ticket, status=Status.OPEN, now=now, by_requester=True
        )
    return article


def _staff_article(
    ticket: Ticket, kind: str, actor: User, body: str, uploads: Sequence[Upload], now: datetime
) -> Article:
    article = Article.objects.create(
        ticket=ticket,
        kind=kind,
        door=ticket.door,
        author=actor,
        author_name=str(actor),
        body=body,
        created_at=now,
    )
    article_attach(article, uploads)
    return article


def _lock(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("unit", "service_type__sop", "requester", "contact")
        .get(pk=ticket.pk)
    )


ALLOWED_MOVES: dict[str, set[str]] = {
    Status.NEW: {
        Status.OPEN,
        Status.WAITING_REQUESTER,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.OPEN: {
        Status.WAITING_REQUESTER,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.WAITING_REQUESTER: {
        Status.OPEN,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.WAITING_THIRD_PARTY: {
        Status.OPEN,
        Status.WAITING_REQUESTER,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.RESOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
}


@transaction.atomic
def ticket_set_status(
    *,
    actor: Any,
    ticket: Ticket,
    status: str,
    now: datetime | None = None,
    by_requester: bool = False,
) -> Ticket:
    """Move a ticket; waiting statuses pause the clock, resolving stops it, reopening
    starts it again from the original deadline plus the pauses."""
    now = _now(now)
    ticket = _lock(ticket)
    if not by_requester:
        access.require_work(actor, ticket)
    if status not in Status.values:
        raise ValidationError(_("Unknown status %(status)s.") % {"status": status})
    if status == ticket.status:
        return ticket
    if status not in ALLOWED_MOVES[ticket.status]:
        raise ValidationError(
            _("A request cannot go from %(old)s to %(new)s.")
            % {"old": Status(ticket.status).label, "new": Status(status).label}
        )
    before = _snapshot(ticket, ["status", "resolved_at", "closed_at"])
    was_paused = ticket.status in PAUSED_STATUSES
    if was_paused:
        Pause.objects.filter(ticket=ticket, ended_at__isnull=True).update(ended_at=now)
    if status in PAUSED_STATUSES:
        Pause.objects.create(ticket=ticket, started_at=now, reason=status)
    if status == Status.RESOLVED:
        ticket.resolved_at = now
        _finish_open_steps(ticket, now)
    elif status == Status.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    elif ticket.status in DONE_STATUSES:  # reopen
        ticket.resolved_at = None
        ticket.closed_at = None
    ticket.status = status
    ticket.paused_at = now if status in PAUSED_STATUSES else None
    _refresh_deadlines(ticket)
    _save(ticket, ["status", "resolved_at", "closed_at", "paused_at", *DEADLINE_FIELDS])
    _audit(
        actor,
        "ticket.status",
        ticket,
        before,
        _snapshot(ticket, ["status", "resolved_at", "closed_at"]),
    )
    if status == Status.RESOLVED:
        _ask_for_rating(ticket)
    return ticket


def _finish_open_steps(ticket: Ticket, now: datetime) -> None:
    """Steps nobody took when the ticket is resolved are marked not taken."""
    ticket.steps.filter(state__in=[Step.State.PENDING, Step.State.ACTIVE]).update(
        state=Step.State.SKIPPED
    )


def _ask_for_rating(ticket: Ticket) -> None:
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


@transaction.atomic
def ticket_assign(*, actor: User, ticket: Ticket, assignee: User | None) -> Ticket:
    ticket = _lock(ticket)
    access.require_work(actor, ticket)
    if assignee is not None and not access.can_work_in(assignee, ticket.unit):
        raise ValidationError(
            _("%(person)s does not work in %(unit)s.") % {"person": assignee, "unit": ticket.unit}
        )
    before = _snapshot(ticket, ["assignee"])
    ticket.assignee = assignee
    _save(ticket, ["assignee"])
    _audit(actor, "ticket.assign", ticket, before, _snapshot(ticket, ["assignee"]))
    return ticket


@transaction.atomic
def ticket_complete_step(
    *,
    actor: User,
    step: Step,
    output: str = "",
    branch: str = "",
    now: datetime | None = None,
) -> Step:
    """Record a step as done with its output, timed against its Mutu Baku; start the
    next one (or the chosen branch, leaving the other branches not taken)."""
    now = _now(now)
    step = (
        Step.objects.select_for_update(of=("self",))
        .select_related("activity", "ticket__unit", "ticket__service_type__sop")
        .get(pk=step.pk)
    )
    ticket = step.ticket
    access.require_work(actor, ticket)
    if step.state != Step.State.ACTIVE:
        raise ValidationError(_("Only the step in progress can be completed."))
    definition = ticket.service_type.sop.parsed()
    activity = definition.activity(step.activity.key)
    steps = list(ticket.steps.select_related("activity").order_by("position"))
    by_key = {s.activity.key: s for s in steps}
    if activity.next:
        choices = {b.to: b for b in activity.next}
        if branch not in choices:
            raise ValidationError(
                _("Choose what happens next: %(choices)s")
                % {"choices": "; ".join(b.when for b in activity.next)}
            )
        following = [by_key[branch]] if branch in by_key else []
        for other in choices:
            if other != branch and other in by_key:
                skipped = by_key[other]
                skipped.state = Step.State.SKIPPED
                skipped.save(update_fields=["state"])
    elif activity.end:
        following = []
    else:
        following = [s for s in steps if s.position == step.position + 1]
    assert step.started_at is not None  # an active step has started
    calendar = CalendarCache().get(ticket.unit, timezone.localtime(step.started_at).year)
    step.state = Step.State.DONE
    step.finished_at = now
    step.done_by = actor
    step.output = output or step.activity.output
    step.branch = branch
    step.elapsed_minutes = working_minutes_between(calendar, step.started_at, now)
    if step.activity.time_standard:
        # Within the Mutu Baku when done by the deadline that standard sets from the
        # step's start, on the unit's working clock.
        standard = parse_target(step.activity.time_standard)
        step.within_standard = now <= due_at(calendar, step.started_at, standard)
    step.save(
        update_fields=[
            "state",
            "finished_at",
            "done_by",
            "output",
            "branch",
            "elapsed_minutes",
            "within_standard",
        ]
    )
    for nxt in following:
        if nxt.state == Step.State.PENDING:
            nxt.state = Step.State.ACTIVE
            nxt.started_at = now
            nxt.save(update_fields=["state", "started_at"])
    _audit(
        actor,
        "ticket.step",
        ticket,
        None,
        {
            "step": step.position,
            "activity": step.activity.key,
            "output": step.output,
            "branch": branch,
            "elapsed_minutes": step.elapsed_minutes,
            "within_standard": step.within_standard,
        },
    )
    return step


@transaction.atomic
def ticket_rate(
    *, actor: User, ticket: Ticket, score: int, comment: str = "", now: datetime | None = None
) -> Ticket:
    ticket = _lock(ticket)
    if not access.is_requester_of(actor, ticket):
        raise PermissionDenied
    if ticket.status not in DONE_STATUSES:
        raise ValidationError(_("A request can be rated once it is resolved."))
    if not 1 <= int(score) <= 5:
        raise ValidationError(_("Give a rating from 1 to 5."))
    if ticket.csat_score is not None:
        # A rating is evidence for the accreditation: given once, never rewritten.
        raise ValidationError(_("This request has already been rated."))
    before = _snapshot(ticket, ["csat_score", "csat_comment"])
    ticket.csat_score = int(score)
    ticket.csat_comment = comment.strip()
    ticket.csat_at = _now(now)
    _save(ticket, ["csat_score", "csat_comment", "csat_at"])
    _audit(actor, "ticket.rate", ticket, before, _snapshot(ticket, ["csat_score", "csat_comment"]))
    return ticket


@transaction.atomic
def ticket_merge(
    *, actor: User, source: Ticket, target: Ticket, now: datetime | None = None
) -> Ticket:
    """Fold ``source`` into ``target``: its messages move over, it closes pointing there."""
    now = _now(now)
    if source.pk == target.pk:
        raise ValidationError(_("A request cannot be merged into itself."))
    source, target = _lock(source), _lock(target)
    access.require_work(actor, source)
    access.require_work(actor, target)
    if source.unit_id != target.unit_id:
        raise ValidationError(_("Only requests of the same unit can be merged."))
    moved = Article.objects.filter(ticket=source).update(ticket=target)
    source.merged_into = target
    _save(source, ["merged_into"])
    TicketEvent.objects.create(
        ticket=target,
        kind=TicketEvent.Kind.MERGED,
        at=now,
        detail={"from": source.reference, "articles": moved},
    )
    TicketEvent.objects.create(
        ticket=source, kind=TicketEvent.Kind.MERGED, at=now, detail={"into": target.reference}
    )
    _audit(actor, "ticket.merge", source, None, {"into": target.reference, "articles": moved})
    if source.status != Status.CLOSED:
        ticket_set_status(actor=actor, ticket=source, status=Status.CLOSED, now=now)
    return target


@transaction.atomic
def ticket_split(
    *,
    actor: User,
    ticket: Ticket,
    article_ids: Sequence[int],
    subject: str,
    now: datetime | None = None,
) -> Ticket:
    """Move some messages of ``ticket`` into a new ticket of the same service, received
    when the first of them arrived."""
    now = _now(now)
    ticket = _lock(ticket)
    access.require_work(actor, ticket)
    articles = list(ticket.articles.filter(pk__in=article_ids).order_by("created_at"))
    if not articles:
        raise ValidationError(_("Choose the messages to split off."))
    if len(articles) == ticket.articles.count():
        raise ValidationError(_("Leave at least one message on the original request."))
    first = articles[0]
    new = ticket_create(
        actor=actor,
        service_type=ticket.service_type,
        subject=subject,
        body=first.body,
        door=ticket.door,
        requester=ticket.requester,
        contact=ticket.contact,
        fields=ticket.fields,
        received_at=first.created_at,
        now=now,
    )
    # The new ticket's opening message is the first moved one: drop the copy.
    new.articles.all().delete()
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(ticket=new)
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.SPLIT,
        at=now,
        detail={"into": new.reference, "articles": len(articles)},
    )
    _audit(actor, "ticket.split", ticket, None, {"into": new.reference})
    return new


def tickets_bulk(
    *,
    actor: User,
    tickets: Iterable[Ticket],
    assignee: User | None = None,
    unassign: bool = False,
    status: str | None = None,
) -> int:
    """Assign (or, with ``unassign``, leave to nobody) and/or move several tickets; each
    in its own transaction and audit row."""
    if unassign and assignee is not None:
        raise ValueError("unassign and an assignee exclude each other")
    count = 0
    for ticket in tickets:
        if assignee is not None or unassign:
            ticket_assign(actor=actor, ticket=ticket, assignee=assignee)
        if status is not None:
            ticket_set_status(actor=actor, ticket=ticket, status=status)
        count += 1
    return count


@transaction.atomic
def ticket_update_fields(*, actor: User, ticket: Ticket, fields: Mapping[str, Any]) -> Ticket:
    """Staff fill in or correct the service's own fields (a walk-in, an e-mail or a chat
    message often arrives without them). Only the fields given change; each is checked
    as ``clean_fields`` checks it, and a required field that has a value cannot be
    emptied."""
    ticket = _lock(ticket)
    access.require_work(actor, ticket)
    declared = {field.key: field for field in ticket.service_type.definition().fields}
    unknown = sorted(set(fields) - set(declared))
    if unknown:
        raise ValidationError(
            _("This service has no field %(keys)s.") % {"keys": ", ".join(unknown)}
        )
    updated = dict(ticket.fields)
    for key, given in fields.items():
        # A required field left empty may stay empty; one that has a value keeps one.
        has_value = updated.get(key) not in ("", None)
        value = _field_value(declared[key], given, check=has_value or given not in ("", None))
        if value in ("", None):
            updated.pop(key, None)
        else:
            updated[key] = value
    changed = sorted(
        key for key in {*ticket.fields, *updated} if ticket.fields.get(key) != updated.get(key)
    )
    if not changed:
        return ticket
    before = {"fields": {key: ticket.fields.get(key) for key in changed}}
    ticket.fields = updated
    _save(ticket, ["fields"])
    _audit(
        actor,
        "ticket.fields",
        ticket,
        before,
        {"fields": {key: updated.get(key) for key in changed}},
    )
    return ticket


# ---------------------------------------------------------------- saved filters


@transaction.atomic
def saved_filter_save(*, user: User, name: str, query: str) -> SavedFilter:
    """Save a view of the queue under a name; a view of the same name is replaced."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the view a name."))
    existing = SavedFilter.objects.select_for_update().filter(user=user, name=name).first()
    before = {"name": name, "query": existing.query} if existing else None
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, name=name, defaults={"query": query}
    )
    audit_record(
        actor=user,
        action="saved_filter.save",
        obj=saved,
        before=before,
        after={"name": name, "query": query},
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, user: User, saved_filter: SavedFilter) -> None:
    """Only its owner deletes a saved view."""
    if saved_filter.user_id != user.pk:
        raise PermissionDenied
    audit_record(
        actor=user,
        action="saved_filter.delete",
        obj=saved_filter,
        before={"name": saved_filter.name, "query": saved_filter.query},
    )
    saved_filter.delete()
