from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from pintu import __version__
from pintu.core.heartbeat import current_worker_health
from pintu.core.reaper import queue_health
from pintu.desk.access import work_unit_ids
from pintu.elearning import access as elearning_access
from pintu.identity.access import reads as reads_identity
from pintu.kpi.access import sees_dashboards
from pintu.media import access as media_access
from pintu.org import access
from pintu.partners import access as partners_access
from pintu.records.selectors import sees_records
from pintu.vault.access import reads_registers


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
        "reads_vault": user is not None and reads_registers(user),
        "reads_identity": user is not None and reads_identity(user),
        "queue_health": (
            SimpleLazyObject(lambda: queue_health(now=timezone.now())) if is_admin else None
        ),
        "is_desk_staff": user is not None
        and (access.can_read_everything(user) or bool(work_unit_ids(user))),
        # Each module's menu item, for those who may use its pages.
        "nav_elearning": user is not None and elearning_access.can_read(user),
        "nav_media": user is not None and media_access.can_read(user),
        "nav_partners": user is not None and partners_access.can_read(user),
        "sees_kpi": user is not None and user.is_authenticated and sees_dashboards(user),
        "sees_records": user is not None and sees_records(user),
    }
