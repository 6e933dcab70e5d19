"""WhatsApp messages filed per second with 1, 2 and 3 `pintu worker` processes sharing
the PostgreSQL queue, each as if on its own host (its own temporary folder).

    scripts/with-postgres bash -c '.venv/bin/pintu migrate -v0 && .venv/bin/pintu sop load \
        && .venv/bin/python bench/workers.py [--messages 2000] [--workers 1 2 3]'

For each number of workers it posts ``--messages`` signed webhook bodies (one message
each, from ``--senders`` numbers) as Meta would, starts the workers, and times them from
their start until every body is split and every message filed; the rate counts from
the first message filed to the last, so that start-up is not in it. Then it checks that
each message was filed exactly once and that each sender has exactly one request
(the first message opens it, the others continue it). Prints messages per second and
writes ``bench/results/workers-<date>.json``. See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")
# The bodies all come from this one address: lift the webhook's per-address limit.
os.environ["PINTU_RATE_WEBHOOK_PER_MINUTE"] = "1000000"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from pintu.doors.models import InboundMessage, WebhookDelivery  # noqa: E402
from pintu.doors.tests.whatsapp_samples import APP_SECRET, batch, post  # noqa: E402
from pintu.site.tests.hosts import host_worker  # noqa: E402


def one_round(workers: int, messages: int, senders: int) -> dict[str, object]:
    run = uuid.uuid4()
    tag = run.hex[:8]
    numbers = f"628{run.int % 10_000:04d}"
    client = Client()
    for body in batch(messages, senders=senders, tag=tag, at=timezone.now(), numbers=numbers):
        if post(client, body).status_code != 200:
            raise SystemExit("the webhook refused a body")
    environ = {
        **os.environ,
        "PINTU_WHATSAPP_APP_SECRET": APP_SECRET,
        "PINTU_LOG_LEVEL": "WARNING",
    }
    folders = [Path(tempfile.mkdtemp(prefix="pintu-worker-")) for _ in range(workers)]
    started = time.perf_counter()
    processes = [host_worker(environ, folder, "--interval", "0.1") for folder in folders]
    ours = InboundMessage.objects.filter(dedupe_key__startswith=f"whatsapp:wamid.{tag}-")
    try:
        while (
            WebhookDelivery.objects.filter(processed_at__isnull=True).exists()
            or ours.filter(outcome=InboundMessage.Outcome.PENDING).exists()
            or ours.count() < messages
        ):
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(60)
    filed = ours.exclude(outcome=InboundMessage.Outcome.PENDING).count()
    # From the first message filed to the last: the workers' start-up (Django, the
    # queue's random start delay) is not filing.
    span = ours.aggregate(first=Min("processed_at"), last=Max("processed_at"))
    filing = (span["last"] - span["first"]).total_seconds()
    per_sender = (
        ours.exclude(ticket=None)
        .values("ticket__contact")
        .annotate(requests=Count("ticket", distinct=True))
    )
    doubled = sum(1 for row in per_sender if row["requests"] != 1)
    return {
        "operation": f"whatsapp messages filed, {workers} worker(s)",
        "system": "pintu",
        "workers": workers,
        "messages": messages,
        "filed": filed,
        "senders_with_more_than_one_request": doubled,
        "seconds_with_start": round(elapsed, 2),
        "seconds_filing": round(filing, 2),
        "per_second": round((filed - 1) / filing, 1) if filing else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    options = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PINTU_WHATSAPP_APP_SECRET = APP_SECRET
    if connection.vendor != "postgresql":
        print("note: SQLite takes one writer at a time; run it on PostgreSQL", file=sys.stderr)
    results = [one_round(n, options.messages, options.senders) for n in options.workers]
    print(
        f"{connection.vendor}; {options.messages} messages from {options.senders} senders; "
        f"Python {platform.python_version()}; {os.cpu_count()} CPUs; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print("| workers | s filing (with start-up) | messages/s | filed | senders with 2+ requests |")
    print("|---|---|---|---|---|")
    for row in results:
        print(
            f"| {row['workers']} | {row['seconds_filing']} ({row['seconds_with_start']}) "
            f"| {row['per_second']} | {row['filed']} "
            f"| {row['senders_with_more_than_one_request']} |"
        )
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    (folder / f"workers-{date.today().isoformat()}.json").write_text(json.dumps(results, indent=1))
    ok = all(
        row["filed"] == row["messages"] and row["senders_with_more_than_one_request"] == 0
        for row in results
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
