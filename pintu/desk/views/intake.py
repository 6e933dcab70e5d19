"""Walk-in and phone intake: staff record a request that came to the counter, by phone,
or by an e-mail or WhatsApp message they copy in, for a known person or an outside
contact, received when the requester actually came (the clock starts then)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pintu.desk import access, selectors, services
from pintu.desk.forms import IntakeForm, normalise_phone
from pintu.desk.models import Door, Ticket
from pintu.desk.views.common import signed_in
from pintu.org.models import Unit, User
from pintu.sop.models import ServiceType

# The person search lists at most this many matches; more asks for a longer query.
PEOPLE_LIMIT = 8


def _intake_service_types(user: Any) -> QuerySet[ServiceType]:
    """The request types of the SOPs in force in the units ``user`` works in."""
    units = [unit for unit in selectors.staff_units(user) if access.can_work_in(user, unit)]
    return (
        ServiceType.objects.filter(sop__unit__in=units, sop__is_current=True)
        .select_related("sop__unit")
        .order_by("sop__unit__code", "name")
    )


def _people(query: str) -> list[User]:
    """People whose username, name, e-mail or WhatsApp number contain ``query``."""
    query = query.strip()
    if len(query) < 2:
        return []
    match = Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
    digits = normalise_phone(query)
    if len(digits) >= 4:
        match |= Q(phone__contains=digits)
    return list(
        User.objects.filter(match, is_active=True).order_by("full_name", "username")[:PEOPLE_LIMIT]
    )


def _now_minute() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _initial(request: HttpRequest, service_types: QuerySet[ServiceType]) -> dict[str, Any]:
    """What a new form starts with: received now; the service of ``?service=``, or the
    first of ``?unit=``; anything else the query string carries (the no-script way to
    show another service's fields keeps what was typed)."""
    initial: dict[str, Any] = {key: request.GET.get(key) for key in request.GET}
    initial.setdefault("received_at", _now_minute())
    initial.setdefault("answered_at", _now_minute())
    if "service" not in initial and (code := request.GET.get("unit")):
        first = next((t for t in service_types if t.sop.unit.code == code), None)
        if first is not None:
            initial["service"] = first.pk
    return initial


def _moment(typed: datetime, now: datetime) -> datetime:
    """The moment a time typed to the minute stands for: ``now`` when it is the current
    minute (as the form suggests), else the time typed."""
    return now if _now_minute() <= typed <= now else typed


def _requester(data: dict[str, Any]) -> services.Requester:
    if data["requester_kind"] == IntakeForm.PERSON:
        return data["person"]
    return services.ContactDetails(
        name=data["contact_name"].strip(), email=data["contact_email"], phone=data["contact_phone"]
    )


def _create(request: HttpRequest, form: IntakeForm) -> Ticket:
    data = form.cleaned_data
    now = timezone.now()
    received_at = _moment(data["received_at"], now)
    created = services.ticket_create(
        actor=signed_in(request),
        service_type=data["service"],
        requester=_requester(data),
        opening=services.Opening(
            subject=data["subject"], body=data["body"], uploads=data["attachments"]
        ),
        door=Door(data["door"]),
        # Only a time set earlier is recorded as entered afterwards.
        received_at=None if received_at == now else received_at,
        answered_at=_moment(data["answered_at"], now) if data["answered_in_person"] else None,
        fields=form.field_values(),
        now=now,
    )
    return created.ticket


def _with_single_match(data: QueryDict) -> tuple[QueryDict, list[User]]:
    """Without the live search (no script) the typed query is all there is: one match
    is taken as the person; several are listed to choose from."""
    if data.get("requester_kind") != IntakeForm.PERSON or data.get("person"):
        return data, []
    candidates = _people(data.get("person_query", ""))
    if len(candidates) == 1:
        data = data.copy()
        data["person"] = str(candidates[0].pk)
    return data, candidates


@require_http_methods(["GET", "POST"])
@login_required
def intake_page(request: HttpRequest) -> HttpResponse:
    service_types = _intake_service_types(request.user)
    if not service_types.exists():
        raise PermissionDenied  # auditors and requesters record no requests here
    candidates: list[User] = []
    if request.method == "POST":
        data, candidates = _with_single_match(request.POST)
        form = IntakeForm(data, request.FILES, service_types=service_types)
        if form.is_valid():
            try:
                ticket = _create(request, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Request %(reference)s recorded.") % {"reference": ticket.reference}
                )
                return redirect("desk-ticket", reference=ticket.reference)
    else:
        form = IntakeForm(initial=_initial(request, service_types), service_types=service_types)
    chosen = form["person"].value()
    person = User.objects.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    context = {
        "form": form,
        "person": person,
        "candidates": [c for c in candidates if c != person],
        "files_lost": request.method == "POST",
        "unit": _unit_of(form),
    }
    return render(request, "desk/staff/intake.html", context)


def _unit_of(form: IntakeForm) -> Unit | None:
    return form.service_type.sop.unit if form.service_type else None


@require_GET
@login_required
def intake_fields(request: HttpRequest) -> HttpResponse:
    """The chosen service's own fields, swapped in when the service changes."""
    service_types = _intake_service_types(request.user)
    if not service_types.exists():
        raise PermissionDenied
    form = IntakeForm(initial={"service": request.GET.get("service")}, service_types=service_types)
    return render(request, "desk/staff/_intake_fields.html", {"form": form})


@require_GET
@login_required
def intake_people(request: HttpRequest) -> HttpResponse:
    """The live person search of the intake form."""
    if not _intake_service_types(request.user).exists():
        raise PermissionDenied
    query = request.GET.get("person_query", "")
    return render(
        request,
        "desk/staff/_people.html",
        {"candidates": _people(query), "searched": len(query.strip()) >= 2},
    )


urlpatterns: list[URLPattern] = [
    path("desk/new/", intake_page, name="desk-new"),
    path("desk/new/fields/", intake_fields, name="desk-new-fields"),
    path("desk/new/people/", intake_people, name="desk-new-people"),
]
