"""The KPI pages: the institution's overview, a unit's dashboard for a year, one KPI with
every record behind it (and its export), the documents that are a KPI's evidence, and
the yearly evaluations of the service types."""

from __future__ import annotations

from itertools import islice
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pintu.core import charts
from pintu.core.downloads import stored_file, xlsx_download
from pintu.desk.services.uploads import uploads_from_files
from pintu.kpi import access, selectors, services
from pintu.kpi.engine import KpiResult, kpi_evidence, unit_kpis
from pintu.kpi.measures import DOCUMENT_MEASURES, current_definitions
from pintu.kpi.models import EvidenceDocument, Finding, ServiceEvaluation
from pintu.kpi.pages import asked_year, readable_unit
from pintu.org.models import Unit
from pintu.sla.calendars import zone_for_unit
from pintu.sop.measurement import Period

EVIDENCE_PAGE = 100


def _result_chart(result: KpiResult) -> str:
    if result.measurement is None or not result.measurement.by_month:
        return ""
    return charts.share_by_month(result.code, result.measurement.by_month)


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Every unit's KPIs met this year, for the quality unit and auditors; a unit's own
    people go straight to their unit."""
    year = asked_year(request)
    if not access.reads_every_unit(request.user):
        own = [u for u in selectors.units_with_kpis() if access.can_read(request.user, u)]
        if not own:
            raise PermissionDenied
        return redirect("kpi-unit", code=own[0].code, year=year)
    now, period = timezone.now(), Period.year(year)
    rows = []
    for unit in selectors.units_with_kpis():
        results = unit_kpis(unit, period, now)
        measured = [r for r in results if r.met is not None]
        rows.append((unit, len(results), len(measured), sum(bool(r.met) for r in measured)))
    chart = charts.bars(
        [
            charts.Bar(unit.code, met, text=f"{met}/{measured}")
            for unit, _all, measured, met in rows
        ],
        title=_("KPIs met per unit"),
    )
    return render(request, "kpi/overview.html", {"year": year, "rows": rows, "chart": chart})


@require_GET
@login_required
def unit_dashboard(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = readable_unit(request, code)
    now, period = timezone.now(), Period.year(year)
    results = unit_kpis(unit, period, now)
    volumes = selectors.volumes(unit, period)
    groups = selectors.criterion_groups(results)
    context = {
        "unit": unit,
        "year": year,
        "groups": groups,
        "met": sum(bool(r.met) for r in results),
        "measured": sum(r.met is not None for r in results),
        "volumes": volumes,
        "month_chart": charts.by_month(
            {m: float(volumes.by_month.get(m, 0)) for m in range(1, 13)},
            title=_("Requests by month"),
        ),
        "service_chart": charts.bars(
            [charts.Bar(name, n) for name, n in volumes.by_service],
            title=_("Requests by type"),
        ),
        "door_chart": charts.bars(
            [charts.Bar(door, n) for door, n in volumes.by_door],
            title=_("Requests by door"),
        ),
        "steps": selectors.step_timing(unit, period),
        "can_keep_evidence": access.can_keep_evidence(request.user, unit),
    }
    return render(request, "kpi/unit.html", context)


@require_GET
@login_required
def kpi_detail(request: HttpRequest, code: str, year: int, kpi: str) -> HttpResponse:
    """One KPI: its figures, its trend and every record behind it, filterable."""
    unit = readable_unit(request, code)
    try:
        result, evidence = kpi_evidence(unit, Period.year(year), timezone.now(), kpi)
    except LookupError:
        raise Http404 from None
    shown = request.GET.get("show", "")
    if shown == "failed":
        evidence = (e for e in evidence if e.counted and not e.passed)
    elif shown == "passed":
        evidence = (e for e in evidence if e.passed)
    elif shown == "waiting":
        evidence = (e for e in evidence if not e.counted)
    # A year's records may be many: read only as far as the page shown (and one more,
    # to know whether a next page exists).
    raw_page = request.GET.get("page", "1")
    number = int(raw_page) if raw_page.isdigit() and int(raw_page) > 0 else 1
    start = (number - 1) * EVIDENCE_PAGE
    records = list(islice(evidence, start, start + EVIDENCE_PAGE + 1))
    context = {
        "unit": unit,
        "year": year,
        "result": result,
        "chart": _result_chart(result),
        "records": records[:EVIDENCE_PAGE],
        "number": number,
        "first": start + 1,
        "has_next": len(records) > EVIDENCE_PAGE,
        "shown": shown,
        "query": f"show={shown}&" if shown else "",
    }
    return render(request, "kpi/kpi.html", context)


@require_GET
@login_required
def kpi_export(request: HttpRequest, code: str, year: int, kpi: str) -> FileResponse:
    """The KPI's records as XLSX, all of them, streamed from a temporary file."""
    unit = readable_unit(request, code)
    try:
        result, evidence = kpi_evidence(unit, Period.year(year), timezone.now(), kpi)
    except LookupError:
        raise Http404 from None
    return xlsx_download(
        f"{unit.code}-{year}-{result.code}.xlsx",
        result.code,
        selectors.evidence_header(),
        selectors.evidence_rows(evidence, zone_for_unit(unit)),
        (16, 50, 18, 10, 10, 40, 30),
    )


