"""Pintu's bench data, written out for django-helpdesk's loader (``load.py``).

    .venv/bin/python bench/peer/export.py DIRECTORY

Run with Pintu's environment (DATABASE_URL) after ``pintu seed bench``. Writes, as CSV
streamed by PostgreSQL's ``COPY`` from queries the ORM builds: ``units.csv`` (code,
name), ``people.csv`` (username, e-mail, full name, whether they work in a unit),
``tickets.csv`` (one row per ticket: id, unit, subject, status, priority, the
requester's or contact's e-mail, the assignee, received, updated, resolution due) and
``articles.csv`` (ticket, kind, written, author, text); and ``reference.json``, what the
comparison signs in as on both sides (the requester with the most requests). The peer
gets the same tickets with the same ids, so both systems open the same ticket.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, QuerySet  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402

from bench.pintu_system import STAFF, requester_with_most_tickets  # noqa: E402
from pintu.desk.models import Article, Ticket  # noqa: E402
from pintu.org.models import Membership, Role, Unit, User  # noqa: E402

WORKING = (Role.STAFF, Role.SUPERVISOR, Role.HEAD)


def copy_out(queryset: QuerySet, path: Path) -> int:
    """Stream ``queryset``'s rows (a ``values_list``) to ``path`` as CSV; bytes written."""
    sql, params = queryset.query.sql_with_params()
    written = 0
    with connection.cursor() as cursor, path.open("wb") as out:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        with raw.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
            for chunk in copy:
                out.write(chunk)
                written += len(chunk)
    return written


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.strip().splitlines()[2])
    if connection.vendor != "postgresql":
        raise SystemExit("export.py reads PostgreSQL (DATABASE_URL): the peer runs there too")
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    works = Membership.objects.filter(user=OuterRef("pk"), role__in=WORKING)
    tables = {
        "units.csv": Unit.objects.filter(tickets__isnull=False)
        .distinct()
        .order_by("code")
        .values_list("code", "name"),
        "people.csv": User.objects.order_by("id").values_list(
            "username", "email", "full_name", Exists(works)
        ),
        "tickets.csv": Ticket.objects.order_by()
        .annotate(submitter=Coalesce("requester__email", "contact__email"))
        .values_list(
            "id",
            "unit__code",
            "subject",
            "status",
            "priority",
            "submitter",
            "assignee__username",
            "received_at",
            "updated_at",
            "resolution_due_at",
        ),
        "articles.csv": Article.objects.order_by().values_list(
            "ticket_id", "kind", "created_at", "author__username", "body"
        ),
    }
    for name, queryset in tables.items():
        size = copy_out(queryset, folder / name)
        print(f"export: {name} {size / 1e6:.1f} MB", file=sys.stderr)
    requester = requester_with_most_tickets()
    reference = {"tickets": Ticket.objects.count(), "requester": requester, "staff": STAFF}
    (folder / "reference.json").write_text(json.dumps(reference))
    print(f"export: done in {time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
