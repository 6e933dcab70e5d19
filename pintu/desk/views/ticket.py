"""The staff ticket page: the conversation, the SOP steps with their timers, the history,
messages that could not be delivered, and one POST endpoint per action.

Every POST checks its form, calls one service and redirects back with a message; when a
service refuses (ValidationError) the page is shown again with what the user typed.
Auditors read the page with no forms; their POSTs are refused (403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pintu.core.downloads import stored_file
from pintu.desk import access, selectors, services
from pintu.desk.actions import StepAction, action_for, bound_form
from pintu.desk.channels import channel_words, reply_channel
from pintu.desk.forms import (
    AssignForm,
    FieldsForm,
    MergeForm,
    NoteForm,
    ReplyForm,
    SplitForm,
    StatusForm,
    StepForm,
)
from pintu.desk.models import Priority, Status, Step, Ticket
from pintu.desk.views.common import (
    SLA_WORDS,
    STARS,
    error_text,
    js_words,
    minutes_words,
    render_for_unit,
    signed_in,
)
from pintu.desk.views.history import history
from pintu.org import access as org_access
from pintu.outbox.selectors import dead_letters
from pintu.sop.definition import Branch, Definition
from pintu.sop.diagram import duration_words


@dataclass(frozen=True)
class StepRow:
    step: Step
    actor: str  # the role's name in the SOP
    standard: str  # the Mutu Baku time in words
    elapsed: str
    branches: tuple[Branch, ...]
    branch_taken: str  # the condition of the branch taken, in the SOP's words


def _step_rows(definition: Definition, steps: list[Step]) -> list[StepRow]:
    roles = {role.key: role.name for role in definition.roles}
    activities = {activity.key: activity for activity in definition.activities}
    rows = []
    for step in steps:
        activity = activities.get(step.activity.key)
        branches = activity.next if activity else ()
        rows.append(
            StepRow(
                step=step,
                actor=roles.get(step.activity.actor, step.activity.actor),
                standard=duration_words(step.activity.time_standard),
                elapsed=minutes_words(step.elapsed_minutes),
                branches=branches,
                branch_taken=next((b.when for b in branches if b.to == step.branch), ""),
            )
        )
    return rows


def _reply_route(ticket: Ticket) -> str:
    """Where a public reply goes, in words."""
    return channel_words(reply_channel(ticket, timezone.now()))


def _staff_ticket(request: HttpRequest, reference: str) -> Ticket:
    """The ticket for a staff page: its unit's people, auditors and admins; else 404."""
    ticket = selectors.ticket_get(viewer=request.user, reference=reference)
    if access.can_work_in(request.user, ticket.unit):
        return ticket
    if not org_access.can_read_everything(request.user):
        raise Http404
    if request.method != "GET":
        raise PermissionDenied  # auditors read, never act
    return ticket


