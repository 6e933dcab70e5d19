"""The register of digital-service accounts, for the staff who keep it and for auditors;
a grantee's own access and the one page that shows a credential; the person in
charge's reviews and rotations; the access report."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pintu.core.downloads import xlsx_download
from pintu.desk.views.common import error_text, safe_next, signed_in
from pintu.vault import access, grants, selectors, services
from pintu.vault.forms import AccountEditForm, CredentialForm, RevealForm, RevokeForm
from pintu.vault.models import DigitalAccount, Grant, ReviewItem


def _reader(request: HttpRequest) -> None:
    if not access.reads_registers(request.user):
        raise PermissionDenied


@require_GET
@login_required
def register_page(request: HttpRequest) -> HttpResponse:
    _reader(request)
    accounts = selectors.accounts_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(service__icontains=query) | accounts.filter(
            account__icontains=query
        )
    user = signed_in(request)
    context = {
        "accounts": accounts,
        "query": query,
        "rotations": selectors.rotations_open(user),
        "review_items": selectors.review_items_open(user).count(),
    }
    return render(request, "vault/register.html", context)


def _visible(request: HttpRequest, pk: int) -> DigitalAccount:
    _reader(request)
    return get_object_or_404(selectors.accounts_visible_to(request.user), pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def account_page(request: HttpRequest, pk: int) -> HttpResponse:
    account = _visible(request, pk)
    keeps = access.keeps(request.user, account.unit)
    edit = AccountEditForm(account=account)
    credential = CredentialForm()
    if request.method == "POST":
        if not keeps:
            raise PermissionDenied
        now, user = timezone.now(), signed_in(request)
        try:
            if "credential" in request.POST:
                credential = CredentialForm(request.POST)
                if credential.is_valid():
                    services.credential_set(
                        actor=user,
                        account=account,
                        credential=credential.cleaned_data["credential"],
                        now=now,
                    )
                    messages.success(request, _("The new credential is stored, sealed."))
                    return redirect("vault-account", pk=account.pk)
            else:
                edit = AccountEditForm(request.POST, account=account)
                if edit.is_valid():
                    services.account_update(
                        actor=user, account=account, changes=edit.cleaned_data, now=now
                    )
                    messages.success(request, _("The register is updated."))
                    return redirect("vault-account", pk=account.pk)
        except ValidationError as error:
            messages.error(request, error_text(error))
    now = timezone.now()
    context = {
        "account": account,
        "keeps": keeps,
        "edit_form": edit,
        "credential_form": credential,
        "grants": selectors.account_grants(account, now=now),
        "reveals": selectors.account_reveals(account)[:50],
        "now": now,
    }
    return render(request, "vault/account.html", context)


@require_GET
@login_required
def my_access(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    context = {"grants": selectors.grants_of(user, now=timezone.now()), "form": RevealForm()}
    return render(request, "vault/my_access.html", context)


@never_cache
@require_POST
@login_required
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The one page that shows a credential: answered to a POST with the password, never
    kept by the browser's cache, and never linked to."""
    account = get_object_or_404(DigitalAccount.objects.select_related("unit"), pk=pk)
    user = signed_in(request)
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter your password to see the credential."))
        return redirect("vault-my-access")
    try:
        plain = services.credential_reveal(
            actor=user,
            account=account,
            password=form.cleaned_data["password"],
            now=timezone.now(),
            address=request.META.get("REMOTE_ADDR"),
        )
    except PermissionDenied:
        raise Http404 from None  # as for an account that is not there
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("vault-my-access")
    return render(request, "vault/reveal.html", {"account": account, "credential": plain})


@require_http_methods(["GET", "POST"])
@login_required
def reviews_page(request: HttpRequest) -> HttpResponse:
    """The person in charge's access review: each running grant to confirm or revoke."""
    user = signed_in(request)
    if request.method == "POST":
        item = get_object_or_404(ReviewItem, pk=request.POST.get("item", 0), review__steward=user)
        form = RevokeForm(request.POST)
        decision = request.POST.get("decision", "")
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the form below."))
            grants.review_decide(
                actor=user,
                item=item,
                decision=decision,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("Access confirmed.")
                if decision == ReviewItem.Decision.CONFIRMED
                else _("Access revoked; the password is to be changed."),
            )
        return redirect("vault-reviews")
    context = {
        "items": selectors.review_items_open(user),
        "rotations": selectors.rotations_open(user),
    }
    return render(request, "vault/reviews.html", context)


@require_POST
@login_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(Grant, pk=pk)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Check the form below."))
        grants.grant_revoke(
            actor=signed_in(request),
            grant=grant,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Access revoked; the password is to be changed."))
    return redirect(safe_next(request, reverse("vault-register")))


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    default = (today.replace(day=1) - timedelta(days=180)).replace(day=1), today
    try:
        start = date.fromisoformat(request.GET.get("from", "")) if request.GET.get("from") else None
        end = date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else None
    except ValueError:
        return default
    return (start or default[0], end or default[1])


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _report_lines(request: HttpRequest) -> tuple[date, date, list[selectors.AccessLine]]:
    _reader(request)
    start, end = _period(request)
    lines = selectors.access_report(
        viewer=request.user, start=_moment(start), end=_moment(end + timedelta(days=1))
    )
    return start, end, list(lines)


@require_GET
@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    start, end, lines = _report_lines(request)
    context = {"start": start, "end": end, "lines": lines}
    return render(request, "vault/report.html", context)


def _when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


@require_GET
@login_required
def report_xlsx(request: HttpRequest) -> FileResponse:
    start, end, lines = _report_lines(request)
    header = [
        _("Digital service"),
        _("Login"),
        _("Unit"),
        _("Classification"),
        _("Person in charge"),
        _("Grantee"),
        _("Granted"),
        _("Until"),
        _("Ended"),
        _("Request"),
        _("Views in the period"),
        _("Last view"),
    ]
    rows: list[list[Any]] = [
        [
            line.account.service,
            line.account.account,
            line.account.unit.code,
            line.account.get_classification_display(),
            str(line.account.steward or ""),
            str(line.grant.grantee),
            _when(line.grant.granted_at),
            _when(line.grant.ends_at),
            _when(line.grant.ended_at),
            line.grant.ticket.reference if line.grant.ticket else "",
            line.reveals,
            _when(line.last_reveal),
        ]
        for line in lines
    ]
    name = f"akses-akun-digital-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    widths = (24, 28, 8, 14, 20, 20, 17, 17, 17, 14, 10, 17)
    return xlsx_download(name, _("Access report"), header, rows, widths)


urlpatterns: list[URLPattern] = [
    path("akun-digital/", register_page, name="vault-register"),
    path("akun-digital/<int:pk>/", account_page, name="vault-account"),
    path("akun-digital/<int:pk>/lihat/", reveal, name="vault-reveal"),
    path("akun-digital/akses/", my_access, name="vault-my-access"),
    path("akun-digital/akses/<int:pk>/cabut/", grant_revoke, name="vault-grant-revoke"),
    path("akun-digital/tinjauan/", reviews_page, name="vault-reviews"),
    path("akun-digital/laporan/", report_page, name="vault-report"),
    path("akun-digital/laporan.xlsx", report_xlsx, name="vault-report-xlsx"),
]
