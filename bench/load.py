"""Load on a real server: staff sessions, portal submissions and WhatsApp webhooks at once.

    scripts/with-postgres bash -c '.venv/bin/pintu migrate && .venv/bin/pintu sop load \
        && .venv/bin/python bench/load.py [--seconds 300] [--staff 50]'

Starts gunicorn (``--web-workers`` sync workers) and one ``pintu worker`` on 127.0.0.1
against the database of DATABASE_URL, then for ``--seconds``: ``--staff`` staff, each
signed in through the real login form and its second factor (an authenticator code),
open the queue, poll it and open a ticket, with ``--think`` seconds between pages;
``--requesters`` people submit the portal's request form; ``--webhooks`` senders post
signed WhatsApp notifications as Meta does. Afterwards it waits for the worker to file
every message and checks that nothing failed (no 5xx, no 429, no refused connection),
that every submission is stored exactly once, and that every WhatsApp message became
exactly one filed message. Prints median, p95 and throughput per operation and writes
them to ``bench/results/load-<date>.json``. See README.md. Not a test: nothing fails a
build; the exit code is 1 when a check above fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")
# One address sends everything here: lift the per-address limits for the run.
LIMITS = {
    "PINTU_RATE_LOGIN_PER_5_MINUTES": "100000",
    "PINTU_RATE_PORTAL_PER_HOUR": "100000",
    "PINTU_RATE_WEBHOOK_PER_MINUTE": "100000",
    "PINTU_LOGIN_FAILURE_LIMIT": "1000",
}
os.environ.update(LIMITS)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.browser import PASSWORD, Recorder, authenticator_code, form_post, sign_in  # noqa: E402
from pintu.desk.models import Ticket  # noqa: E402
from pintu.doors.models import InboundMessage, WebhookDelivery  # noqa: E402
from pintu.doors.tests.whatsapp_samples import APP_SECRET, message, sign, webhook  # noqa: E402
from pintu.org import services, twofactor  # noqa: E402
from pintu.org.models import Role, Unit, User  # noqa: E402

KEY = "6c6f61642d62656e63682d70696e74752d32303236"  # the run's authenticator key
FORM = reverse("portal-request", args=["PR.33.8", "layanan-ringan"])


def people(staff: int, requesters: int) -> tuple[list[str], list[str], list[str]]:
    """The run's staff (each with the run's authenticator) and requesters, and a few
    tickets for staff to open."""
    unit = Unit.objects.get(code="UPT-SI")
    made = []
    for prefix, count, role, where in (
        ("beban-staf", staff, Role.STAFF, unit),
        ("beban-pemohon", requesters, Role.REQUESTER, Unit.objects.get(code="TRPL")),
    ):
        names = []
        for n in range(count):
            username = f"{prefix}-{n:03d}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = services.user_create(actor=None, username=username, password=PASSWORD)
            services.membership_grant(actor=None, user=user, role=role, unit=where)
            if role == Role.STAFF:
                TOTPDevice.objects.filter(user=user).delete()
                twofactor.demo_device(user=user, key=KEY)
            names.append(username)
        made.append(names)
    references = list(
        Ticket.objects.filter(unit=unit).order_by("-id").values_list("reference", flat=True)[:50]
    )
    return made[0], made[1], references


@dataclass(frozen=True)
class Load:
    rec: Recorder
    base: str
    stop: float  # time.monotonic() at which every loop ends
    think: float


def staff_loop(load: Load, username: str, refs: list[str]) -> None:
    rec, base, stop, think = load.rec, load.base, load.stop, load.think
    browser = sign_in(rec, base, username, code=lambda: authenticator_code(username))
    if browser is None:
        return
    rows = reverse("desk-queue-rows")
    while time.monotonic() < stop:
        rec.call("staff queue page", browser, base + "/desk/")
        time.sleep(think)
        rec.call("staff queue poll", browser, base + rows)
        time.sleep(think)
        if refs:
            rec.call("ticket page", browser, base + f"/desk/t/{random.choice(refs)}/")
            time.sleep(think)


def requester_loop(load: Load, username: str, sent: list[str]) -> None:
    rec, base, stop, think = load.rec, load.base, load.stop, load.think
    browser = sign_in(rec, base, username)
    if browser is None:
        return
    n = 0
    while time.monotonic() < stop:
        subject = f"beban {username} {n}"
        status, _, final = form_post(
            rec,
            "portal submission",
            browser,
            base + FORM,
            {
                "subject": subject,
                "body": "Jaringan di ruang dosen putus-putus.",
                "field_jenis": "Perbaikan koneksi jaringan kabel/nirkabel",
                "field_lokasi": "Gedung utama lantai 3",
            },
        )
        if status == 200 and "/terkirim/" in final:
            with rec.lock:
                sent.append(subject)
        n += 1
        time.sleep(think)


def webhook_loop(load: Load, sender: int, ids: list[str]) -> None:
    rec, base, stop, think = load.rec, load.base, load.stop, load.think
    browser = urllib.request.build_opener()
    n = 0
    while time.monotonic() < stop:
        message_id = f"wamid.beban-{sender}-{n}-{time.time_ns()}"
        body = webhook(message(message_id, f"62813{sender:07d}", text=f"Halo {n}"))
        status, _, _ = rec.call(
            "whatsapp webhook",
            browser,
            base + "/webhooks/whatsapp",
            body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(body, APP_SECRET),
            },
        )
        if status == 200:
            with rec.lock:
                ids.append(message_id)
        n += 1
        time.sleep(think / 4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--requesters", type=int, default=10)
    parser.add_argument("--webhooks", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between pages")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL (DATABASE_URL); the figures are SQLite's", file=sys.stderr)
    staff, requesters, refs = people(options.staff, options.requesters)
    environ = {
        **os.environ,
        "PINTU_WHATSAPP_APP_SECRET": APP_SECRET,
        "PINTU_LOG_LEVEL": "WARNING",
        **LIMITS,
    }
    bin_dir = Path(sys.executable).parent
    web = subprocess.Popen(  # noqa: S603
        [
            str(bin_dir / "gunicorn"),
            "pintu.wsgi",
            "-w",
            str(options.web_workers),
            "-b",
            f"127.0.0.1:{options.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environ,
    )
    worker = subprocess.Popen([str(bin_dir / "pintu"), "worker"], cwd=ROOT, env=environ)  # noqa: S603
    base = f"http://127.0.0.1:{options.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        rec = Recorder()
        sent: list[str] = []
        ids: list[str] = []
        started = time.monotonic()
        stop = started + options.seconds
        load = Load(rec, base, stop, options.think)
        threads = [
            *(threading.Thread(target=staff_loop, args=(load, u, refs)) for u in staff),
            *(threading.Thread(target=requester_loop, args=(load, u, sent)) for u in requesters),
            *(
                threading.Thread(target=webhook_loop, args=(load, n, ids))
                for n in range(options.webhooks)
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            # A webhook's body is stored at once and split into messages by the worker.
            unsplit = WebhookDelivery.objects.filter(processed_at__isnull=True).exists()
            pending = InboundMessage.objects.filter(outcome=InboundMessage.Outcome.PENDING).exists()
            if not (unsplit or pending):
                break
            time.sleep(1)
    finally:
        web.terminate()
        worker.terminate()
        web.wait(30)
        worker.wait(30)

    stored = Ticket.objects.filter(subject__in=sent).values_list("subject", flat=True)
    counts: dict[str, int] = defaultdict(int)
    for subject in stored:
        counts[subject] += 1
    doubled = sorted(s for s, c in counts.items() if c > 1)
    missing = sorted(set(sent) - set(counts))
    keys = [f"whatsapp:{i}" for i in ids]
    filed = InboundMessage.objects.filter(dedupe_key__in=keys)
    not_filed = filed.exclude(
        outcome__in=[InboundMessage.Outcome.CREATED, InboundMessage.Outcome.APPENDED]
    ).count()
    lost = len(keys) - filed.count()

    results = []
    print(
        f"{connection.vendor}; {options.seconds} s; {options.staff} staff, {options.requesters} "
        f"requesters, {options.webhooks} webhook senders; think {options.think} s; gunicorn "
        f"{options.web_workers} sync workers + 1 pintu worker; Python "
        f"{platform.python_version()}; {os.cpu_count()} CPUs; load average at the end "
        f"{os.getloadavg()[0]:.1f}"
    )
    print("| operation | n | median ms | p95 ms | per s | errors |\n|---|---|---|---|---|---|")
    for name in sorted(rec.times):
        times = rec.times[name]
        p95 = (
            statistics.quantiles(times, n=20, method="inclusive")[18]
            if len(times) > 1
            else times[0]
        )
        row = {
            "operation": name,
            "system": "pintu",
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95, 1),
            "n": len(times),
            "per_second": round(len(times) / elapsed, 1),
            "errors": len(rec.errors.get(name, [])),
        }
        results.append(row)
        print(
            f"| {name} | {row['n']} | {row['median_ms']} | {row['p95_ms']} | "
            f"{row['per_second']} | {row['errors']} |"
        )
    errors = {name: found[:5] for name, found in rec.errors.items() if found}
    checks = {
        "submissions": len(sent),
        "submissions_missing": len(missing),
        "submissions_doubled": len(doubled),
        "whatsapp_messages": len(keys),
        "whatsapp_lost": lost,
        "whatsapp_not_filed": not_filed,
        "errors": sum(len(found) for found in rec.errors.values()),
    }
    print(json.dumps(checks), "\nfirst errors:", json.dumps(errors, ensure_ascii=False))
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    (folder / f"load-{date.today().isoformat()}.json").write_text(
        json.dumps(
            {
                "results": results,
                "checks": checks,
                "options": vars(options),
                "database": connection.vendor,
                "load_average": os.getloadavg()[0],
            },
            indent=1,
        )
    )
    ok = not (missing or doubled or lost or not_filed or checks["errors"])
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
