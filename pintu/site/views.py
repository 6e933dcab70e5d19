"""Pages every user shares: home, health check, audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from pintu import __version__
from pintu.core.heartbeat import current_worker_health
from pintu.core.models import AuditEvent
from pintu.desk.access import work_unit_ids
from pintu.org import access


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and `make run`'s users, and
    the worker's last heartbeat. A stale worker is reported, not failed: the web still
    answers 200; only a database it cannot read gives 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        worker = current_worker_health(now=timezone.now())
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
        }
    )


def home(request: HttpRequest) -> HttpResponse:
    """Staff land on their queue, everyone else on the service catalogue."""
    if not request.user.is_authenticated:
        return redirect("login")
    if work_unit_ids(request.user) or access.can_read_everything(request.user):
        return redirect("desk-queue")
    return redirect("portal-home")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not access.can_read_audit_log(request.user):
        raise PermissionDenied
    events = AuditEvent.objects.select_related("actor", "unit")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = f"{urlencode({'action': action})}&" if action else ""
    return render(request, "site/audit_log.html", {"page": page, "action": action, "query": query})
