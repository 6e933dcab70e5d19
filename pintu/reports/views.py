"""The report pages: the units' reports of a year, and a unit's report with its analysis,
follow-up plan, generation (a task with a progress bar) and every version written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pintu.core.downloads import stored_file
from pintu.kpi import access
from pintu.kpi.engine import unit_kpis
from pintu.kpi.pages import asked_year, readable_unit
from pintu.kpi.selectors import units_with_kpis
from pintu.reports import services
from pintu.reports.content import figures, report_for
from pintu.reports.models import AnalysisPoint, FollowUp, Report, ReportVersion
from pintu.reports.schedule import due_date
from pintu.reports.writers import CONTENT_TYPES
from pintu.sop.measurement import Period


class PointForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AnalysisPoint.Kind.choices)
    text = forms.CharField(
        label=gettext_lazy("Analysis"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    figures = forms.MultipleChoiceField(
        label=gettext_lazy("Supporting figures"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, offered: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["figures"].choices = offered  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    action = forms.CharField(
        label=gettext_lazy("Action"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    owner = forms.CharField(label=gettext_lazy("Person in charge"), max_length=200)
    due = forms.DateField(label=gettext_lazy("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    point = forms.TypedChoiceField(
        label=gettext_lazy("Answers the point"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, points: list[AnalysisPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((p.pk, p.text[:80]) for p in points)]
        self.fields["point"].choices = choices  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            (FollowUp.Status.DONE, gettext_lazy("done")),
            (FollowUp.Status.DROPPED, gettext_lazy("not done")),
        ],
    )
    outcome = forms.CharField(
        label=gettext_lazy("What came of it"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The year's reports of every unit, for the quality unit and auditors; a unit's own
    people go straight to their unit's."""
    year = asked_year(request)
    units = [u for u in units_with_kpis() if access.can_read(request.user, u)]
    if not units:
        raise PermissionDenied
    if not access.reads_every_unit(request.user):
        return redirect("reports-unit", code=units[0].code, year=year)
    reports = {
        (r.unit_id, r.kind): r
        for r in Report.objects.filter(year=year).select_related("delivered_version")
    }
    rows = [
        (
            unit,
            reports.get((unit.pk, Report.Kind.LED)),
            reports.get((unit.pk, Report.Kind.ANALYSIS)),
        )
        for unit in units
    ]
    return render(request, "reports/overview.html", {"year": year, "rows": rows})


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", Report.Kind.LED)
    return kind if kind in Report.Kind.values else Report.Kind.LED


@login_required
def unit_report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = readable_unit(request, code)
    kind = _kind(request)
    report = report_for(unit, year, kind)
    now = timezone.now()
    can_write = access.can_keep_evidence(request.user, unit)
    offered = figures(unit, year, now)
    points = list(report.points.select_related("author")) if report.pk else []
    point_form = PointForm(offered=[(f.key, f"{f.label}: {f.value}") for f in offered])
    follow_up_form = FollowUpForm(points=points)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        response = _post(request, report, offered, points)
        if isinstance(response, HttpResponse):
            return response
        point_form, follow_up_form = response
    last = Report.objects.filter(unit=unit, year=year - 1, kind=kind).first()
    results = unit_kpis(unit, Period.year(year), now)
    versions = list(report.versions.select_related("requested_by")) if report.pk else []
    context = {
        "unit": unit,
        "year": year,
        "kind": kind,
        "kinds": Report.Kind.choices,
        "report": report,
        "can_write": can_write,
        "points": [
            (k, label, [p for p in points if p.kind == k])
            for k, label in AnalysisPoint.Kind.choices
        ],
        "point_form": point_form,
        "follow_ups": list(report.follow_ups.select_related("point")) if report.pk else [],
        "follow_up_form": follow_up_form,
        "last_year": list(last.follow_ups.select_related("point")) if last else [],
        "close_form": CloseForm(),
        "versions": versions,
        "formats": ReportVersion.Format.choices,
        "met": sum(bool(r.met) for r in results),
        "measured": sum(r.met is not None for r in results),
        "missed": [r for r in results if r.met is False],
        "due": due_date(year, settings.PINTU_REPORT_DUE),
    }
    return render(request, "reports/unit.html", context)


