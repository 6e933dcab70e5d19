"""What no request may carry past the door: a NUL character (PostgreSQL can neither
store nor compare text with one, and no one types one) in its path, its query string or
an API request's JSON body, and, for the API, a whole number larger than any column
holds (a signed 64-bit integer). Such a request is refused before any view reads it:
the API answers 422 naming the field, in its own error shape; pages answer 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
LARGEST = 2**63 - 1
_NUMBER = re.compile(r"\s*[+-]?\d+\s*")
API_PREFIX = "/api/"


def _nul() -> str:
    return _("This value may not contain a NUL character.")


def refusal(request: HttpRequest) -> dict[str, Any] | None:
    """The first thing ``request`` carries that no field may take, as the API's error
    item ({"loc": [...], "msg": ...}), or None."""
    if NUL in request.path:
        return {"loc": ["path"], "msg": _nul()}
    api = request.path.startswith(API_PREFIX)
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return {"loc": ["query", name.replace(NUL, "")], "msg": _nul()}
        if api and any(_NUMBER.fullmatch(v) and abs(int(v)) > LARGEST for v in values):
            return {"loc": ["query", name], "msg": _("This number is too large.")}
    if api and request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            return None  # the API's parser answers that one
        where = nul_in(data, ["body"])
        if where is not None:
            return {"loc": where, "msg": _nul()}
    return None


def nul_in(value: Any, where: list[Any]) -> list[Any] | None:
    """The location of the first NUL in a JSON value (in a key or a string), or None."""
    if isinstance(value, str):
        return where if NUL in value else None
    items: Any = ()
    if isinstance(value, dict):
        if any(NUL in key for key in value):
            return where
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    for key, item in items:
        found = nul_in(item, [*where, key])
        if found is not None:
            return found
    return None


class RefuseAtTheEdgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = refusal(request)
        if refused is None:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": [refused]}, status=422)
        return HttpResponseBadRequest(refused["msg"], content_type="text/plain; charset=utf-8")


class SecurityHeadersMiddleware:
    """The Content-Security-Policy of every answer (``PINTU_CONTENT_SECURITY_POLICY``):
    scripts and style sheets only from Pintu's own static files, never inline; inline
    style *attributes* stay allowed (diagrams size themselves with CSS variables), and
    no other site may frame a page. HSTS, X-Frame-Options and the referrer policy are
    Django's own (``SECURE_*`` settings)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.PINTU_CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
