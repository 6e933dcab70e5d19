"""Organisation pages: the unit tree and each unit's working calendar with its closures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.org import access, selectors, services
from pintu.org.forms import ClosureForm
from pintu.org.hours import WEEKDAY_NAMES
from pintu.org.models import Closure, Unit


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/unit_list.html", {"tree": selectors.unit_tree()})


@login_required
def unit_calendar(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, code=code)
    can_manage = access.can_manage_calendar(request.user, unit)
    form = ClosureForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            services.closure_add(actor=request.user, unit=unit, **form.cleaned_data)
            messages.success(request, _("Closure saved."))
            return redirect("unit-calendar", code=unit.code)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    time_zone, weekly_hours = selectors.working_hours(unit)
    hours = list(zip(WEEKDAY_NAMES, weekly_hours, strict=True))
    context = {
        "unit": unit,
        "year": year,
        "hours": hours,
        "time_zone": time_zone,
        "holidays": selectors.holidays_in([year]),
        "closures": unit.closures.filter(start_date__year__lte=year, end_date__year__gte=year),
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "org/unit_calendar.html", context)


def _managed_closure(request: HttpRequest, code: str, pk: int) -> Closure:
    """A closure of the unit in the address, for someone who may change its calendar."""
    closure = get_object_or_404(Closure.objects.select_related("unit"), unit__code=code, pk=pk)
    assert closure.unit is not None  # the lookup went through the unit
    if not access.can_manage_calendar(request.user, closure.unit):
        raise PermissionDenied
    return closure


def _calendar_of(closure: Closure) -> HttpResponse:
    assert closure.unit is not None
    return redirect(
        f"{reverse('unit-calendar', args=[closure.unit.code])}?year={closure.start_date.year}"
    )


@login_required
def closure_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    closure = _managed_closure(request, code, pk)
    form = ClosureForm(
        request.POST or None,
        initial={
            "start_date": closure.start_date,
            "end_date": closure.end_date,
            "reason": closure.reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        closure = services.closure_update(actor=request.user, closure=closure, **form.cleaned_data)
        messages.success(request, _("Closure saved."))
        return _calendar_of(closure)
    return render(request, "org/closure_edit.html", {"closure": closure, "form": form})


@login_required
def closure_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Asks first (GET); deletes on the confirmation's POST."""
    closure = _managed_closure(request, code, pk)
    if request.method == "POST":
        services.closure_delete(actor=request.user, closure=closure)
        messages.success(request, _("Closure deleted."))
        return _calendar_of(closure)
    return render(request, "org/closure_delete.html", {"closure": closure})
