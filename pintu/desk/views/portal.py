"""The requester portal: the service catalogue with its search, each unit's page, request
forms, my requests and the page of each request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pintu.desk import access, portal_selectors, promises, selectors, services
from pintu.desk.models import DONE_STATUSES, Door, Status, Ticket
from pintu.desk.portal_forms import RatingForm, ReplyForm, RequestForm
from pintu.desk.views.common import STARS, jinja_fragment, reference_url, render_for_unit
from pintu.org import selectors as org_selectors
from pintu.org.hours import week_words
from pintu.org.models import Unit
from pintu.sla.calendars import zone_for_unit
from pintu.sla.clock import SlaState
from pintu.sop.models import ServiceType

# Whether the unit keeps its promise, as the requester reads it.
ON_TIME_WORDS = {
    SlaState.ON_TRACK: gettext_lazy("On schedule"),
    SlaState.AT_RISK: gettext_lazy("Due soon"),
    SlaState.BREACHED: gettext_lazy("Overdue"),
    SlaState.MET: gettext_lazy("On time"),
    SlaState.MISSED: gettext_lazy("Late"),
}


# A step of the request as its requester reads it (see portal_selectors.request_progress).
PHASE_WORDS = {
    "done": gettext_lazy("Done"),
    "active": gettext_lazy("Being handled"),
    "next": gettext_lazy("Coming up"),
    "possible": gettext_lazy("One possible outcome"),
}
# The requester's own steps.
YOUR_PHASE_WORDS = {
    "done": gettext_lazy("Done by you"),
    "active": gettext_lazy("Waiting for you"),
    "next": gettext_lazy("Your turn later"),
    "possible": gettext_lazy("One possible outcome"),
}


def _promise(service_type: ServiceType) -> promises.ServicePromise:
    return promises.service_promise(
        service_type.first_response, service_type.resolution, service_type.clock
    )


@dataclass(frozen=True)
class Due:
    """When a request's first answer and its completion are due, and when they came, as
    the requester reads them (in the unit's time zone)."""

    first_response: str
    resolution: str
    answered: str
    done: str


def _due(ticket: Ticket) -> Due:
    zone = zone_for_unit(ticket.unit)
    return Due(
        first_response=promises.moment_words(ticket.first_response_due_at, zone),
        resolution=promises.moment_words(ticket.resolution_due_at, zone),
        answered=(
            promises.moment_words(ticket.first_response_at, zone)
            if ticket.first_response_at
            else ""
        ),
        done=promises.moment_words(ticket.resolved_at, zone) if ticket.resolved_at else "",
    )


@require_GET
@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every unit's services; ``q`` keeps those that contain each of its words."""
    query = request.GET.get("q", "").strip()
    units = [
        (group.unit, _with_promises(group.offers))
        for group in portal_selectors.service_catalogue(query=query)
    ]
    context = {
        "units": units,
        "query": query,
        "found": sum(len(offers) for _unit, offers in units),
    }
    return render(request, "desk/portal/catalogue.html", context)


def _with_promises(
    offers: list[portal_selectors.Offer],
) -> list[tuple[portal_selectors.Offer, promises.ServicePromise]]:
    return [(offer, _promise(offer.service_type)) for offer in offers]


@require_GET
@login_required
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    """A unit as its requesters meet it: its services, its address, its working week and
    the days it is closed."""
    unit = get_object_or_404(Unit, code=code, is_active=True)
    groups = portal_selectors.service_catalogue(unit=unit)
    time_zone, weekly_hours = org_selectors.working_hours(unit)
    zone = ZoneInfo(time_zone)
    now = timezone.now()
    context = {
        "unit": unit,
        "offers": _with_promises(groups[0].offers) if groups else [],
        "week": week_words(weekly_hours),
        "zone": now.astimezone(zone).tzname(),
        "closures": org_selectors.closures_ahead(unit, timezone.localdate(now, zone)),
    }
    return render(request, "desk/portal/unit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def request_form(request: HttpRequest, sop_code: str, service_key: str) -> HttpResponse:
    offer = portal_selectors.offer_get(sop_code=sop_code, service_key=service_key)
    form = RequestForm(request.POST or None, request.FILES or None, service=offer.definition)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.ticket_create(
                actor=request.user,
                service_type=offer.service_type,
                requester=request.user,  # type: ignore[arg-type]  # signed in
                opening=services.Opening(
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    uploads=form.cleaned_data["attachments"],
                ),
                door=Door.WEB,
                fields=form.field_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("portal-confirmation", reference=created.ticket.reference)
    context = {
        "offer": offer,
        "promise": _promise(offer.service_type),
        "form": form,
        # Browsers never send chosen files back after an error: say so.
        "files_lost": bool(request.FILES) and form.is_bound and bool(form.errors),
    }
    return render(request, "desk/portal/request_form.html", context)


@require_GET
@login_required
def confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = selectors.ticket_get(viewer=request.user, reference=reference)
    context = {"ticket": ticket, "promise": _promise(ticket.service_type), "due": _due(ticket)}
    return render_for_unit(request, "desk/portal/confirmation.html", context, ticket.unit)


@require_GET
@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    rows = portal_selectors.my_requests(viewer=request.user, now=timezone.now())
    words = RequestWords()
    entries = [words.entry(row) for row in rows]
    rows_html = jinja_fragment(
        request,
        "desk/portal/my_requests_rows.html",
        {"entries": entries, "labels": words.labels},
    )
    return render(
        request, "desk/portal/my_requests.html", {"entries": entries, "rows_html": rows_html}
    )


@dataclass(frozen=True)
class RequestEntry:
    """A row of the requester's list with its words and link worked out beforehand: a
    hundred rows of translations, lookups and date filters in the template were most of
    the page's time."""

    ticket: Ticket
    state: str  # the SLA state's value, for its class
    on_time: str
    href: str
    status: str
    received_iso: str
    received: str


class RequestWords:
    """The words the rows repeat, translated once per page."""

    def __init__(self) -> None:
        self.labels = {
            "reference": _("Reference"),
            "subject": _("Subject"),
            "unit": _("Unit"),
            "status": _("Status"),
            "received": _("Received"),
            "reply": _("Reply"),
            "on_time": _("On time?"),
            "replied": _("Replied"),
            "not_yet": _("Not yet"),
        }
        self.on_time = {state: str(words) for state, words in ON_TIME_WORDS.items()}
        self.statuses = {value: str(label) for value, label in Status.choices}
        self.url = reference_url("portal-ticket")

    def entry(self, row: selectors.Row) -> RequestEntry:
        ticket = row.ticket
        received = timezone.localtime(ticket.received_at)
        return RequestEntry(
            ticket=ticket,
            state=row.state.value,
            on_time=self.on_time[row.state],
            href=self.url % ticket.reference,
            status=self.statuses.get(ticket.status, ticket.status),
            received_iso=date_filter(received, "c"),
            received=date_filter(received, "j M Y"),
        )


def _ticket_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    """What the request page and its live conversation show."""
    is_requester = access.is_requester_of(request.user, ticket)
    conversation = portal_selectors.request_conversation(viewer=request.user, ticket=ticket)
    steps = [
        (step, (YOUR_PHASE_WORDS if step.yours else PHASE_WORDS)[step.phase])
        for step in portal_selectors.request_progress(ticket)
    ]
    return {
        "ticket": ticket,
        "promise": _promise(ticket.service_type),
        "due": _due(ticket),
        "details": portal_selectors.request_details(ticket),
        "steps": steps,
        "conversation": conversation,
        "mark": portal_selectors.conversation_mark(
            max((entry.article.pk for entry in conversation if entry.article), default=0),
            ticket.status,
        ),
        "is_requester": is_requester,
        # Ratings are final: one per request, given once it is resolved or closed.
        "can_rate": is_requester and ticket.status in DONE_STATUSES and ticket.csat_score is None,
        "stars": STARS,
    }


def _ticket_page(
    request: HttpRequest,
    ticket: Ticket,
    reply_form: ReplyForm | None = None,
    rating_form: RatingForm | None = None,
) -> HttpResponse:
    context = _ticket_context(request, ticket)
    context["reply_form"] = reply_form or ReplyForm()
    context["rating_form"] = rating_form or RatingForm()
    return render_for_unit(request, "desk/portal/ticket.html", context, ticket.unit)


@require_GET
@login_required
def ticket_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _ticket_page(request, selectors.ticket_get(viewer=request.user, reference=reference))


@require_GET
@login_required
def conversation(request: HttpRequest, reference: str) -> HttpResponse:
    """The conversation alone, polled by the request page; 204 while nothing changed."""
    ticket = selectors.ticket_get(viewer=request.user, reference=reference)
    seen = request.GET.get("mark", "")
    if seen == portal_selectors.conversation_mark(
        portal_selectors.latest_public_article_id(ticket), ticket.status
    ):
        return HttpResponse(status=204)
    context = _ticket_context(request, ticket)
    context["status_changed"] = seen.partition("-")[2] != ticket.status
    context["rating_form"] = RatingForm()
    return render_for_unit(request, "desk/portal/_live.html", context, ticket.unit)


@require_POST
@login_required
def reply(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = selectors.ticket_get(viewer=request.user, reference=reference)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.ticket_requester_message(
                ticket=ticket,
                body=form.cleaned_data["body"],
                door=Door.WEB,
                author=request.user,  # type: ignore[arg-type]  # signed in
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error("body", error)  # the files were checked already: it is the text
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("portal-ticket", reference=ticket.reference)
    return _ticket_page(request, ticket, reply_form=form)


@require_POST
@login_required
def rate(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = selectors.ticket_get(viewer=request.user, reference=reference)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_rate(
                actor=request.user,  # type: ignore[arg-type]  # signed in
                ticket=ticket,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            # Rated already, or reopened meanwhile: the form is gone from the page.
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("portal-ticket", reference=ticket.reference)
    return _ticket_page(request, ticket, rating_form=form)


urlpatterns: list[URLPattern] = [
    path("layanan/", catalogue, name="portal-home"),
    # Before the form's pattern too, which would read "unit" as an SOP code.
    path("layanan/unit/<str:code>/", unit_page, name="portal-unit"),
    # Before the form's pattern, which would otherwise read "terkirim" as an SOP code.
    path("layanan/terkirim/<str:reference>/", confirmation, name="portal-confirmation"),
    path("layanan/<str:sop_code>/<slug:service_key>/", request_form, name="portal-request"),
    path("permintaan-saya/", my_requests, name="portal-my-requests"),
    path("permintaan-saya/<str:reference>/", ticket_page, name="portal-ticket"),
    path("permintaan-saya/<str:reference>/percakapan/", conversation, name="portal-conversation"),
    path("permintaan-saya/<str:reference>/balas/", reply, name="portal-reply"),
    path("permintaan-saya/<str:reference>/nilai/", rate, name="portal-rate"),
]
