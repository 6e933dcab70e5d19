"""What every content-calendar page checks: who may read it, who may change it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from pintu.media import access


def readable(request: HttpRequest) -> bool:
    """Refuse those who may not read the calendar; whether this person may change it."""
    if not access.can_read(request.user):
        raise PermissionDenied
    return access.can_work(request.user)


def workable(request: HttpRequest) -> None:
    if not access.can_work(request.user):
        raise PermissionDenied
