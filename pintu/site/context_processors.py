from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pintu import __version__
from pintu.desk.access import work_unit_ids
from pintu.org import access


def pintu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "pintu_version": __version__,
        "can_read_audit_log": user is not None and access.can_read_audit_log(user),
        "is_admin": user is not None and access.is_admin(user),
        "is_desk_staff": user is not None
        and (access.can_read_everything(user) or bool(work_unit_ids(user))),
    }
