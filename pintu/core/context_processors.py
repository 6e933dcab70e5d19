from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pintu import __version__
from pintu.org import access


def pintu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "pintu_version": __version__,
        "can_read_audit_log": user is not None and access.can_read_audit_log(user),
    }
