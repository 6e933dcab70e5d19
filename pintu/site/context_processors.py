from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from pintu import __version__
from pintu.core.heartbeat import current_worker_health
from pintu.core.reaper import queue_health
from pintu.desk.access import work_unit_ids
from pintu.kpi.access import sees_dashboards
from pintu.org import access


def pintu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    is_admin = user is not None and access.is_admin(user)
    return {
        "pintu_version": __version__,
        "can_read_audit_log": user is not None and access.can_read_audit_log(user),
        "is_admin": is_admin,
        # Read only by the layout's banner, so only pages that show it pay the query.
        "worker_health": (
            SimpleLazyObject(lambda: current_worker_health(now=timezone.now()))
            if is_admin
            else None
        ),
        "queue_health": (
            SimpleLazyObject(lambda: queue_health(now=timezone.now())) if is_admin else None
        ),
        "is_desk_staff": user is not None
        and (access.can_read_everything(user) or bool(work_unit_ids(user))),
        "sees_kpi": user is not None and user.is_authenticated and sees_dashboards(user),
    }
