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


# What each error answer looks like, and when an operation may give it (added to every
# operation of the document, so that clients and schema checkers can trust it).
ERROR_MESSAGE = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
ERROR_LIST = {
    "type": "object",
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                },
                "required": ["loc", "msg"],
            },
        }
    },
    "required": ["detail"],
}
ERRORS = {
    "400": ("The body is not JSON.", "ErrorMessage"),
    "401": ("No token or session, or a token that is unknown or revoked.", "ErrorMessage"),
    "403": (
        "The caller may not do this (e.g. an auditor writing, a missing CSRF token).",
        "ErrorMessage",
    ),
    "404": ("Nothing there, or nothing the caller may see.", "ErrorMessage"),
    "422": (
        "The input is refused; each item names the field (`loc`) and why (`msg`).",
        "ValidationErrors",
    ),
}


class PintuApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorMessage", ERROR_MESSAGE)
        components.setdefault("ValidationErrors", ERROR_LIST)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                for status in _errors_of(path, method, operation):
                    text, shape = ERRORS[status]
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{shape}"}
                                }
                            },
                        },
                    )
        return schema


def _errors_of(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["422"]  # any input may be refused at the edge (pintu.core.edge)
    if operation.get("security"):
        # Signed in is not allowed: a requester reading the vault's register, an auditor
        # writing, a write without its CSRF token.
        statuses += ["401", "403"]
    if "{" in path:
        statuses.append("404")
    if "requestBody" in operation:
        statuses.append("400")
    return statuses


api = PintuApi(
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
