"""WhatsApp messages filed per second by one worker, from signed webhook bodies.

    .venv/bin/python bench/ingest_whatsapp.py [--messages 2000] [--per-body 1] [--senders 200]

Run it against a database that has its migrations and the SOPs (``pintu migrate``,
``pintu sop load``), under a PINTU_VAR_DIR of its own (it adds requests) or against
PostgreSQL through DATABASE_URL. It first POSTs the bodies to ``/webhooks/whatsapp`` with
their signatures, as Meta would (what the web process does per call: check the HMAC,
store the raw body, enqueue the task), then times the worker's step alone: unpack every
body and file every message, the first of each sender opening a request and the others
continuing it. No media: a download is a network call whose time is Meta's. See
README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import uuid
from pathlib import Path

# Run from anywhere: pintu is imported from the repository root.
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")  # no SQL logging, as in production

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from pintu.doors.models import InboundMessage, WebhookDelivery  # noqa: E402
from pintu.doors.tests.whatsapp_samples import APP_SECRET, batch, post  # noqa: E402
from pintu.doors.whatsapp.ingest import ingest  # noqa: E402
from pintu.sop.models import Sop  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages in all")
    parser.add_argument("--per-body", type=int, default=1, help="messages per webhook body")
    parser.add_argument("--senders", type=int, default=200, help="distinct WhatsApp numbers")
    options = parser.parse_args()
    if not Sop.objects.filter(unit__code=settings.PINTU_WHATSAPP_UNIT).exists():
        raise SystemExit(f"no SOP for {settings.PINTU_WHATSAPP_UNIT}: run `pintu sop load` first")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PINTU_WHATSAPP_APP_SECRET = APP_SECRET
    pending = WebhookDelivery.objects.filter(processed_at__isnull=True).count()
    if pending:
        raise SystemExit(f"{pending} webhook bodies wait already: let a worker file them first")

    bodies = options.messages // options.per_body
    run = uuid.uuid4()
    documents = batch(
        bodies,
        per_body=options.per_body,
        senders=options.senders,
        tag=run.hex[:8],  # a fresh run never collides with an earlier one
        at=timezone.now(),
        numbers=f"628{run.int % 10_000:04d}",  # nor continues its requests
    )
    client = Client()
    started = time.perf_counter()
    for body in documents:
        if post(client, body).status_code != 200:
            raise SystemExit("the webhook refused a body")
    accepted = time.perf_counter() - started

    first = InboundMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started, cpu = time.perf_counter(), time.process_time()
    while not ingest().finished:
        pass
    filed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = InboundMessage.objects.filter(id__gt=first)
    messages = rows.count()
    outcomes = {o: rows.filter(outcome=o).count() for o in ("created", "appended", "quarantined")}

    vendor = connection.vendor
    print(f"database: {vendor}; python {platform.python_version()}; {platform.machine()}")
    print(
        f"webhook: {bodies} signed bodies accepted in {accepted:.2f} s "
        f"= {bodies / accepted:.0f} bodies/s (one process, test client)"
    )
    print(
        f"worker:  {messages} messages filed in {filed:.2f} s = {messages / filed:.0f} messages/s "
        f"({outcomes['created']} new requests, {outcomes['appended']} continued, "
        f"{outcomes['quarantined']} quarantined)"
    )
    database_time = (
        "SQLite's work included" if vendor == "sqlite" else "the database server's not included"
    )
    print(
        f"         {cpu:.2f} s of CPU in this process = {messages / cpu:.0f} messages per CPU "
        f"second ({database_time}; unlike the wall clock, other load on the machine does not "
        "lower it)"
    )


if __name__ == "__main__":
    main()