def _ticket_page(
    request: HttpRequest, ticket: Ticket, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    can_work = access.can_work_in(user, ticket.unit)
    definition = ticket.service_type.sop.parsed()
    service = ticket.service_type.definition()
    declared = {field.key: field.label for field in service.fields}
    fields = [(label, ticket.fields.get(key, "")) for key, label in declared.items()]
    fields += [(key, value) for key, value in ticket.fields.items() if key not in declared]
    conversation = selectors.ticket_conversation(viewer=user, ticket=ticket)
    steps = _step_rows(definition, selectors.ticket_steps(ticket))
    active = next((row for row in steps if row.step.state == Step.State.ACTIVE), None)
    sla = selectors.with_sla([ticket], now)[0].sla
    context: dict[str, Any] = {
        "ticket": ticket,
        "sla": sla,
        "sla_overall": SLA_WORDS[sla.overall],
        "sla_first_response": SLA_WORDS[sla.first_response],
        "sla_resolution": SLA_WORDS[sla.resolution],
        "sop": ticket.service_type.sop,
        "fields": fields,
        "first_response_words": duration_words(ticket.service_type.first_response),
        "resolution_words": duration_words(ticket.service_type.resolution),
        "conversation": conversation,
        "dead_letters": list(dead_letters(ticket)),
        "steps": steps,
        "active_step": active,
        "history": history(
            selectors.ticket_history(ticket), selectors.ticket_deadline_events(ticket), declared
        ),
        "can_work": can_work,
        "words": js_words(),
        "priority_high": ticket.priority in (Priority.HIGH, Priority.URGENT),
        "stars": STARS,  # the requester's rating, drawn at the top
    }
    if can_work:
        bound = bound or {}
        people = selectors.unit_people(ticket.unit)
        context.update(
            {
                "reply_route": _reply_route(ticket),
                "reply_form": bound.get("reply") or ReplyForm(),
                "note_form": bound.get("note") or NoteForm(),
                "assign_form": bound.get("assign")
                or AssignForm(people=people, initial={"assignee": ticket.assignee_id}),
                "status_form": bound.get("status")
                or StatusForm(allowed=services.ALLOWED_MOVES[ticket.status]),
                "merge_form": bound.get("merge") or MergeForm(),
                "split_form": bound.get("split") or SplitForm(),
                "fields_form": bound.get("fields")
                or FieldsForm(service=service, initial=ticket.fields),
                "step_form": bound.get("step")
                or (
                    StepForm(
                        branches=active.branches,
                        initial={"step": active.step.pk, "output": active.step.activity.output},
                    )
                    if active
                    else None
                ),
                "split_chosen": {str(pk) for pk in request.POST.getlist("articles")},
            }
        )
        if active is not None:
            context["step_action"] = _step_action(ticket, active.step)
            if context["step_action"] is not None:
                context["action_form"] = bound.get("action") or bound_form(
                    context["step_action"], active.step
                )
    return render_for_unit(request, "desk/staff/ticket.html", context, ticket.unit)


def _step_action(ticket: Ticket, step: Step) -> StepAction | None:
    """The module's action of this step, if a module registered one."""
    return action_for(ticket.service_type.sop.code, step.activity.key)


@require_GET
@login_required
def ticket_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _ticket_page(request, _staff_ticket(request, reference))


def _act(
    request: HttpRequest,
    ticket: Ticket,
    name: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], str],
    also: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """Run one action: on success a message and back to the ticket; when the form or
    the service refuses, the page again with the error and what was typed."""
    if form.is_valid():
        try:
            done = action(form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
            # Shown next to the form too, and keeps it open; a module's per-field errors
            # are named in the messages, since this form has not those fields.
            form.add_error(None, error.messages)
        else:
            messages.success(request, done)
            return redirect("desk-ticket", reference=ticket.reference)
    else:
        messages.error(request, _("Check the form below."))
    return _ticket_page(request, ticket, {name: form, **(also or {})})


@require_POST
@login_required
def ticket_reply(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = _staff_ticket(request, reference)

    def reply(data: dict[str, Any]) -> str:
        services.ticket_reply(
            actor=signed_in(request),
            ticket=ticket,
            body=data["body"],
            uploads=services.uploads_from_files(request.FILES.getlist("attachments")),
            status=data["status"] or None,
        )
        return _("Reply saved. %(route)s") % {"route": _reply_route(ticket)}

    return _act(request, ticket, "reply", ReplyForm(request.POST), reply)


@require_POST
@login_required
def ticket_note(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = _staff_ticket(request, reference)

    def note(data: dict[str, Any]) -> str:
        services.ticket_note(
            actor=signed_in(request),
            ticket=ticket,
            body=data["body"],
            uploads=services.uploads_from_files(request.FILES.getlist("attachments")),
        )
        return _("Internal note added.")

    return _act(request, ticket, "note", NoteForm(request.POST), note)


@require_POST
@login_required
def ticket_assign(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = _staff_ticket(request, reference)

    def assign(data: dict[str, Any]) -> str:
        assignee = data["assignee"]
        services.ticket_assign(actor=signed_in(request), ticket=ticket, assignee=assignee)
        if assignee is None:
            return _("Nobody is assigned now.")
        return _("Assigned to %(person)s.") % {"person": assignee}

    form = AssignForm(request.POST, people=selectors.unit_people(ticket.unit))
    return _act(request, ticket, "assign", form, assign)


@require_POST
@login_required
def ticket_status(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = _staff_ticket(request, reference)

    def move(data: dict[str, Any]) -> str:
        status = Status(data["status"])
        services.ticket_set_status(actor=signed_in(request), ticket=ticket, status=status)
        return _("Status set to %(status)s.") % {"status": status.label}

    form = StatusForm(request.POST, allowed=services.ALLOWED_MOVES[ticket.status])
    return _act(request, ticket, "status", form, move)


@require_POST
@login_required
def ticket_step(request: HttpRequest, reference: str) -> HttpResponse:
    """Complete the step in progress; a step a module acts on also takes that module's
    form, shown again with its errors when it is refused."""
    ticket = _staff_ticket(request, reference)
    step_id = request.POST.get("step", "")
    step = selectors.ticket_step(ticket, int(step_id) if step_id.isdigit() else 0)
    activity = next(
        (a for a in ticket.service_type.sop.parsed().activities if a.key == step.activity.key),
        None,
    )
    action = _step_action(ticket, step)
    action_form = bound_form(action, step, request.POST, request.FILES) if action else None

    def complete(data: dict[str, Any]) -> str:
        if action_form is not None and not action_form.is_valid():
            raise ValidationError(_("Check the form below."))
        services.ticket_complete_step(
            actor=signed_in(request),
            step=step,
            output=data["output"],
            branch=data.get("branch", ""),
            data=request.POST,
            files=request.FILES,
        )
        return _("Step %(number)s done.") % {"number": step.position}

    form = StepForm(request.POST, branches=activity.next if activity else ())
    bound = {"action": action_form} if action_form is not None else {}
    return _act(request, ticket, "step", form, complete, also=bound)


@require_POST
@login_required
def ticket_merge(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = _staff_ticket(request, reference)

    def merge(data: dict[str, Any]) -> str:
        wanted = data["into"].strip().upper()
        try:
            target = selectors.ticket_get(viewer=request.user, reference=wanted)
        except Http404:
            raise ValidationError(
                _("There is no request %(reference)s.") % {"reference": wanted}
            ) from None
        services.ticket_merge(actor=signed_in(request), source=ticket, target=target)
        return _("Merged into %(reference)s.") % {"reference": target.reference}

    return _act(request, ticket, "merge", MergeForm(request.POST), merge)


@require_POST
@login_required
def ticket_split(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = _staff_ticket(request, reference)

    def split(data: dict[str, Any]) -> str:
        new = services.ticket_split(
            actor=signed_in(request),
            ticket=ticket,
            article_ids=data["articles"],
            subject=data["subject"],
        )
        return _("Split off as %(reference)s.") % {"reference": new.reference}

    form = SplitForm(request.POST, articles=ticket.articles.all())
    return _act(request, ticket, "split", form, split)


@require_POST
@login_required
def ticket_fields(request: HttpRequest, reference: str) -> HttpResponse:
    """Fill in or correct the service's own fields (a walk-in or an e-mail often arrives
    without them)."""
    ticket = _staff_ticket(request, reference)
    service = ticket.service_type.definition()

    def update(data: dict[str, Any]) -> str:
        services.ticket_update_fields(
            actor=signed_in(request), ticket=ticket, fields=form.field_values()
        )
        return _("Details saved.")

    form = FieldsForm(request.POST, service=service)
    return _act(request, ticket, "fields", form, update)


@require_POST
@login_required
def ticket_retry(request: HttpRequest, reference: str) -> HttpResponse:
    """Send a dead letter of this ticket again."""
    ticket = _staff_ticket(request, reference)
    message_id = request.POST.get("message", "")
    message = (
        dead_letters(ticket).filter(pk=int(message_id)).first() if message_id.isdigit() else None
    )
    if message is None:
        messages.error(request, _("That message is no longer waiting to be sent again."))
    else:
        try:
            services.ticket_delivery_retry(actor=signed_in(request), ticket=ticket, item=message)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("The message to %(recipient)s will be sent again.")
                % {"recipient": message.recipient},
            )
    return redirect("desk-ticket", reference=ticket.reference)


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Any viewer of the ticket may download (requesters not from internal notes)."""
    attachment = selectors.attachment_get(viewer=request.user, pk=pk)
    response = stored_file(attachment.file, attachment.filename, attachment.content_type)
    return response


urlpatterns: list[URLPattern] = [
    path("desk/t/<str:reference>/", ticket_page, name="desk-ticket"),
    path("desk/t/<str:reference>/reply/", ticket_reply, name="desk-ticket-reply"),
    path("desk/t/<str:reference>/note/", ticket_note, name="desk-ticket-note"),
    path("desk/t/<str:reference>/assign/", ticket_assign, name="desk-ticket-assign"),
    path("desk/t/<str:reference>/status/", ticket_status, name="desk-ticket-status"),
    path("desk/t/<str:reference>/step/", ticket_step, name="desk-ticket-step"),
    path("desk/t/<str:reference>/merge/", ticket_merge, name="desk-ticket-merge"),
    path("desk/t/<str:reference>/split/", ticket_split, name="desk-ticket-split"),
    path("desk/t/<str:reference>/fields/", ticket_fields, name="desk-ticket-fields"),
    path("desk/t/<str:reference>/retry/", ticket_retry, name="desk-ticket-retry"),
    path("desk/attachments/<int:pk>/", attachment_download, name="desk-attachment"),
]
