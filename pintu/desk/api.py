"""The tickets in JSON (/api/v1/tickets): thin callers of the desk's selectors and services.

Visibility is the pages': requesters see their own tickets, staff their unit's, auditors
everything but change nothing; a ticket the caller may not see answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import AwareDatetime, ConfigDict, field_validator

from pintu.desk import access, selectors, services
from pintu.desk.actions import PREFIX, action_for, bound_form
from pintu.desk.models import Article, Door, Status, Step, Ticket
from pintu.org import access as org_access
from pintu.org.models import User
from pintu.sla.clock import SlaState
from pintu.sop.models import ServiceType

router = Router()

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000
# Digits only, as WhatsApp writes them; a leading + is allowed and dropped (E.164: at
# most 15 digits, at least a subscriber number's worth).
PHONE_PATTERN = r"^\+?[0-9]{6,15}$"


# ---------------------------------------------------------------- schemas


class ServiceOut(Schema):
    sop: str = Field(description="The SOP number, e.g. PR.33.8.")
    key: str
    name: str


class TicketOut(Schema):
    # Enums leave as their values ("on_track"), not as their Python names.
    model_config = ConfigDict(use_enum_values=True)

    reference: str
    status: Status
    unit: str = Field(description="The unit's code.")
    service: ServiceOut
    subject: str
    door: Door
    priority: str
    requester: str
    assignee: str | None = Field(description="The assignee's username.")
    received_at: datetime
    first_response_due_at: datetime
    resolution_due_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    sla_state: SlaState = Field(
        description="Derived now from the deadlines: the open one, or the worse of two done."
    )
    fields: dict[str, Any]


class BranchOut(Schema):
    to: str = Field(description="The activity this branch leads to: pass it as `branch`.")
    when: str


class StepOut(Schema):
    position: int
    activity: str
    description: str
    actor: str = Field(description="The SOP role that performs this step.")
    time_standard: str | None = Field(description="The step's Mutu Baku, e.g. 1d.")
    state: str
    started_at: datetime | None
    finished_at: datetime | None
    output: str
    branch: str
    elapsed_minutes: int | None
    within_standard: bool | None
    branches: list[BranchOut] = Field(description="The choices when completing this step.")
    action_fields: list[str] = Field(
        description="For a step a unit module acts on: the fields to send as `data`."
    )


class TicketDetailOut(TicketOut):
    steps: list[StepOut]


class TicketPage(Schema):
    count: int = Field(
        description=f"How many tickets match: exact up to {selectors.COUNT_BOUND:,}, "
        "beyond it this bound (see `count_exact`)."
    )
    count_exact: bool = Field(description="False when there are more than `count`.")
    limit: int
    offset: int
    next: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
    items: list[TicketOut]


class AttachmentOut(Schema):
    filename: str
    content_type: str
    size: int


class ArticleOut(Schema):
    id: int
    kind: str
    door: str
    author: str
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


class TicketFilter(Schema):
    status: Status | None = None
    unit: str | None = Field(None, description="A unit code, e.g. UPT-SI.", max_length=32)
    service: str | None = Field(None, description="A service type key.", max_length=100)
    q: str | None = Field(
        None,
        description="Words to find: each the start of a word of the ticket's reference, "
        "subject, opening message, fields or requester.",
        max_length=200,
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    cursor: str | None = Field(
        None,
        description="The `next` of the previous page: the page after it, as fast at any "
        "depth as the first (offset counts from it).",
        max_length=100,
    )

    @field_validator("cursor")
    @classmethod
    def _cursor(cls, value: str | None) -> str | None:
        if value is not None:
            selectors.Cursor.decode(value)
        return value


class ServiceIn(Schema):
    sop: str = Field(description="The SOP number; its current revision is used.")
    key: str


class RequesterIn(Schema):
    """Who the request is from, when staff enter it for someone: a username, or an
    outside contact by e-mail and/or WhatsApp number."""

    username: str = Field("", max_length=150)
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254, description="An e-mail address.")
    phone: str = Field(
        "",
        max_length=21,
        pattern=PHONE_PATTERN,
        description="A WhatsApp number in international form, digits only, e.g. 6281234567890.",
    )

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValueError(_("Enter a valid e-mail address.")) from None
        return value


class TicketIn(Schema):
    service: ServiceIn
    subject: str
    body: str
    fields: dict[str, Any] = Field(default_factory=dict)
    door: Literal["web", "walk_in", "phone"] = "web"
    received_at: AwareDatetime | None = Field(
        None, description="Staff only: when a walk-in or phone request really arrived."
    )
    requester: RequesterIn | None = Field(None, description="Staff only; default: the caller.")


class ReplyIn(Schema):
    body: str
    status: Status | None = Field(None, description="Staff only: move the ticket as well.")


class NoteIn(Schema):
    body: str


class StatusIn(Schema):
    status: Status


class StepCompleteIn(Schema):
    output: str = ""
    branch: str = Field("", description="Where a step with branches goes next (`to`).")
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="The fields of the step's action, for a step a unit module acts on "
        "(`action_fields` of the step).",
    )


# ---------------------------------------------------------------- serialising


def _ticket_out(row: selectors.Row) -> TicketOut:
    return TicketOut(**_ticket_values(row))


def _ticket_values(row: selectors.Row) -> dict[str, Any]:
    ticket = row.ticket
    service = ticket.service_type
    return {
        "reference": ticket.reference,
        "status": ticket.status,
        "unit": ticket.unit.code,
        "service": ServiceOut(sop=service.sop.code, key=service.key, name=service.name),
        "subject": ticket.subject,
        "door": ticket.door,
        "priority": ticket.priority,
        "requester": ticket.requester_name,
        "assignee": ticket.assignee.username if ticket.assignee else None,
        "received_at": ticket.received_at,
        "first_response_due_at": ticket.first_response_due_at,
        "resolution_due_at": ticket.resolution_due_at,
        "first_response_at": ticket.first_response_at,
        "resolved_at": ticket.resolved_at,
        "sla_state": row.state,
        "fields": ticket.fields,
    }


def _detail(ticket: Ticket) -> TicketDetailOut:
    (row,) = selectors.with_sla([ticket], timezone.now())
    definition = ticket.service_type.sop.parsed()
    steps = [
        StepOut(
            position=step.position,
            activity=step.activity.key,
            description=step.activity.description,
            actor=step.activity.actor,
            time_standard=step.activity.time_standard or None,
            state=step.state,
            started_at=step.started_at,
            finished_at=step.finished_at,
            output=step.output,
            branch=step.branch,
            elapsed_minutes=step.elapsed_minutes,
            within_standard=step.within_standard,
            branches=[
                BranchOut(to=branch.to, when=branch.when)
                for branch in definition.activity(step.activity.key).next
            ],
            action_fields=_action_fields(ticket, step),
        )
        for step in selectors.ticket_steps(ticket)
    ]
    return TicketDetailOut(**_ticket_values(row), steps=steps)


def _action_fields(ticket: Ticket, step: Step) -> list[str]:
    action = action_for(ticket.service_type.sop.code, step.activity.key)
    return list(bound_form(action, step).fields) if action else []


def _article_out(article: Article) -> ArticleOut:
    return ArticleOut(
        id=article.pk,
        kind=article.kind,
        door=article.door,
        author=article.author_name,
        body=article.body,
        created_at=article.created_at,
        attachments=[
            AttachmentOut(filename=a.filename, content_type=a.content_type, size=a.size)
            for a in article.attachments.all()
        ],
    )


# ---------------------------------------------------------------- helpers


def _viewer(request: HttpRequest) -> User:
    # Every operation is authenticated (pintu.site.api): by token or by session.
    return cast(User, request.user)


def _refuse_read_only(user: User) -> None:
    """Auditors read everything and change nothing."""
    if org_access.is_auditor(user) and not org_access.is_admin(user):
        raise PermissionDenied(_("Auditors have read-only access."))


def _service_type(sop: str, key: str) -> ServiceType:
    service_type = (
        ServiceType.objects.select_related("sop__unit")
        .filter(sop__code=sop, sop__is_current=True, key=key)
        .first()
    )
    if service_type is None:
        raise ValidationError(
            {"service": _("No service %(key)s in SOP %(sop)s.") % {"key": key, "sop": sop}}
        )
    return service_type


def _requester(data: RequesterIn) -> services.Requester:
    if data.username:
        person = User.objects.filter(username=data.username, is_active=True).first()
        if person is None:
            raise ValidationError(
                {"requester": _("No person %(username)s.") % {"username": data.username}}
            )
        return person
    if not (data.email or data.phone):
        raise ValidationError(
            {"requester": _("Give the requester's username, e-mail or WhatsApp number.")}
        )
    return services.ContactDetails(name=data.name, email=data.email, phone=data.phone)


# ---------------------------------------------------------------- operations


@router.get("", response=TicketPage, summary="Tickets the caller may see, newest first")
def ticket_list(request: HttpRequest, filters: Query[TicketFilter]) -> TicketPage:
    page = selectors.ticket_list(
        viewer=_viewer(request),
        filters=selectors.ListFilter(
            status=filters.status or "",
            unit=filters.unit or "",
            service=filters.service or "",
            q=filters.q or "",
        ),
        limit=filters.limit,
        offset=filters.offset,
        after=selectors.Cursor.decode(filters.cursor) if filters.cursor else None,
    )
    return TicketPage(
        count=page.count,
        count_exact=page.count_exact,
        limit=filters.limit,
        offset=filters.offset,
        next=page.next.encode() if page.next else None,
        items=[_ticket_out(row) for row in selectors.with_sla(page.tickets, timezone.now())],
    )


@router.post("", response={201: TicketDetailOut}, summary="Open a ticket")
def ticket_create(request: HttpRequest, data: TicketIn) -> TicketDetailOut:
    user = _viewer(request)
    _refuse_read_only(user)
    service_type = _service_type(data.service.sop, data.service.key)
    is_staff = access.can_work_in(user, service_type.sop.unit)
    if not is_staff and (data.requester is not None or data.door != Door.WEB):
        raise PermissionDenied(_("Only staff of the unit may enter a request for someone."))
    created = services.ticket_create(
        actor=user,
        service_type=service_type,
        requester=_requester(data.requester) if data.requester else user,
        opening=services.Opening(subject=data.subject, body=data.body),
        door=data.door,
        received_at=data.received_at,
        fields=data.fields,
    )
    ticket = created.ticket
    return _detail(selectors.ticket_get(viewer=user, reference=ticket.reference))


@router.get("/{reference}", response=TicketDetailOut, summary="A ticket with its SOP steps")
def ticket_detail(request: HttpRequest, reference: str) -> TicketDetailOut:
    return _detail(selectors.ticket_get(viewer=_viewer(request), reference=reference))


@router.get(
    "/{reference}/articles",
    response=list[ArticleOut],
    summary="The conversation (requesters never see internal notes)",
)
def ticket_articles(request: HttpRequest, reference: str) -> list[ArticleOut]:
    user = _viewer(request)
    ticket = selectors.ticket_get(viewer=user, reference=reference)
    return [_article_out(a) for a in selectors.ticket_conversation(viewer=user, ticket=ticket)]


@router.post(
    "/{reference}/reply",
    response={201: ArticleOut},
    summary="Reply: staff to the requester, or the requester to the unit",
)
def ticket_reply(request: HttpRequest, reference: str, data: ReplyIn) -> ArticleOut:
    user = _viewer(request)
    ticket = selectors.ticket_get(viewer=user, reference=reference)
    if access.can_work_in(user, ticket.unit):
        article = services.ticket_reply(
            actor=user, ticket=ticket, body=data.body, status=data.status
        )
    elif access.is_requester_of(user, ticket) and data.status is None:
        if not data.body.strip():
            raise ValidationError(_("Write a reply."))
        article = services.ticket_requester_message(
            ticket=ticket, body=data.body, door=Door.WEB, author=user
        )
    else:
        raise PermissionDenied
    return _article_out(article)


@router.post("/{reference}/note", response={201: ArticleOut}, summary="An internal note")
def ticket_note(request: HttpRequest, reference: str, data: NoteIn) -> ArticleOut:
    user = _viewer(request)
    ticket = selectors.ticket_get(viewer=user, reference=reference)
    return _article_out(services.ticket_note(actor=user, ticket=ticket, body=data.body))


@router.post("/{reference}/status", response=TicketDetailOut, summary="Move a ticket")
def ticket_status(request: HttpRequest, reference: str, data: StatusIn) -> TicketDetailOut:
    user = _viewer(request)
    ticket = selectors.ticket_get(viewer=user, reference=reference)
    services.ticket_set_status(actor=user, ticket=ticket, status=data.status)
    return _detail(selectors.ticket_get(viewer=user, reference=reference))


@router.post(
    "/{reference}/steps/{position}/complete",
    response=TicketDetailOut,
    summary="Complete the SOP step in progress with its output",
)
def ticket_step_complete(
    request: HttpRequest, reference: str, position: int, data: StepCompleteIn
) -> TicketDetailOut:
    user = _viewer(request)
    ticket = selectors.ticket_get(viewer=user, reference=reference)
    step = Step.objects.filter(ticket=ticket, position=position).first()
    if step is None:
        raise Http404
    services.ticket_complete_step(
        actor=user,
        step=step,
        output=data.output,
        branch=data.branch,
        data={f"{PREFIX}-{name}": value for name, value in data.data.items()},
    )
    return _detail(selectors.ticket_get(viewer=user, reference=reference))
