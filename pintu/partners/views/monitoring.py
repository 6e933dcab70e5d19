"""The monitoring pages (form BO.28.1.2): the year's agreements with their forms, each
form to read, fill in and print as PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pintu.core.pdf import html_pdf
from pintu.desk.views.common import error_text
from pintu.partners import selectors
from pintu.partners.models import Aspect, Monitoring
from pintu.partners.monitoring_forms import MonitoringForm, OpenForm, YearForm
from pintu.partners.services.monitoring import monitoring_fill, monitoring_open
from pintu.partners.views.common import page, reader, today, worker


@require_GET
@login_required
def monitoring_list(request: HttpRequest) -> HttpResponse:
    reader(request)
    this_year = today().year
    form = YearForm(request.GET or None, this_year=this_year)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or this_year
    forms = {m.agreement_id: m for m in Monitoring.objects.filter(year=year)}
    agreements = list(selectors.agreements_to_monitor(year))
    return page(
        request,
        "partners/monitoring_list.html",
        {
            "form": form,
            "year": year,
            "rows": [(agreement, forms.get(agreement.pk)) for agreement in agreements],
            "results": selectors.survey_results(selectors.surveys_of(year=year)),
        },
    )


@require_POST
@login_required
def monitoring_start(request: HttpRequest) -> HttpResponse:
    actor = worker(request)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an agreement and a year."))
        return redirect("partners-monitorings")
    try:
        monitoring, _made = monitoring_open(
            actor=actor,
            agreement=form.cleaned_data["agreement"],
            year=form.cleaned_data["year"],
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("partners-monitorings")
    return redirect("partners-monitoring-edit", pk=monitoring.pk)


def _monitoring(pk: int) -> Monitoring:
    return get_object_or_404(
        Monitoring.objects.select_related("agreement", "created_by", "updated_by"), pk=pk
    )


def _context(monitoring: Monitoring) -> dict[str, Any]:
    """What the page and the PDF show of a form."""
    assessments = monitoring.assessments.select_related("department", "survey")
    by_department: dict[int, dict[str, Any]] = {}
    for assessment in assessments:
        row = by_department.setdefault(
            assessment.department_id, {"department": assessment.department, "aspects": {}}
        )
        row["aspects"][assessment.aspect] = assessment
    departments = [
        {
            "department": row["department"],
            "aspects": [(aspect, row["aspects"].get(aspect.value)) for aspect in Aspect],
        }
        for row in sorted(by_department.values(), key=lambda r: r["department"].code)
    ]
    partners = monitoring.agreement.partners.all()
    surveys = selectors.surveys_of(year=monitoring.year).filter(partner__in=partners)
    return {
        "monitoring": monitoring,
        "agreement": monitoring.agreement,
        "partners": partners,
        "activities": monitoring.activities.select_related("ticket").order_by("held_on", "id"),
        "departments": departments,
        "surveys": surveys,
        "results": selectors.survey_results(surveys),
    }


@require_GET
@login_required
def monitoring_page(request: HttpRequest, pk: int) -> HttpResponse:
    reader(request)
    return page(request, "partners/monitoring.html", _context(_monitoring(pk)))


@require_http_methods(["GET", "POST"])
@login_required
def monitoring_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = worker(request)
    monitoring = _monitoring(pk)
    form = MonitoringForm(request.POST or None, monitoring=monitoring)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring_fill(
                actor=actor,
                monitoring=monitoring,
                activities=form.cleaned_data["activities"],
                outputs=form.cleaned_data["outputs"],
                benefits=form.cleaned_data["benefits"],
                judgements=form.judgements(),
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The monitoring form is saved."))
            return redirect("partners-monitoring", pk=monitoring.pk)
    return page(request, "partners/monitoring_form.html", {"form": form, "monitoring": monitoring})


@require_GET
@login_required
def monitoring_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The form BO.28.1.2 as printed and signed."""
    reader(request)
    monitoring = _monitoring(pk)
    html = render_to_string("partners/monitoring_pdf.html", _context(monitoring), request=request)
    response = HttpResponse(html_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="BO.28.1.2-{monitoring.year}-{monitoring.pk}.pdf"'
    )
    return response


urlpatterns: list[URLPattern] = [
    path("kerjasama/monitoring/", monitoring_list, name="partners-monitorings"),
    path("kerjasama/monitoring/buka/", monitoring_start, name="partners-monitoring-start"),
    path("kerjasama/monitoring/<int:pk>/", monitoring_page, name="partners-monitoring"),
    path("kerjasama/monitoring/<int:pk>/isi/", monitoring_edit, name="partners-monitoring-edit"),
    path(
        "kerjasama/monitoring/<int:pk>/BO.28.1.2.pdf",
        monitoring_pdf,
        name="partners-monitoring-pdf",
    ),
]
