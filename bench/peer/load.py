"""Pintu's bench tickets loaded into django-helpdesk, from what ``export.py`` wrote.

    var/bench-peer-venv/bin/python bench/peer/load.py DIRECTORY

Run in the peer's virtual environment with PEER_DATABASE_URL (a migrated, empty
database). Each Pintu unit becomes a queue, each person a user (those who work in a
unit are staff), each ticket a ticket with the same id, and each of its messages a
follow-up (the first one is also the ticket's description, as django-helpdesk keeps
it; the reply that resolved it is its resolution). Statuses: new and open are Open,
waiting for the requester or a third party is Open and on hold, resolved and closed
are Resolved and Closed. Rows go in with ``COPY`` into scratch tables, then one
``INSERT ... SELECT`` per table, as django-helpdesk's own columns want them.

The run's staff member (the same name as Pintu's, with the run's password) is made
here; so is the password of the requester the comparison signs in as. Pintu's per-
service details (``fields``) are not carried over: django-helpdesk would keep them as
custom fields, one more query per field and ticket on its lists.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from helpdesk.models import Queue, UserSettings  # noqa: E402

from bench.browser import PASSWORD  # noqa: E402

SCRATCH = """
CREATE TEMPORARY TABLE pintu_ticket (
    id integer, unit text, subject text, status text, priority text, submitter text,
    assignee text, received timestamptz, updated timestamptz, due timestamptz
) ON COMMIT DROP;
CREATE TEMPORARY TABLE pintu_article (
    n bigserial, ticket integer, kind text, written timestamptz, author text, body text
) ON COMMIT DROP;
"""

# The first message of each ticket, and its last one when that is the resolving reply.
ENDS = """
CREATE TEMPORARY TABLE pintu_end ON COMMIT DROP AS
SELECT ticket,
       (array_agg(body ORDER BY written, n))[1] AS first_body,
       (array_agg(kind ORDER BY written DESC, n DESC))[1] AS last_kind,
       (array_agg(body ORDER BY written DESC, n DESC))[1] AS last_body,
       min(n) AS first_n,
       max(n) FILTER (WHERE kind = 'reply') AS last_reply
FROM pintu_article GROUP BY ticket;
CREATE INDEX ON pintu_end (ticket);
"""

TICKETS = """
INSERT INTO helpdesk_ticket (
    id, title, created, modified, submitter_email, status, on_hold, description,
    resolution, priority, due_date, assigned_to_id, queue_id, secret_key
)
SELECT t.id, left(t.subject, 200), t.received, t.updated, t.submitter,
       CASE t.status WHEN 'resolved' THEN 3 WHEN 'closed' THEN 4 ELSE 1 END,
       t.status IN ('waiting_requester', 'waiting_third_party'),
       e.first_body,
       CASE WHEN t.status IN ('resolved', 'closed') AND e.last_kind = 'reply'
            THEN e.last_body END,
       CASE t.priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 2 WHEN 'low' THEN 4 ELSE 3 END,
       t.due, u.id, q.id, gen_random_uuid()::text
FROM pintu_ticket t
JOIN helpdesk_queue q ON q.slug = lower(t.unit)
LEFT JOIN auth_user u ON u.username = t.assignee
LEFT JOIN pintu_end e ON e.ticket = t.id
ORDER BY t.id
"""

FOLLOW_UPS = """
INSERT INTO helpdesk_followup (
    ticket_id, date, title, comment, public, user_id, new_status, message_id,
    time_spent, email_recipients
)
SELECT a.ticket, a.written,
       CASE WHEN a.n = e.first_n THEN 'Ticket Opened'
            WHEN a.kind = 'inbound' THEN 'E-Mail Received from ' || coalesce(t.submitter, '')
            WHEN a.n = e.last_reply AND t.status IN ('resolved', 'closed') THEN 'Resolved'
            ELSE 'Comment' END,
       a.body, a.kind <> 'note',
       CASE WHEN a.kind <> 'inbound' THEN u.id END,
       CASE WHEN a.n = e.last_reply AND t.status IN ('resolved', 'closed') THEN 3 END,
       NULL, NULL, NULL
FROM pintu_article a
JOIN pintu_ticket t ON t.id = a.ticket
JOIN pintu_end e ON e.ticket = a.ticket
LEFT JOIN auth_user u ON u.username = a.author
ORDER BY a.ticket, a.written, a.n
"""


def copy_in(table: str, columns: str, path: Path) -> None:
    with connection.cursor() as cursor, path.open("rb") as source:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            while chunk := source.read(1 << 20):
                copy.write(chunk)


def people(folder: Path, reference: dict[str, str]) -> None:
    """Every person as a user (no password: nobody signs in as them), the run's staff
    member, and the requester the comparison signs in as."""
    unusable = make_password(None)
    with (folder / "people.csv").open(newline="") as source:
        rows = list(csv.reader(source))
    users = User.objects.bulk_create(
        [
            User(
                username=username,
                email=email,
                first_name=full_name[:150],
                is_staff=works == "t",
                password=unusable,
            )
            for username, email, full_name, works in rows
            if username != reference["staff"]
        ]
    )
    # The profile django-helpdesk makes on post_save, which bulk_create does not send.
    UserSettings.objects.bulk_create([UserSettings(user=user) for user in users])
    staff = User.objects.create_user(
        reference["staff"], f"{reference['staff']}@si.example.ac.id", PASSWORD, is_staff=True
    )
    UserSettings.objects.filter(user=staff).update(tickets_per_page=100)
    requester = User.objects.get(username=reference["requester"])
    requester.set_password(PASSWORD)
    requester.save(update_fields=["password"])


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.strip().splitlines()[2])
    folder = Path(sys.argv[1])
    reference = json.loads((folder / "reference.json").read_text())
    if Queue.objects.exists():
        raise SystemExit("load.py needs an empty, migrated database (PEER_DATABASE_URL)")
    started = time.monotonic()
    with transaction.atomic():
        with (folder / "units.csv").open(newline="") as source:
            Queue.objects.bulk_create(
                [
                    Queue(title=name[:100], slug=code.lower(), allow_email_submission=False)
                    for code, name in csv.reader(source)
                ]
            )
        people(folder, reference)
        with connection.cursor() as cursor:
            cursor.execute(SCRATCH)
        copy_in(
            "pintu_ticket",
            "id, unit, subject, status, priority, submitter, assignee, received, updated, due",
            folder / "tickets.csv",
        )
        copy_in("pintu_article", "ticket, kind, written, author, body", folder / "articles.csv")
        with connection.cursor() as cursor:
            cursor.execute(ENDS)
            cursor.execute(TICKETS)
            tickets = cursor.rowcount
            cursor.execute(FOLLOW_UPS)
            follow_ups = cursor.rowcount
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('helpdesk_ticket', 'id'), "
                "(SELECT max(id) FROM helpdesk_ticket))"
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if tickets != reference["tickets"]:
        raise SystemExit(f"loaded {tickets} tickets of {reference['tickets']}")
    print(
        f"peer: {tickets} tickets, {follow_ups} follow-ups, {User.objects.count()} users "
        f"in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
