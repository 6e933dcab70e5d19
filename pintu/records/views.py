"""The records pages: destruction proposals for the unit head to approve (with their
berita acara pemusnahan as PDF), legal holds to place and lift, and the schedule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pintu.core.pdf import html_pdf
from pintu.desk.models import Ticket
from pintu.org import access
from pintu.org.models import Unit
from pintu.records import selectors, services
from pintu.records.models import DestructionProposal, LegalHold, RetentionRun, Tombstone
from pintu.records.schedule import kinds, sop_records

ITEMS_SHOWN = 500


def _require(request: HttpRequest) -> None:
    if not selectors.sees_records(request.user):
        raise PermissionDenied


def _proposals(request: HttpRequest) -> Any:
    if access.is_auditor(request.user) and not access.is_admin(request.user):
        return DestructionProposal.objects.select_related("unit", "decided_by")
    return selectors.proposals_for(request.user)


def _kind_words() -> dict[str, Any]:
    return {name: kind.label for name, kind in kinds().items()}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    _require(request)
    proposals = list(_proposals(request)[:100])
    return render(
        request,
        "records/home.html",
        {
            "proposals": proposals,
            "runs": RetentionRun.objects.all()[:10],
            "holds": selectors.active_holds().select_related("ticket", "unit", "placed_by")[:100],
            "tombstones": Tombstone.objects.count(),
        },
    )


def _proposal_context(request: HttpRequest, proposal: DestructionProposal) -> dict[str, Any]:
    words = _kind_words()
    items = [(item, words.get(item.kind, item.kind)) for item in proposal.items.all()[:ITEMS_SHOWN]]
    return {
        "proposal": proposal,
        "items": items,
        "count": proposal.items.count(),
        "shown": ITEMS_SHOWN,
        "years": selectors.unit_years().get(proposal.unit_id),
        "can_decide": proposal.state == DestructionProposal.State.PENDING
        and selectors.can_decide(request.user, proposal),
    }


def _visible_proposal(request: HttpRequest, pk: int) -> DestructionProposal:
    _require(request)
    proposal = get_object_or_404(_proposals(request), pk=pk)
    return proposal


@require_GET
@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    return render(request, "records/proposal.html", _proposal_context(request, proposal))


@require_POST
@login_required
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.proposal_decide(
            actor=request.user, proposal=proposal, approve=approve, now=timezone.now()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Approved: the records go at the next retention run, archived first.")
            if approve
            else _("Rejected: the records are kept."),
        )
    return redirect("records-proposal", pk=proposal.pk)


@require_GET
@login_required
def proposal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The berita acara pemusnahan: the list the head approves, with the decision."""
    proposal = _visible_proposal(request, pk)
    context = _proposal_context(request, proposal)
    context["items"] = [
        (item, _kind_words().get(item.kind, item.kind)) for item in proposal.items.all()
    ]
    html = render_to_string("records/berita_acara.html", context, request=request)
    response = HttpResponse(html_pdf(html), content_type="application/pdf")
    unit = proposal.unit.code if proposal.unit else "umum"
    response["Content-Disposition"] = (
        f'attachment; filename="berita-acara-pemusnahan-{unit}-{proposal.pk}.pdf"'
    )
    return response


class HoldForm(forms.Form):
    scope = forms.ChoiceField(label=gettext_lazy("Applies to"), choices=LegalHold.Scope.choices)
    reference = forms.CharField(
        label=gettext_lazy("Request reference"), required=False, max_length=32
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.order_by("code"), required=False
    )
    partner_id = forms.CharField(
        label=gettext_lazy("Partner"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("Its number in Pintu; the partner's page links here."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == LegalHold.Scope.TICKET:
            reference = (data.get("reference") or "").strip().upper()
            ticket = Ticket.objects.filter(reference=reference).select_related("unit").first()
            if ticket is None:
                self.add_error("reference", _("No request has this reference."))
            data["ticket"] = ticket
        return data


@login_required
def holds(request: HttpRequest) -> HttpResponse:
    _require(request)
    # The partner's page links here with the partner filled in.
    asked = {"scope": request.GET.get("scope", ""), "partner_id": request.GET.get("partner", "")}
    form = HoldForm(request.POST or None, initial=asked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hold_place(
                actor=request.user,
                scope=data["scope"],
                ticket=data.get("ticket"),
                unit=data.get("unit"),
                partner_id=data.get("partner_id") or "",
                reason=data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Hold placed: these records are not destroyed."))
            return redirect("records-holds")
    all_holds = LegalHold.objects.select_related("ticket", "unit", "placed_by", "lifted_by")
    return render(request, "records/holds.html", {"form": form, "holds": all_holds[:200]})


@require_POST
@login_required
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    hold = get_object_or_404(LegalHold.objects.select_related("ticket__unit", "unit"), pk=pk)
    try:
        services.hold_lift(actor=request.user, hold=hold, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Hold lifted."))
    return redirect("records-holds")


@require_GET
@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    _require(request)
    schedule_kinds = list(kinds().values())
    rows = [
        (sop, record, [k.label for k in schedule_kinds if record.name in k.sop_records])
        for sop, record in sop_records()
    ]
    years = selectors.unit_years()
    units = [(unit, years.get(unit.pk)) for unit in Unit.objects.order_by("code")]
    return render(
        request, "records/schedule.html", {"rows": rows, "kinds": schedule_kinds, "units": units}
    )


urlpatterns: list[URLPattern] = [
    path("records/", home, name="records-home"),
    path("records/proposals/<int:pk>/", proposal_detail, name="records-proposal"),
    path("records/proposals/<int:pk>/decide", proposal_decide, name="records-proposal-decide"),
    path("records/proposals/<int:pk>/berita-acara.pdf", proposal_pdf, name="records-proposal-pdf"),
    path("records/holds/", holds, name="records-holds"),
    path("records/holds/<int:pk>/lift", hold_lift, name="records-hold-lift"),
    path("records/schedule/", schedule, name="records-schedule"),
]
