"""Rate limits on the doors anyone can knock on: sign-in, the portal's submit and the
WhatsApp webhook. Each rule (``PINTU_RATE_LIMITS``: URL name -> requests per window in
seconds) counts the POSTs of one client address in fixed windows in Django's cache; the
one past the limit answers 429 with Retry-After. Failed sign-ins also lock the account
out (django-axes); this limit also stops one address trying many accounts.

The cache is shared by every process on every host (``pintu.core.caches``: the database
or Redis), so the limit holds across them. The database cache's increment is a read and
a write: of simultaneous requests from one address a few may slip past the limit;
Redis counts each one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def client_address(request: HttpRequest) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind our own proxy: the last address it appended is the client's.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def hit(rule: str, who: str, *, limit: int, window: int, now: float | None = None) -> int:
    """Count one request of ``who`` under ``rule``; returns the seconds to wait when it is
    over the limit, else 0."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = f"pintu-rate:{rule}:{who}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return max(1, int(start + window - now)) if count > limit else 0


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or request.resolver_match is None:
            return None
        name = request.resolver_match.url_name or ""
        rule = settings.PINTU_RATE_LIMITS.get(name)
        if rule is None:
            return None
        limit, window = rule
        wait = hit(name, client_address(request), limit=limit, window=window)
        if not wait:
            return None
        message = _("Too many requests from your address. Try again in %(seconds)s seconds.")
        message %= {"seconds": wait}
        if request.path.startswith("/webhooks/") or request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=429)
        else:
            response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(wait)
        return response