class EvidenceForm(forms.Form):
    kpi = forms.ChoiceField(label=gettext_lazy("KPI"))
    item = forms.ChoiceField(
        label=gettext_lazy("Item of the list"),
        required=False,
        help_text=gettext_lazy("For a KPI that lists several systems: which one it shows."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    file = forms.FileField(label=gettext_lazy("Document"))
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], items: list[str], **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = choices  # type: ignore[attr-defined]
        if items:
            self.fields["item"].choices = [("", "—"), *((i, i) for i in items)]  # type: ignore[attr-defined]
        else:
            del self.fields["item"]


def _checklist_items(unit: Unit) -> list[str]:
    return [
        item
        for d in current_definitions(unit)
        for k in d.kpis
        if k.measure.name == "checklist_present"
        for item in k.measure.params["items"]
    ]


def _document_kpis(unit: Unit) -> list[tuple[str, str]]:
    """The unit's KPIs measured by documents: (``SOP|KPI``, words)."""
    return [
        (f"{d.code}|{k.code}", f"{k.code} · {k.text[:80]}")
        for d in current_definitions(unit)
        for k in d.kpis
        if k.measure.name in DOCUMENT_MEASURES
    ]


@login_required
def evidence_documents(request: HttpRequest, code: str) -> HttpResponse:
    unit = readable_unit(request, code)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        choices=_document_kpis(unit),
        items=_checklist_items(unit),
    )
    if request.method == "POST":
        if not access.can_keep_evidence(request.user, unit):
            raise PermissionDenied
        if form.is_valid():
            sop_code, kpi_code = form.cleaned_data["kpi"].split("|", 1)
            (upload,) = uploads_from_files([form.cleaned_data["file"]])
            try:
                services.evidence_upload(
                    actor=request.user,
                    unit=unit,
                    sop_code=sop_code,
                    kpi_code=kpi_code,
                    item=form.cleaned_data.get("item", ""),
                    title=form.cleaned_data["title"],
                    upload=upload,
                    valid_from=form.cleaned_data["valid_from"],
                    valid_until=form.cleaned_data["valid_until"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Document uploaded; it counts once it is accepted."))
                return redirect("kpi-evidence", code=unit.code)
    documents = EvidenceDocument.objects.filter(unit=unit).select_related("uploaded_by", "reviewer")
    context = {
        "unit": unit,
        "documents": documents,
        "form": form,
        "can_keep": access.can_keep_evidence(request.user, unit),
        "can_judge": access.can_judge(request.user),
        "year": timezone.localdate().year,
    }
    return render(request, "kpi/evidence.html", context)


@require_GET
@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(EvidenceDocument, pk=pk)
    if not access.can_read(request.user, document.unit):
        raise Http404
    response = stored_file(document.file, document.filename, document.content_type)
    return response


@require_POST
@login_required
def evidence_judge(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(EvidenceDocument.objects.select_related("unit"), pk=pk)
    if not access.can_read(request.user, document.unit):
        raise Http404
    try:
        services.evidence_judge(
            actor=request.user,
            document=document,
            accept=request.POST.get("judgement") == "accept",
            note=request.POST.get("note", ""),
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Judgement recorded."))
    return redirect("kpi-evidence", code=document.unit.code)


class EvaluationForm(forms.Form):
    service = forms.ChoiceField(label=gettext_lazy("Service type"))
    evaluated_on = forms.DateField(
        label=gettext_lazy("Evaluated on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=gettext_lazy("What the evaluation found"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = choices  # type: ignore[attr-defined]


class FindingForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(
        label=gettext_lazy("Follow-up action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def evaluations(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The year's evaluations of the unit's service types, their findings and the
    follow-up of each (B.1.8.16.e, B.1.8.17.c)."""
    unit = readable_unit(request, code)
    can_keep = access.can_keep_evidence(request.user, unit)
    definitions = list(current_definitions(unit))
    choices = [
        (f"{d.code}|{s.key}", f"{d.code} · {s.name}") for d in definitions for s in d.services
    ]
    form = EvaluationForm(
        request.POST if request.POST.get("form") == "evaluation" else None,
        choices=choices,
        initial={"evaluated_on": timezone.localdate()},
    )
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        done = _evaluation_post(request, unit, year, form)
        if done is not None:
            messages.success(request, done)
            return redirect("kpi-evaluations", code=unit.code, year=year)
    listed = []
    for evaluation, name in selectors.service_evaluations(unit, year):
        evaluation.service_name = name  # type: ignore[attr-defined]
        # One form per evaluation, its fields' ids its own.
        evaluation.finding_form = FindingForm(  # type: ignore[attr-defined]
            auto_id=f"f{evaluation.pk}-%s", label_suffix=""
        )
        listed.append(evaluation)
    context = {
        "unit": unit,
        "year": year,
        "evaluations": listed,
        "form": form,
        "can_keep": can_keep,
    }
    return render(request, "kpi/evaluations.html", context)


def _evaluation_post(
    request: HttpRequest, unit: Unit, year: int, form: EvaluationForm
) -> str | None:
    """Carry out one of the page's forms; the message on success, None otherwise."""
    which = request.POST.get("form")
    try:
        if which == "evaluation" and form.is_valid():
            sop_code, service_key = form.cleaned_data["service"].split("|", 1)
            services.evaluation_record(
                actor=request.user,
                unit=unit,
                sop_code=sop_code,
                service_key=service_key,
                year=year,
                evaluated_on=form.cleaned_data["evaluated_on"],
                summary=form.cleaned_data["summary"],
            )
            return _("Evaluation recorded.")
        if which == "finding":
            evaluation = get_object_or_404(
                ServiceEvaluation, pk=request.POST.get("evaluation", 0), unit=unit
            )
            finding = FindingForm(request.POST)
            if finding.is_valid():
                services.finding_add(
                    actor=request.user,
                    evaluation=evaluation,
                    owner=request.user,
                    **finding.cleaned_data,
                )
                return _("Finding and its follow-up recorded.")
        if which == "done":
            item = get_object_or_404(
                Finding, pk=request.POST.get("finding", 0), evaluation__unit=unit
            )
            services.finding_done(
                actor=request.user,
                finding=item,
                note=request.POST.get("note", ""),
                now=timezone.now(),
            )
            return _("Follow-up marked done.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.error(request, _("Check the form below."))
    return None


urlpatterns: list[URLPattern] = [
    # Before the unit's pages, whose first segment would take "bukti" for a unit code.
    path("kpi/bukti/<int:pk>/", evidence_file, name="kpi-evidence-file"),
    path("kpi/bukti/<int:pk>/nilai/", evidence_judge, name="kpi-evidence-judge"),
    path("kpi/", overview, name="kpi-overview"),
    path("kpi/<str:code>/<year:year>/", unit_dashboard, name="kpi-unit"),
    path("kpi/<str:code>/<year:year>/k/<str:kpi>/", kpi_detail, name="kpi-detail"),
    path("kpi/<str:code>/<year:year>/k/<str:kpi>/bukti.xlsx", kpi_export, name="kpi-export"),
    path("kpi/<str:code>/<year:year>/evaluasi/", evaluations, name="kpi-evaluations"),
    path("kpi/<str:code>/bukti/", evidence_documents, name="kpi-evidence"),
]
