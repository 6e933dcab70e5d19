"""Server time of the staff queue, the ticket page and the portal list on bench data.

    .venv/bin/python bench/desk_queue.py [--runs 200]

Run it after ``pintu seed bench --tickets N`` against the same database (SQLite under
PINTU_VAR_DIR, or PostgreSQL through DATABASE_URL). For each read it prints the median
and 95th percentile over ``--runs`` calls and the queries one call makes; on PostgreSQL
it prints the ``EXPLAIN (ANALYZE, BUFFERS)`` of the queue's query and whether
``ticket_queue_idx`` serves it (SQLite: its ``EXPLAIN QUERY PLAN``). See README.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run from anywhere: pintu is imported from the repository root.
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
# Measure what production runs: no SQL logging, no debug pages.
os.environ.setdefault("PINTU_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from pintu.desk import portal_selectors, selectors  # noqa: E402
from pintu.desk.bench import explain_queue, queue_sql  # noqa: E402
from pintu.desk.models import ACTIVE_STATUSES, Ticket  # noqa: E402
from pintu.org.models import Role, Unit, User  # noqa: E402

WARM_UP = 5


def measure(name: str, call: Callable[[], Any], runs: int) -> None:
    """Print median and p95 of ``call`` in milliseconds, and its query count; a page
    that fails is reported and skipped, so that one broken page spoils no run."""
    try:
        for _ in range(WARM_UP):
            call()
        with CaptureQueriesContext(connection) as captured:
            call()
    except Exception as error:
        print(f"  {name:<50} failed: {error.__class__.__name__}: {error}")
        return
    queries = len(captured)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    print(f"  {name:<50} {statistics.median(times):8.1f} {p95:8.1f} {queries:8d}")


def url(name: str, **kwargs: Any) -> str | None:
    """The page's address, or None while that page does not exist yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def get(client: Client, path: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"answered {response.status_code}")
        return response

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="calls per measurement")
    runs = parser.parse_args().runs
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    busiest = (
        Ticket.objects.filter(status__in=ACTIVE_STATUSES)
        .values("unit")
        .annotate(active=Count("id"))
        .order_by("-active")
        .first()
    )
    if busiest is None:
        raise SystemExit("no active tickets: run `pintu seed bench --tickets N` first")
    unit = Unit.objects.get(pk=busiest["unit"])
    staff = User.objects.filter(
        memberships__unit=unit, memberships__role=Role.STAFF, username__startswith="bench-"
    ).first()
    requester = (
        User.objects.filter(username__startswith="bench-pemohon-")
        .annotate(tickets=Count("requested_tickets"))
        .order_by("-tickets")
        .first()
    )
    if staff is None or requester is None:
        raise SystemExit("no bench people: run `pintu seed bench --tickets N` first")
    now = timezone.now()
    rows = selectors.queue(viewer=staff, unit=unit, filters=selectors.QueueFilter(), now=now)
    references = [row.ticket.reference for row in rows[:20]]
    vendor = connection.vendor
    version = connection.cursor().connection.info.server_version if vendor == "postgresql" else ""
    print(
        f"database: {vendor} {version or ''}".rstrip() + f"; {Ticket.objects.count()} tickets; "
        f"Python {platform.python_version()}; {os.cpu_count()} CPUs; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"busiest unit: {unit.code} with {busiest['active']} active tickets; {runs} runs each")
    print(f"  {'':<50} {'median':>8} {'p95':>8} {'queries':>8}")
    print(f"  {'':<50} {'ms':>8} {'ms':>8}")

    measure(
        f"queue selector ({unit.code}, {len(rows)} rows)",
        lambda: selectors.queue(
            viewer=staff, unit=unit, filters=selectors.QueueFilter(), now=timezone.now()
        ),
        runs,
    )
    if hasattr(selectors, "new_since"):
        # The queue page asks it on every load and poll: how many arrived meanwhile.
        measure(
            "queue live check selector (new_since)",
            lambda: selectors.new_since(viewer=staff, unit=unit, since=timezone.now()),
            runs,
        )
    position = iter(range(10**9))

    def ticket_page() -> None:
        reference = references[next(position) % len(references)]
        ticket = selectors.ticket_get(viewer=staff, reference=reference)
        selectors.ticket_conversation(viewer=staff, ticket=ticket)
        selectors.ticket_steps(ticket)

    measure("ticket page selectors (get, conversation, steps)", ticket_page, runs)
    measure(
        f"portal list selector ({requester.username})",
        lambda: portal_selectors.my_requests(viewer=requester, now=timezone.now()),
        runs,
    )

    # The plan before the pages: a page that breaks must not cost it.
    sql = queue_sql(viewer=staff, unit=unit, now=now)
    plan = explain_queue(sql)

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # failures print once
    client = Client()
    client.force_login(staff)
    pages = [
        ("queue page", url("desk-queue"), f"?unit={unit.code}"),
        ("queue poll", url("desk-queue-rows"), f"?unit={unit.code}"),
        ("ticket page", url("desk-ticket", reference=references[0]), ""),
    ]
    for name, path, query in pages:
        if path is not None:
            measure(f"{name} GET {path}{query}", get(client, path + query), runs)
    portal = url("portal-my-requests")
    if portal is not None:
        requester_client = Client()
        requester_client.force_login(requester)
        measure(f"portal list GET {portal}", get(requester_client, portal), runs)

    print()
    print("queue query:")
    print(f"  {sql}")
    explain = "EXPLAIN (ANALYZE, BUFFERS)" if vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    print(f"plan ({explain}):")
    for line in plan.splitlines():
        print(f"  {line}")
    print(f"ticket_queue_idx serves the queue: {'yes' if 'ticket_queue_idx' in plan else 'NO'}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
