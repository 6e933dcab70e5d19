"""The second factor's pages and its gate.

After the password, a person who must use a second factor (``pintu.org.twofactor``) is
sent to ``login-code`` for the code of their authenticator app, or, if they have none
yet, to ``security`` to set one up; until then every other page sends them back there
(the API, signed in by this session, answers 401). Personal API tokens are a factor of
their own and are not asked for a code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from pintu.org import twofactor

# Whether this session's person must enter a code, worked out once per session (at
# sign-in, or the first request after) so that pages keep their query counts.
REQUIRED = "pintu_second_factor_required"

# Pages a signed-in person reaches before the second factor: its own, leaving, the
# language, and what a monitor or the browser asks for by itself.
BEFORE_THE_CODE = {"login", "logout", "login-code", "security", "set_language", "healthz"}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED] = twofactor.required(user)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if match is None or match.url_name in BEFORE_THE_CODE:
            return None
        required = request.session.get(REQUIRED)
        if required is None:
            required = request.session[REQUIRED] = twofactor.required(user)
        if not required:
            return None
        if "api" in match.namespaces:
            return JsonResponse({"detail": _("Enter your sign-in code first.")}, status=401)
        page = "login-code" if twofactor.has_device(user) else "security"
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")


@require_http_methods(["GET", "POST"])
@login_required
def login_code(request: HttpRequest) -> HttpResponse:
    """The code of the authenticator app (or a recovery code) after the password."""
    user: Any = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not twofactor.has_device(user):
        return redirect(reverse("security"))
    form = CodeForm(request.POST or None)
    refused = throttled = False
    if request.method == "POST" and form.is_valid():
        throttled = twofactor.throttled(user)
        device = None if throttled else twofactor.code_accept(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        refused = True
    return render(
        request,
        "site/login_code.html",
        {
            "form": form,
            "refused": refused,
            "throttled": throttled,
            "next": _next(request),
        },
        status=400 if refused else 200,
    )


def _qr(url: str) -> str:
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4))  # noqa: S308 (our own key's URL)


@require_http_methods(["GET", "POST"])
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The person's second factor: set one up, see how many recovery codes are left, get
    new ones; a person who need not use one may also remove it."""
    user: Any = request.user
    context: dict[str, Any] = {
        "required": twofactor.required_by_role(user),
        "has_device": twofactor.has_device(user),
        "next": _next(request),
    }
    action = request.POST.get("action", "")
    try:
        if request.method == "POST" and action == "confirm":
            form = CodeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter the six-digit code the app shows."))
            device = twofactor.pending_app(user)
            context["codes"] = twofactor.app_confirm(
                actor=user, device=device, code=form.cleaned_data["code"]
            )
            otp_login(request, device)
            context["has_device"] = True
        elif request.method == "POST" and action == "renew":
            if not user.is_verified():
                return redirect(reverse("login-code"))
            context["codes"] = twofactor.recovery_codes_renew(actor=user)
        elif request.method == "POST" and action == "remove":
            if not user.is_verified():
                return redirect(reverse("login-code"))
            twofactor.remove_own(actor=user)
            logout(request)  # a new session: asked again whether a code is needed
            return redirect(reverse("login"))
        elif request.method == "POST":
            return redirect(reverse("security"))
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
    if not context["has_device"]:
        device = twofactor.pending_app(user)
        context.update(form=CodeForm(), qr=_qr(device.config_url), key=twofactor.key_text(device))
    context["recovery_left"] = twofactor.recovery_left(user)
    status = 400 if "error" in context else 200
    return render(request, "site/security.html", context, status=status)
