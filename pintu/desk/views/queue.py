"""The staff queue: a unit's active requests by next deadline, its live rows, bulk
assign/close (closing asks first) and saved views of its filters.

Auditors read the queue with no bulk actions; their POSTs are refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pintu.core import moments
from pintu.desk import access, selectors, services
from pintu.desk.forms import BulkForm, SavedFilterForm
from pintu.desk.models import Door, Priority, SavedFilter, Status
from pintu.desk.selectors import QUEUE_FILTERS, QueueFilter
from pintu.desk.views.common import (
    SLA_WORDS,
    STARS,
    error_text,
    errors_text,
    jinja_fragment,
    js_words,
    reference_url,
    render_for_unit,
    safe_next,
    signed_in,
)
from pintu.org.models import Unit
from pintu.sla.calendars import zone_for_unit
from pintu.sla.clock import SlaState

# The queue shows this many tickets; more than that asks for narrower filters.
QUEUE_LIMIT = 100

SLA_FILTERS = (SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.BREACHED)


def _queue_unit(request: HttpRequest, code: str) -> tuple[Unit, list[Unit]]:
    """The unit asked for among those the viewer may open (the first by default)."""
    units = list(selectors.staff_units(request.user))
    if not units:
        raise PermissionDenied
    if not code:
        return units[0], units
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404
    return unit, units


def _queue_query(unit: Unit, filters: QueueFilter) -> str:
    """The query string that names a queue view, as saved filters keep it."""
    values = {"unit": unit.code}
    values.update({name: getattr(filters, name) for name in QUEUE_FILTERS})
    return urlencode({name: value for name, value in values.items() if value})


def _since(value: str | None, now: datetime) -> datetime:
    """When the page was opened: new tickets are those that arrived after it."""
    moment = parse_datetime(value or "")
    if moment is None or timezone.is_naive(moment) or moment > now:
        return now
    return moment


@dataclass(frozen=True)
class QueueRow:
    """A row of the queue with every word and link it shows worked out beforehand: the
    template only places them (a hundred rows of lookups and translations in the
    template were most of the page's time)."""

    row: selectors.Row
    sla: str  # the SLA state in words
    arrived: bool  # arrived after the page was opened
    href: str
    select_label: str
    priority: str  # the priority's badge, only for high and urgent
    door: str
    status: str
    stars: str  # the rating as stars and words, or ""
    comment: str  # the rating's comment, cut to 90 characters
    due_iso: str
    due_stamp: str
    due_kind: str  # "resolution" or "first response", in words


class RowWords:
    """The words and marks the rows repeat, translated once per page, and the moment
    the rows were read."""

    def __init__(self, tz: Any, now: datetime) -> None:
        self.tz = tz
        self.checked = now.astimezone(tz).isoformat()
        self.service = _("Service")
        self.door = _("Door")
        self.status = _("Status")
        self.assignee = _("Assignee")
        self.deadline = _("Next deadline")
        self.arrived = _("Just arrived")
        self.paused = _("Clock paused")
        self.empty = _("No request matches these filters.")
        self.more = _(
            "Only the first %(limit)s requests by deadline are shown. "
            "Narrow the filters to see the others."
        ) % {"limit": QUEUE_LIMIT}
        self.statuses = {value: str(label) for value, label in Status.choices}
        self.doors = {value: str(label) for value, label in Door.choices}
        self.priorities = {value: str(label) for value, label in Priority.choices}
        self.sla = {state: str(words) for state, words in SLA_WORDS.items()}
        self.resolution = _("resolution")
        self.first_response = _("first response")
        self.stars = {
            score: render_to_string("desk/_stars.html", {"score": score, "stars": STARS})
            for score in STARS
        }
        self.ticket_url = reference_url("desk-ticket")

    def row(self, row: selectors.Row, since: datetime) -> QueueRow:
        ticket = row.ticket
        due = ticket.next_due_at
        return QueueRow(
            row=row,
            sla=self.sla[row.state],
            arrived=ticket.created_at > since,
            href=self.ticket_url % ticket.reference,
            select_label=_("Select %(reference)s") % {"reference": ticket.reference},
            priority=self.priorities[ticket.priority]
            if ticket.priority in ("high", "urgent")
            else "",
            door=self.doors.get(ticket.door, ticket.door),
            status=self.statuses.get(ticket.status, ticket.status),
            stars=self.stars.get(ticket.csat_score or 0, ""),
            comment=Truncator(ticket.csat_comment).chars(90) if ticket.csat_comment else "",
            due_iso=due.astimezone(self.tz).isoformat() if due else "",
            due_stamp=moments.stamp(due, self.tz, zone=False) if due else "",
            due_kind=self.resolution if ticket.first_response_at else self.first_response,
        )


def _queue_context(request: HttpRequest) -> dict[str, Any]:
    unit, units = _queue_unit(request, request.GET.get("unit", ""))
    filters = QueueFilter.from_query(request.GET)
    now = timezone.now()
    since = _since(request.GET.get("since"), now)
    rows = selectors.queue(
        viewer=request.user, unit=unit, filters=filters, now=now, limit=QUEUE_LIMIT + 1
    )
    query = _queue_query(unit, filters)
    words = RowWords(zone_for_unit(unit), now)
    return {
        "unit": unit,
        "units": units,
        "filters": filters,
        "rows": [words.row(row, since) for row in rows[:QUEUE_LIMIT]],
        "more": len(rows) > QUEUE_LIMIT,
        "limit": QUEUE_LIMIT,
        "query": query,
        "since": since,
        "poll_url": f"{reverse('desk-queue-rows')}?{query}&"
        + urlencode({"since": since.isoformat()}),
        "new_count": selectors.new_since(viewer=request.user, unit=unit, since=since),
        "can_work": access.can_work_in(request.user, unit),
        "row_words": words,
    }


def _rows_html(request: HttpRequest, context: dict[str, Any]) -> SafeString:
    """The queue's rows (``<tbody>``), by the Jinja2 engine (``pintu.core.jinja``)."""
    names = ("rows", "more", "poll_url", "new_count", "can_work")
    return jinja_fragment(
        request,
        "desk/staff/queue_rows.html",
        {"words": context["row_words"]} | {name: context[name] for name in names},
    )


@require_GET
@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request)
    unit: Unit = context["unit"]
    query: str = context["query"]
    saved = selectors.saved_filters(request.user)
    context.update(
        {
            "rows_html": _rows_html(request, context),
            "service_types": selectors.unit_service_types(unit),
            "people": list(selectors.unit_people(unit)),
            "nobody": BulkForm.NOBODY,
            "statuses": Status.choices,
            "doors": Door.choices,
            "sla_choices": [(state.value, SLA_WORDS[state]) for state in SLA_FILTERS],
            "saved_filters": saved,
            "current_saved": next((s for s in saved if s.query == query), None),
            "save_form": SavedFilterForm(),
            "words": js_words(),
        }
    )
    return render_for_unit(request, "desk/staff/queue.html", context, unit)


