"""Server time of the pages `make bench` times over HTTP, in one process, on bench data.

    .venv/bin/python bench/server_time.py [--runs 20] [NAME ...]

Run it against a database that ``pintu seed bench`` filled (PostgreSQL through
DATABASE_URL, or SQLite under PINTU_VAR_DIR). It asks Django itself, through its test
client, signed in without the login form: no gunicorn, no HTTP, no other system on the
machine, so that the time of one page before and after a change in its code can be
compared on the same data (the reads of ``make bench`` with the bench's own people:
UPT-SI's first staff member and head, and the requester with the most requests). NAMEs
pick some of the pages by a word of their name. See README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")
os.environ.setdefault("PINTU_TWO_FACTOR", "off")  # signed in directly, without a code

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from pintu.desk.models import Ticket  # noqa: E402
from pintu.org.models import User  # noqa: E402


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pages() -> list[tuple[str, Client, Callable[[int], str]]]:
    staff = signed_in(User.objects.get(username="bench-upt-si-staf-01"))
    head = signed_in(User.objects.get(username="bench-upt-si-kepala"))
    busiest = (
        Ticket.objects.filter(requester__username__startswith="bench-pemohon")
        .values("requester")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("requester", flat=True)
        .first()
    )
    if busiest is None:
        raise SystemExit("no bench requests here: run `pintu seed bench` first")
    requester = signed_in(User.objects.get(pk=busiest))
    newest = Ticket.objects.filter(unit__code="UPT-SI").order_by("-id")
    references = list(newest.values_list("reference", flat=True)[:2000:100])
    year = timezone.localdate().year
    return [
        ("queue page", staff, lambda i: "/desk/?unit=UPT-SI"),
        ("queue poll", staff, lambda i: "/desk/rows/?unit=UPT-SI"),
        ("ticket list JSON", staff, lambda i: "/api/v1/tickets?limit=25"),
        (
            "unit open tickets JSON",
            staff,
            lambda i: "/api/v1/tickets?unit=UPT-SI&status=open&limit=25",
        ),
        ("search", staff, lambda i: "/desk/?unit=UPT-SI&status=all&q=Aula"),
        ("ticket page", staff, lambda i: f"/desk/t/{references[i % len(references)]}/"),
        ("requester's list", requester, lambda i: "/permintaan-saya/"),
        ("KPIs of a unit-year", head, lambda i: f"/kpi/UPT-SI/{year}/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("names", nargs="*", help="only the pages with one of these words")
    options = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    load = os.getloadavg()[0]
    print(f"{Ticket.objects.count():,} tickets, {os.cpu_count()} CPUs, load average {load:.1f}")
    for name, client, path in pages():
        if options.names and not any(word in name for word in options.names):
            continue
        status = client.get(path(0)).status_code  # and warm the caches
        if status != 200:
            print(f"{name}: {path(0)} answered {status}")
            continue
        times = []
        for i in range(options.runs):
            started = time.perf_counter()
            client.get(path(i))
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(f"{name}: median {statistics.median(times):,.1f} ms, slowest {times[-1]:,.1f} ms")


if __name__ == "__main__":
    main()
