"""The campus accounts' pages: UPT-SI's overview of accounts, the master-data import
with its per-row report, cohort intake with its progress and letters, the semester's
life cycle; the question a PR.33.8 step asks the requester; and the one-time link's
page, the only one for a holder who may have no Pintu login."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pintu.desk import selectors as desk_selectors
from pintu.desk.views.common import error_text, signed_in
from pintu.identity import access, cohorts, handover, lifecycle, services, tasks
from pintu.identity.forms import CodeForm, CohortForm, ImportForm, LifecycleForm, PasswordForm
from pintu.identity.letters import letters_pdf
from pintu.identity.models import STATES, CampusAccount, Cohort, MasterImport, MasterRecord

SESSION_KEY = "identity_handover"
PAGE = 100


def _reader(request: HttpRequest) -> None:
    if not access.reads(request.user):
        raise PermissionDenied


def _manager(request: HttpRequest) -> None:
    if not access.manages(request.user):
        raise PermissionDenied


@require_GET
@login_required
def accounts_page(request: HttpRequest) -> HttpResponse:
    _reader(request)
    query = request.GET.get("q", "").strip()
    accounts = CampusAccount.objects.select_related("record__unit", "ticket", "cohort").order_by(
        "username"
    )
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query)
            | Q(record__name__icontains=query)
            | Q(record__id_number__icontains=query)
        )
    counts = dict(
        CampusAccount.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    context = {
        "accounts": accounts[:PAGE],
        "query": query,
        "counts": [(label, counts.get(value, 0)) for value, label in STATES],
        "records": MasterRecord.objects.count(),
        "imports": MasterImport.objects.select_related("imported_by")[:5],
        "cohorts": Cohort.objects.all()[:5],
        "manages": access.manages(request.user),
    }
    return render(request, "identity/accounts.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = ImportForm()
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = "check" in request.POST
            result = services.master_import(
                actor=signed_in(request),
                filename=upload.name,
                data=upload.read(),
                now=timezone.now(),
                dry_run=dry_run,
            )
            if result.batch is not None:
                messages.success(
                    request,
                    _("Imported: %(created)s added, %(updated)s changed, %(unchanged)s as before.")
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("identity-accounts")
    return render(request, "identity/import.html", {"form": form, "result": result})


@require_http_methods(["GET", "POST"])
@login_required
def cohort_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = CohortForm()
    result = None
    if request.method == "POST":
        form = CohortForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            cohort, result = cohorts.cohort_create(
                actor=signed_in(request),
                filename=upload.name,
                data=upload.read(),
                send_messages=form.cleaned_data["send_messages"],
                now=timezone.now(),
            )
            if cohort is not None:
                if cohort.status != Cohort.Status.DONE:
                    tasks.cohort_run.enqueue(cohort.pk)
                return redirect("identity-cohort", pk=cohort.pk)
    return render(request, "identity/cohort_new.html", {"form": form, "result": result})


def _cohort_context(cohort: Cohort) -> dict[str, Any]:
    percent = 100 * cohort.done // cohort.total if cohort.total else 100
    return {
        "cohort": cohort,
        "percent": percent,
        "lines": cohort.lines.select_related("account__record__unit").order_by("row"),
    }


@require_GET
@login_required
def cohort_page(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    cohort = get_object_or_404(Cohort, pk=pk)
    template = (
        "identity/_cohort_progress.html"
        if request.headers.get("HX-Request")
        else "identity/cohort.html"
    )
    return render(request, template, _cohort_context(cohort))


@require_GET
@login_required
def cohort_letters(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    cohort = get_object_or_404(Cohort, pk=pk)
    response = HttpResponse(letters_pdf(cohort, now=timezone.now()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-akun-{cohort.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def lifecycle_page(request: HttpRequest) -> HttpResponse:
    """The semester's life cycle: the report first (every graduate and leaver whose
    account still works), then their accounts disabled on the chosen day."""
    _reader(request)
    candidates = CampusAccount.objects.filter(
        record__standing__in=sorted(lifecycle.LEAVING),
        state__in=[lifecycle.State.STAGED, lifecycle.State.ACTIVE],
    ).select_related("record__unit")
    form = LifecycleForm(initial={"on": timezone.localdate()})
    if request.method == "POST":
        _manager(request)
        form = LifecycleForm(request.POST)
        if form.is_valid():
            now, actor = timezone.now(), signed_in(request)
            chosen = set(request.POST.getlist("account"))
            done = 0
            for account in candidates:
                if str(account.pk) in chosen:
                    services.account_disable(
                        actor=actor, account=account, on=form.cleaned_data["on"], now=now
                    )
                    done += 1
            messages.success(
                request,
                _("%(n)s account(s) to be disabled on %(day)s.")
                % {"n": done, "day": f"{form.cleaned_data['on']:%Y-%m-%d}"},
            )
            return redirect("identity-lifecycle")
    scheduled = CampusAccount.objects.filter(disable_on__isnull=False).select_related("record")
    context = {
        "candidates": candidates,
        "scheduled": scheduled,
        "form": form,
        "manages": access.manages(request.user),
    }
    return render(request, "identity/lifecycle.html", context)


@require_POST
@login_required
def ask_requester(request: HttpRequest, reference: str) -> HttpResponse:
    """The identification step's second button: the question goes to the requester and
    the request waits for them; the step stays in progress."""
    ticket = desk_selectors.ticket_get(viewer=request.user, reference=reference)
    question = request.POST.get("action-question", "")
    try:
        services.request_ask(
            actor=signed_in(request), ticket=ticket, question=question, now=timezone.now()
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Asked; the request waits for the requester."))
    return redirect("desk-ticket", reference=reference)


def _client(request: HttpRequest) -> dict[str, Any]:
    return {
        "address": request.META.get("REMOTE_ADDR"),
        "agent": request.META.get("HTTP_USER_AGENT", ""),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def handover_page(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link. Opening it is recorded; a code sent to the registered contact
    opens it, once, in this browser; its holder sets their password here."""
    found = handover.handover_from(token)
    if found is None:
        raise Http404
    now = timezone.now()
    unlocked = request.session.get(SESSION_KEY) == found.pk and found.used_at is None
    context: dict[str, Any] = {
        "handover": found,
        "account": found.account,
        "contact": handover.contact_words(found),
        "code_form": CodeForm(),
        "password_form": PasswordForm(),
        "unlocked": unlocked,
    }
    if request.method == "GET":
        if not unlocked:
            context["refusal"] = handover.handover_open(handover=found, now=now, **_client(request))
        return render(request, "identity/handover.html", context)
    step = request.POST.get("step", "")
    try:
        if step == "send":
            handover.handover_send_code(handover=found, now=now, **_client(request))
            context["code_sent"] = True
        elif step == "code":
            form = CodeForm(request.POST)
            context["code_sent"] = True
            if form.is_valid() and handover.handover_check_code(
                handover=found, code=form.cleaned_data["code"], now=now, **_client(request)
            ):
                request.session[SESSION_KEY] = found.pk
                context["unlocked"] = True
            else:
                context["code_error"] = _("That code is not right (or no longer valid).")
        elif step == "password" and unlocked:
            chosen = PasswordForm(request.POST)
            context["password_form"] = chosen
            if chosen.is_valid():
                handover.handover_set_password(
                    handover=found,
                    password=chosen.cleaned_data["password"],
                    now=now,
                    **_client(request),
                )
                request.session.pop(SESSION_KEY, None)
                context["done"] = True
    except ValidationError as error:
        if step == "password":
            context["password_form"].add_error("password", error)
        else:
            context["refusal"] = error_text(error)
    found.refresh_from_db()
    context["handover"] = found
    return render(request, "identity/handover.html", context)


urlpatterns: list[URLPattern] = [
    path("akun-kampus/", accounts_page, name="identity-accounts"),
    path("akun-kampus/data-induk/", import_page, name="identity-import"),
    path("akun-kampus/angkatan/", cohort_new, name="identity-cohort-new"),
    path("akun-kampus/angkatan/<int:pk>/", cohort_page, name="identity-cohort"),
    path("akun-kampus/angkatan/<int:pk>/surat.pdf", cohort_letters, name="identity-cohort-letters"),
    path("akun-kampus/siklus/", lifecycle_page, name="identity-lifecycle"),
    path("akun-kampus/tanya/<str:reference>/", ask_requester, name="identity-ask"),
    path("akun/<str:token>/", handover_page, name="identity-handover"),
]