@require_GET
def queue_rows(request: HttpRequest) -> HttpResponse:
    """The queue's rows alone, polled by the page every few seconds."""
    if not request.user.is_authenticated:
        # The session ended: reload the page, which leads to the sign-in form.
        return HttpResponse(headers={"HX-Refresh": "true"})
    return HttpResponse(_rows_html(request, _queue_context(request)))


def _bulk(request: HttpRequest, form: BulkForm, selected: list[Any]) -> str:
    """Run the bulk action the form asks for; what was done, in words."""
    actor = signed_in(request)
    data = form.cleaned_data
    if data["action"] == BulkForm.CLOSE:
        count = services.tickets_bulk(actor=actor, tickets=selected, status=Status.CLOSED)
        return _("%(count)s request(s) closed.") % {"count": count}
    if data["unassign"]:
        count = services.tickets_bulk(actor=actor, tickets=selected, unassign=True)
        return _("%(count)s request(s) now assigned to nobody.") % {"count": count}
    assignee = data["assignee"]
    count = services.tickets_bulk(actor=actor, tickets=selected, assignee=assignee)
    return _("%(count)s request(s) assigned to %(person)s.") % {
        "count": count,
        "person": assignee,
    }


@require_POST
@login_required
def queue_bulk(request: HttpRequest) -> HttpResponse:
    unit, _units = _queue_unit(request, request.POST.get("unit", ""))
    back = safe_next(request, f"{reverse('desk-queue')}?unit={unit.code}")
    if not access.can_work_in(request.user, unit):
        raise PermissionDenied
    tickets = list(
        selectors.tickets_visible_to(request.user)
        .filter(unit=unit, reference__in=request.POST.getlist("tickets"))
        # Listed in one order on every database (the question names them in this order).
        .order_by("reference")
    )
    form = BulkForm(
        request.POST,
        people=selectors.unit_people(unit),
        references=[ticket.reference for ticket in tickets],
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors_text(errors))
        return redirect(back)
    chosen = set(form.cleaned_data["tickets"])
    selected = [ticket for ticket in tickets if ticket.reference in chosen]
    if form.cleaned_data["action"] == BulkForm.CLOSE and not form.cleaned_data["confirmed"]:
        # Asked once, naming how many: here when the page's script did not ask already.
        context = {"unit": unit, "tickets": selected, "back": back}
        return render(request, "desk/staff/bulk_close.html", context)
    try:
        done = _bulk(request, form, selected)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect(back)


def _clean_query(raw: str) -> str:
    """Keep only the queue's own parameters of a query string."""
    given = QueryDict(raw)
    names = ("unit", *QUEUE_FILTERS)
    return urlencode({name: given[name] for name in names if given.get(name, "").strip()})


@require_POST
@login_required
def filter_save(request: HttpRequest) -> HttpResponse:
    query = _clean_query(request.POST.get("query", ""))
    _queue_unit(request, QueryDict(query).get("unit", ""))
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        try:
            saved = services.saved_filter_save(
                user=signed_in(request), name=form.cleaned_data["name"], query=query
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("View saved as “%(name)s”.") % {"name": saved.name})
    else:
        messages.error(request, errors_text(form.errors.get("name", [])))
    return HttpResponseRedirect(f"{reverse('desk-queue')}?{query}")


@require_POST
@login_required
def filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = SavedFilter.objects.filter(user=signed_in(request), pk=pk).first()
    if saved is None:
        raise Http404
    name = saved.name
    services.saved_filter_delete(user=signed_in(request), saved_filter=saved)
    messages.success(request, _("Saved view “%(name)s” deleted.") % {"name": name})
    return redirect(safe_next(request, reverse("desk-queue")))


urlpatterns: list[URLPattern] = [
    path("desk/", queue_page, name="desk-queue"),
    path("desk/rows/", queue_rows, name="desk-queue-rows"),
    path("desk/bulk/", queue_bulk, name="desk-bulk"),
    path("desk/views/", filter_save, name="desk-filter-save"),
    path("desk/views/<int:pk>/delete/", filter_delete, name="desk-filter-delete"),
]
