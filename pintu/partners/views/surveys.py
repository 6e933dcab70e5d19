"""The partner satisfaction survey: staff send it from the partner's page; the partner
answers through the link, which needs no account. The answer page runs no script and
needs no inline style, so it works under a strict Content-Security-Policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pintu.desk.views.common import error_text
from pintu.partners.models import Partner
from pintu.partners.monitoring_forms import SurveyAnswerForm, SurveySendForm
from pintu.partners.services.surveys import (
    survey_answer,
    survey_find,
    survey_refusal,
    survey_send,
)
from pintu.partners.views.common import today, worker


@require_POST
@login_required
def survey_start(request: HttpRequest, pk: int) -> HttpResponse:
    actor = worker(request)
    partner = get_object_or_404(Partner, pk=pk)
    form = SurveySendForm(request.POST, partner=partner, this_year=today().year)
    if not form.is_valid():
        messages.error(
            request,
            _("Check the survey's form: %(problems)s")
            % {"problems": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect("partners-partner", pk=partner.pk)
    try:
        survey, _token = survey_send(
            actor=actor,
            partner=partner,
            contact=form.cleaned_data["contact"],
            agreement=form.cleaned_data["agreement"],
            year=form.cleaned_data["year"],
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The survey is on its way to %(to)s.") % {"to": survey.sent_to})
    return redirect("partners-partner", pk=partner.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    """The partner's answer, through the link they were sent; no account needed."""
    survey = survey_find(token)
    if survey is None:
        raise Http404
    now = timezone.now()
    form = SurveyAnswerForm(request.POST or None)
    context = {"survey": survey, "form": form, "refusal": survey_refusal(survey, now)}
    if request.method == "POST" and not context["refusal"] and form.is_valid():
        try:
            survey_answer(
                survey=survey,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                now=now,
            )
        except ValidationError as error:
            context["refusal"] = error_text(error)
        else:
            context["thanks"] = True
    return render(request, "partners/survey_answer.html", context)


urlpatterns: list[URLPattern] = [
    path("kerjasama/mitra/<int:pk>/survei/", survey_start, name="partners-partner-survey"),
    path("survei-mitra/<str:token>/", survey_page, name="partners-survey-answer"),
]