def _post(
    request: HttpRequest, report: Report, offered: list[Any], points: list[AnalysisPoint]
) -> HttpResponse | tuple[PointForm, FollowUpForm]:
    """Perform one form of the page; the forms back with their errors when it fails."""
    now = timezone.now()
    which = request.POST.get("form", "")
    here = reverse("reports-unit", args=[report.unit.code, report.year]) + f"?kind={report.kind}"
    point_form = PointForm(offered=[(f.key, f"{f.label}: {f.value}") for f in offered])
    follow_up_form = FollowUpForm(points=points)
    try:
        if which == "point":
            point_form = PointForm(
                request.POST, offered=[(f.key, f"{f.label}: {f.value}") for f in offered]
            )
            if point_form.is_valid():
                services.point_add(
                    actor=request.user,
                    report=report,
                    kind=point_form.cleaned_data["kind"],
                    text=point_form.cleaned_data["text"],
                    figure_keys=point_form.cleaned_data["figures"],
                    now=now,
                )
                messages.success(request, _("The analysis point is kept."))
                return redirect(here + "#analysis")
        elif which == "point_remove":
            point = get_object_or_404(AnalysisPoint, pk=request.POST.get("point", 0), report=report)
            services.point_remove(actor=request.user, point=point)
            messages.success(request, _("The analysis point is removed."))
            return redirect(here + "#analysis")
        elif which == "follow_up":
            follow_up_form = FollowUpForm(request.POST, points=points)
            if follow_up_form.is_valid():
                data = follow_up_form.cleaned_data
                answered = next((p for p in points if p.pk == data["point"]), None)
                services.follow_up_add(
                    actor=request.user,
                    report=report,
                    action=data["action"],
                    owner=data["owner"],
                    due=data["due"],
                    point=answered,
                    now=now,
                )
                messages.success(request, _("The follow-up action is in the plan."))
                return redirect(here + "#plan")
        elif which == "follow_up_close":
            follow_up = get_object_or_404(
                FollowUp,
                pk=request.POST.get("follow_up", 0),
                report__unit=report.unit,
                report__year__in=[report.year, report.year - 1],
            )
            close = CloseForm(request.POST)
            if not close.is_valid():
                messages.error(request, _("Say whether it was done and what came of it."))
                return redirect(here + "#plan")
            services.follow_up_close(
                actor=request.user,
                follow_up=follow_up,
                status=close.cleaned_data["status"],
                outcome=close.cleaned_data["outcome"],
                now=now,
            )
            messages.success(request, _("The outcome is kept."))
            return redirect(here + "#plan")
        elif which == "generate":
            version = services.generation_request(
                actor=request.user, report=report, format=request.POST.get("format", ""), now=now
            )
            messages.success(
                request,
                _("Version %(number)s is being written; it appears below when ready.")
                % {"number": version.number},
            )
            return redirect(here + "#versions")
        elif which == "deliver":
            version = get_object_or_404(
                ReportVersion, pk=request.POST.get("version", 0), report=report
            )
            services.report_deliver(actor=request.user, version=version, now=now)
            messages.success(
                request,
                _("Version %(number)s is marked as handed in.") % {"number": version.number},
            )
            return redirect(here + "#versions")
        else:
            messages.error(request, _("Nothing was changed."))
            return redirect(here)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        if which not in ("point", "follow_up"):
            return redirect(here)
    return point_form, follow_up_form


def _readable_version(request: HttpRequest, pk: int) -> ReportVersion:
    version = get_object_or_404(ReportVersion.objects.select_related("report__unit"), pk=pk)
    if not access.can_read(request.user, version.report.unit):
        raise Http404
    return version


@require_GET
@login_required
def version_status(request: HttpRequest, pk: int) -> JsonResponse:
    version = _readable_version(request, pk)
    return JsonResponse(
        {
            "status": version.status,
            "progress": version.progress,
            "stage": version.stage,
            "error": version.error,
            "file": reverse("reports-file", args=[pk]) if version.status == "done" else "",
        }
    )


@require_GET
@login_required
def version_file(request: HttpRequest, pk: int) -> FileResponse:
    version = _readable_version(request, pk)
    if version.status != ReportVersion.Status.DONE:
        raise Http404
    return stored_file(version.file, version.filename, CONTENT_TYPES[version.format])


urlpatterns: list[URLPattern] = [
    path("laporan/", overview, name="reports-overview"),
    path("laporan/versi/<int:pk>/status/", version_status, name="reports-status"),
    path("laporan/versi/<int:pk>/berkas/", version_file, name="reports-file"),
    path("laporan/<str:code>/<year:year>/", unit_report, name="reports-unit"),
]
