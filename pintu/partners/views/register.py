"""The register's pages: the overview, partners (with their charts) and agreements (with
their status and document versions)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pintu.core import charts
from pintu.core.downloads import stored_file
from pintu.desk.views.common import error_text
from pintu.partners import lifecycle, selectors, services
from pintu.partners.forms import (
    MOVE_WORDS,
    STATE_WORDS,
    AgreementFilterForm,
    AgreementForm,
    ContactForm,
    MoveForm,
    PartnerFilterForm,
    PartnerForm,
    VersionForm,
)
from pintu.partners.models import Agreement, AgreementVersion, Partner, PartnerContact
from pintu.partners.monitoring_forms import SurveySendForm
from pintu.partners.views.common import page, reader, today, worker


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    reader(request)
    day = today()
    counts = selectors.state_counts(day)
    # Ending soon: within reach of the first expiry reminder.
    within = max(settings.PINTU_PARTNERS_REMINDER_DAYS)
    return page(
        request,
        "partners/home.html",
        {
            "states": [
                (state, words, counts.get(state.value, 0)) for state, words in STATE_WORDS.items()
            ],
            "ending": [
                (agreement, (agreement.ends_on - day).days)
                for agreement in selectors.agreements_ending(today=day, within_days=within)
                if agreement.ends_on is not None  # always: an ending agreement has an end
            ],
            "ending_days": within,
            "partner_count": Partner.objects.count(),
        },
    )


@require_GET
@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    reader(request)
    form = PartnerFilterForm(request.GET or None, countries=selectors.countries())
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = selectors.partners_filtered(
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        level=filters.get("level", ""),
        country=filters.get("country", ""),
    )
    by_level = selectors.partners_by_level(chosen)
    levels = [
        charts.Bar(str(label), by_level.get(value, 0)) for value, label in Partner.Level.choices
    ]
    by_country = [charts.Bar(name, n) for name, n in selectors.partners_by_country(chosen)]
    return page(
        request,
        "partners/partner_list.html",
        {
            "form": form,
            "partners": selectors.partner_list(chosen),
            "levels": levels,
            "countries": by_country,
            "level_chart": charts.bars(levels, title=_("Partners by level")),
            "country_chart": charts.bars(by_country, title=_("Partners by country")),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def partner_new(request: HttpRequest) -> HttpResponse:
    actor = worker(request)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(partner)s added to the register.") % {"partner": partner}
            )
            return redirect("partners-partner", pk=partner.pk)
    return page(request, "partners/partner_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = worker(request)
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerForm(request.POST or None, instance=Partner.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(actor=actor, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("partners-partner", pk=partner.pk)
    return page(request, "partners/partner_form.html", {"form": form, "partner": partner})


def _partner_page(
    request: HttpRequest, partner: Partner, contact_form: ContactForm
) -> HttpResponse:
    day = today()
    surveys = list(selectors.surveys_of(partner=partner))
    return page(
        request,
        "partners/partner.html",
        {
            "partner": partner,
            "contacts": partner.contacts.all(),
            "agreements": selectors.agreement_list(today=day, partner=partner),
            "contact_form": contact_form,
            "state_words": STATE_WORDS,
            "surveys": surveys,
            "results": selectors.survey_results(surveys),
            "survey_form": SurveySendForm(partner=partner, this_year=day.year),
            "now": timezone.now(),
            "survey_days": settings.PINTU_PARTNERS_SURVEY_DAYS,
        },
    )


@require_GET
@login_required
def partner_page(request: HttpRequest, pk: int) -> HttpResponse:
    reader(request)
    return _partner_page(request, get_object_or_404(Partner, pk=pk), ContactForm())


@require_POST
@login_required
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = worker(request)
    partner = get_object_or_404(Partner, pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = services.contact_add(actor=actor, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": contact.name})
            return redirect("partners-partner", pk=partner.pk)
    messages.error(request, _("Check the form below."))
    return _partner_page(request, partner, form)


@require_http_methods(["GET", "POST"])
@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = worker(request)
    contact = get_object_or_404(PartnerContact.objects.select_related("partner"), pk=pk)
    form = ContactForm(request.POST or None, instance=PartnerContact.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=actor, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("partners-partner", pk=contact.partner_id)
    return page(request, "partners/contact_form.html", {"form": form, "contact": contact})


@require_GET
@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    reader(request)
    form = AgreementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    agreements = selectors.agreement_list(
        today=today(),
        state=filters.get("state", ""),
        kind=filters.get("kind", ""),
        query=filters.get("q", ""),
    )
    return page(
        request,
        "partners/agreement_list.html",
        {"form": form, "agreements": agreements, "state_words": STATE_WORDS},
    )


def _agreement_saved(request: HttpRequest, form: AgreementForm, agreement: Agreement | None) -> Any:
    actor = worker(request)
    partners = form.cleaned_data["partners"]
    units = form.cleaned_data["units"]
    if agreement is None:
        return services.agreement_create(
            actor=actor, partners=partners, units=units, **form.values()
        )
    return services.agreement_update(
        actor=actor, agreement=agreement, partners=partners, units=units, **form.values()
    )


@require_http_methods(["GET", "POST"])
@login_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    worker(request)
    # From a partner's page, the new agreement starts with that partner as a party.
    chosen = request.GET.get("mitra", "")
    initial = {"partners": [chosen]} if chosen.isdigit() else {}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = _agreement_saved(request, form, None)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Draft saved. Upload its document, then send it for review.")
            )
            return redirect("partners-agreement", pk=agreement.pk)
    return page(request, "partners/agreement_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker(request)
    agreement = get_object_or_404(Agreement, pk=pk)
    form = AgreementForm(request.POST or None, instance=Agreement.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            _agreement_saved(request, form, agreement)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("partners-agreement", pk=agreement.pk)
    return page(request, "partners/agreement_form.html", {"form": form, "agreement": agreement})


def _agreement_page(
    request: HttpRequest,
    agreement: Agreement,
    *,
    move_form: MoveForm | None = None,
    version_form: VersionForm | None = None,
) -> HttpResponse:
    day = today()
    state = agreement.state_on(day)
    moves = [
        (status, MOVE_WORDS[status.value])
        for status in sorted(lifecycle.MOVES[lifecycle.Stored(agreement.status)])
    ]
    return page(
        request,
        "partners/agreement.html",
        {
            "agreement": agreement,
            "state": state,
            "state_words": STATE_WORDS[state],
            "partners": agreement.partners.all(),
            "units": agreement.units.order_by("code"),
            "versions": agreement.versions.select_related("uploaded_by"),
            "reminders": agreement.reminders.all(),
            "moves": moves,
            "move_form": move_form or MoveForm(),
            "version_form": version_form or VersionForm(),
        },
    )


@require_GET
@login_required
def agreement_page(request: HttpRequest, pk: int) -> HttpResponse:
    reader(request)
    return _agreement_page(request, get_object_or_404(Agreement, pk=pk))


@require_POST
@login_required
def agreement_status(request: HttpRequest, pk: int) -> HttpResponse:
    actor = worker(request)
    agreement = get_object_or_404(Agreement, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_move(
                actor=actor,
                agreement=agreement,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            form.add_error(None, error)
        else:
            agreement.refresh_from_db()
            messages.success(
                request,
                _("The agreement is now: %(state)s.")
                % {"state": STATE_WORDS[agreement.state_on(today())]},
            )
            return redirect("partners-agreement", pk=agreement.pk)
    return _agreement_page(request, agreement, move_form=form)


@require_POST
@login_required
def agreement_version(request: HttpRequest, pk: int) -> HttpResponse:
    actor = worker(request)
    agreement = get_object_or_404(Agreement, pk=pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.agreement_add_version(
                actor=actor,
                agreement=agreement,
                upload=form.upload(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error("document", error)
        else:
            messages.success(
                request,
                _("Version %(number)s kept: %(file)s.")
                % {"number": version.number, "file": version.filename},
            )
            return redirect("partners-agreement", pk=agreement.pk)
    messages.error(request, _("Check the form below."))
    return _agreement_page(request, agreement, version_form=form)


@require_GET
@login_required
def version_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    reader(request)
    version = get_object_or_404(AgreementVersion, agreement_id=pk, number=number)
    return stored_file(version.file, version.filename, version.content_type)


urlpatterns: list[URLPattern] = [
    path("kerjasama/", home, name="partners-home"),
    path("kerjasama/mitra/", partner_list, name="partners-list"),
    path("kerjasama/mitra/baru/", partner_new, name="partners-partner-new"),
    path("kerjasama/mitra/<int:pk>/", partner_page, name="partners-partner"),
    path("kerjasama/mitra/<int:pk>/ubah/", partner_edit, name="partners-partner-edit"),
    path("kerjasama/mitra/<int:pk>/kontak/", contact_add, name="partners-contact-add"),
    path("kerjasama/kontak/<int:pk>/ubah/", contact_edit, name="partners-contact-edit"),
    path("kerjasama/perjanjian/", agreement_list, name="partners-agreements"),
    path("kerjasama/perjanjian/baru/", agreement_new, name="partners-agreement-new"),
    path("kerjasama/perjanjian/<int:pk>/", agreement_page, name="partners-agreement"),
    path("kerjasama/perjanjian/<int:pk>/ubah/", agreement_edit, name="partners-agreement-edit"),
    path(
        "kerjasama/perjanjian/<int:pk>/status/", agreement_status, name="partners-agreement-status"
    ),
    path(
        "kerjasama/perjanjian/<int:pk>/dokumen/",
        agreement_version,
        name="partners-agreement-version",
    ),
    path(
        "kerjasama/perjanjian/<int:pk>/dokumen/<int:number>/",
        version_download,
        name="partners-agreement-file",
    ),
]
