"""What the partnership pages share: who may open them, the page in Unit Kerjasama's time
zone, the day its states are read on, and downloads of the files it keeps."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pintu.desk.views.common import render_for_unit, signed_in
from pintu.org.models import User
from pintu.partners import access
from pintu.sla.calendars import zone_for_unit


def reader(request: HttpRequest) -> User:
    user = signed_in(request)
    if not access.can_read(user):
        raise PermissionDenied
    return user


def worker(request: HttpRequest) -> User:
    user = signed_in(request)
    if not access.can_work(user):
        raise PermissionDenied
    return user


def today() -> date:
    """Today in Unit Kerjasama's time zone: the day agreements are active or expired on."""
    return timezone.localdate(timezone.now(), zone_for_unit(access.partnership_unit()))


def page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context = {**context, "can_work": access.can_work(request.user)}
    return render_for_unit(request, template, context, access.partnership_unit())
