"""The WhatsApp Cloud API webhook: ``GET`` answers Meta's subscription handshake,
``POST`` keeps a signed notification and answers at once (the worker reads it)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pintu.doors.whatsapp import signature
from pintu.doors.whatsapp.services import webhook_receive


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    try:
        body = request.body
    except RequestDataTooBig:
        return HttpResponse("too large", status=413, content_type="text/plain")
    verdict = signature.verify(
        body, request.headers.get(signature.HEADER), settings.PINTU_WHATSAPP_APP_SECRET
    )
    if verdict is signature.Verdict.MISSING:
        return HttpResponse("signature missing", status=401, content_type="text/plain")
    if verdict is signature.Verdict.INVALID:
        return HttpResponse("signature invalid", status=403, content_type="text/plain")
    webhook_receive(body=body)
    return HttpResponse("ok", content_type="text/plain")


def _handshake(request: HttpRequest) -> HttpResponse:
    """Meta subscribes the callback URL with ``hub.mode=subscribe``, our verify token
    and a challenge to echo back as it came."""
    mode = request.GET.get("hub.mode")
    token = request.GET.get("hub.verify_token")
    if mode == "subscribe" and signature.token_matches(token, settings.PINTU_WHATSAPP_VERIFY_TOKEN):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponse("forbidden", status=403, content_type="text/plain")


urlpatterns: list[URLPattern] = [path("webhooks/whatsapp", webhook, name="whatsapp-webhook")]
