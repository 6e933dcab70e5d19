"""Pages every user shares: home, health check, and the audit log with its exports."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pintu import __version__
from pintu.core.downloads import csv_download, xlsx_download
from pintu.core.heartbeat import current_worker_health
from pintu.core.reaper import queue_health
from pintu.core.selectors import audit_events
from pintu.desk.access import work_unit_ids
from pintu.doors.health import door_health
from pintu.org import access
from pintu.outbox.selectors import transport_health
from pintu.site.audit_log import EXPORT_WIDTHS, audit_entry, export_header, export_row
from pintu.site.forms import AuditFilterForm

# Short enough that a page of cards reads on a phone.
AUDIT_PAGE_SIZE = 25


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and `make run`'s users, the
    worker's last heartbeat, the task queue, and each door and outside system's last
    success (what a monitor alerts on: a door silent for too long, deliveries failing).
    A stale worker is reported, not failed: the web still answers 200; only a database
    it cannot read gives 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        now = timezone.now()
        worker = current_worker_health(now=now)
        queue = queue_health(now=now)
        doors = door_health()
        transports = transport_health()
    except Exception as error:  # the health check reports any failure instead of raising
        return JsonResponse(
            {"status": "error", "database": str(error), "version": __version__}, status=503
        )
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "version": __version__,
            "worker": {
                "status": worker.status,
                "last_beat_at": worker.last_beat_at.isoformat() if worker.last_beat_at else None,
                "running": worker.running,
            },
            "tasks": dataclasses.asdict(queue),
            "doors": doors,
            "transports": transports,
        }
    )


def home(request: HttpRequest) -> HttpResponse:
    """Staff land on their queue, everyone else on the service catalogue."""
    if not request.user.is_authenticated:
        return redirect("login")
    if work_unit_ids(request.user) or access.can_read_everything(request.user):
        return redirect("desk-queue")
    return redirect("portal-home")


def _audit_log_reader(request: HttpRequest) -> None:
    if not access.can_read_audit_log(request.user):
        raise PermissionDenied


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    _audit_log_reader(request)
    form = AuditFilterForm(request.GET)
    page = Paginator(audit_events(**form.filters()), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "entries": [audit_entry(event) for event in page],
        "filters": form.described(),
        "query": form.query(),
    }
    return render(request, "site/audit_log.html", context)


def _audit_export_name(extension: str) -> str:
    return f"audit-log-{timezone.localdate():%Y-%m-%d}.{extension}"


def _audit_export_rows(request: HttpRequest) -> Iterator[list[Any]]:
    events = audit_events(**AuditFilterForm(request.GET).filters())
    # Every row that matches, however many: read in chunks, never all at once.
    return (export_row(event) for event in events.iterator(chunk_size=2000))


@login_required
@require_GET
def audit_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    _audit_log_reader(request)
    rows = _audit_export_rows(request)
    return csv_download(_audit_export_name("csv"), export_header(), rows)


@login_required
@require_GET
def audit_log_xlsx(request: HttpRequest) -> FileResponse:
    _audit_log_reader(request)
    rows = _audit_export_rows(request)
    return xlsx_download(
        _audit_export_name("xlsx"), _("Audit log"), export_header(), rows, EXPORT_WIDTHS
    )
