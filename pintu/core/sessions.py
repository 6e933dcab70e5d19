"""The session's idle timeout: a session lives ``SESSION_COOKIE_AGE`` seconds
(``PINTU_SESSION_IDLE_MINUTES``) after the last request that renewed it. Renewing means
saving the session, so a signed-in request renews it only once ``RENEW_AFTER`` has
passed since the last renewal, not on every page (a write per request would cost every
page its queries). Signing in is the first renewal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

RENEWED = "pintu_renewed_at"
RENEW_AFTER = 60  # seconds; the idle time is at least a minute


def _renew(request: HttpRequest) -> None:
    request.session[RENEWED] = int(time.time())  # marks it modified: saved, expiry pushed


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        _renew(request)


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            renewed = request.session.get(RENEWED, 0)
            if time.time() - renewed >= RENEW_AFTER:
                _renew(request)
        return self.get_response(request)
