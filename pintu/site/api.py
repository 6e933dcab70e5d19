"""The JSON API at /api/v1: authentication, error shapes and the apps' routers.

A client sends a personal token (``Authorization: Bearer pintu_...``, made with
``pintu token create``); the pages' own scripts may use the session cookie instead, and
then unsafe methods need the CSRF token, as a form would. Services raise Django's
exceptions; they become 422 (with the messages), 403 and 404 here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from pintu.core.tokens import api_token_verify
from pintu.desk.api import router as desk_router
from pintu.kpi.api import router as kpi_router
from pintu.vault.api import router as vault_router


class BearerToken(HttpBearer):
    """A personal API token. A token that is sent but unknown or revoked is refused at
    once, without falling back to the session."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_verify(token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


class SessionCookie(APIKeyCookie):
    """The signed-in person of the pages. The CSRF check (done by the parent class when
    it reads the cookie) only applies when there is a session to protect, so that a
    request with no credentials at all answers 401, not 403."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user


api = NinjaAPI(
    title="Pintu",
    version="1",
    description=(
        "Requests to the units, on their SOP's clock. Send a personal token as "
        "`Authorization: Bearer pintu_...` (`pintu token create USERNAME`)."
    ),
    auth=[BearerToken(), SessionCookie()],
    urls_namespace="api",
)
api.add_router("/tickets", desk_router, tags=["tickets"])
api.add_router("/vault", vault_router, tags=["vault"])
api.add_router("/kpi", kpi_router, tags=["kpi"])


def _messages(error: ValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", field], "msg": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "msg": message} for message in error.messages]


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    # The same shape as the framework's own 422 for malformed input: {"detail": [...]}.
    return api.create_response(request, {"detail": _messages(error)}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    message = str(error) or _("You may not do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    # Never say more: "not found" and "not yours" must look the same.
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="pintu"'
    return response
