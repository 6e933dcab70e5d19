"""The error pages: in the site's layout and the reader's language, saying what to do
next. Under /api/ the answer stays JSON, in the shape of the API's own errors, since
a path the API does not know and a crash never reach the API's handlers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def _for_the_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_the_api(request):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request, so that neither the database nor the context
    processors, either of which may be what failed, are needed to say so."""
    if _for_the_api(request):
        return JsonResponse({"detail": "Internal Server Error"}, status=500)
    return defaults.server_error(request)
