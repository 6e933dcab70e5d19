"""Issue #14's figures over HTTP: Pintu alone, or side by side with django-helpdesk.

    .venv/bin/python bench/compare.py [--peer-venv var/bench-peer-venv] [--rounds 30]

``make bench`` and ``make bench-peer`` run it on a throwaway PostgreSQL after ``pintu
seed bench`` (and, for the peer, ``peer/export.py`` and ``peer/load.py``); see
README.md. Each system runs its gunicorn (``--web-workers`` sync workers) on 127.0.0.1,
Pintu also its ``pintu worker``; staff and a requester sign in through the login form
(Pintu's staff with their authenticator code). Then ``--warm-up`` unrecorded rounds and
``--rounds`` recorded ones: every round does each operation once on each system, one
request after the other, the systems in turn (which goes first alternates by round), so
that both see the same machine at the same moment. Then, one system after the other:
a whole LED (Pintu), WhatsApp webhooks (Pintu), and the same ``--mails`` new e-mails,
then a reply to each, through IMAP (a private dovecot), and the peak memory of each
system's web and worker processes.

Writes ``bench/results/<date>.json``: a list of ``{"operation", "system", "median_ms",
"p95_ms", "n", "tickets"}`` (ingestion rows add ``per_second``, median and p95 being the
time between one message filed and the next; memory rows add ``peak_mb``; the peer's
rows add ``ratio``, its time over Pintu's), and ``<date>.md``, the Markdown table with
the machine and the command. ``--readme`` puts that table into bench/README.md. Not a
test: the exit code is 1 only when an operation failed or a message was not filed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.pintu_system import Pintu, choose  # noqa: E402
from bench.systems import Failure, Ingestion, Operation, free_port, percentile  # noqa: E402
from pintu.doors.tests.graph_server import graph_api  # noqa: E402
from pintu.doors.tests.imap_peer import HELPDESK, P4M, PASSWORDS, compose, start_dovecot  # noqa: E402
from pintu.doors.tests.smtp_peer import smtp_peer  # noqa: E402
from pintu.doors.tests.whatsapp_samples import batch  # noqa: E402

README = HERE / "README.md"
BEGIN, END = "<!-- compare:begin -->", "<!-- compare:end -->"
BODY = (
    "Selamat siang Bapak/Ibu,\n\n"
    "Saya tidak bisa masuk ke SIAKAD sejak pagi ini. Pesan yang muncul: kata sandi salah,\n"
    "padahal saya belum mengubahnya. Mohon bantuannya untuk mengatur ulang akun saya.\n\n"
    "Terima kasih,\n{name}\n"
)


STARTED = time.monotonic()


def say(what: str) -> None:
    """Progress on stderr, with the minutes since the start."""
    minutes, seconds = divmod(int(time.monotonic() - STARTED), 60)
    print(f"compare: {minutes}m{seconds:02d}s {what}", file=sys.stderr)


def mails(count: int) -> tuple[list[bytes], list[bytes]]:
    """``count`` new requests from as many senders, and a reply to each (In-Reply-To)."""
    tag = uuid.uuid4().hex[:8]
    new, replies = [], []
    for n in range(count):
        sender = f"Mahasiswa {tag} {n} <m{tag}{n}@mahasiswa.example.ac.id>"
        subject = f"Tidak bisa masuk SIAKAD ({tag}-{n})"
        first = compose(subject, sender=sender, body=BODY.format(name=f"Mahasiswa {n}"))
        new.append(first.as_bytes())
        reply = compose(
            f"Re: {subject}",
            sender=sender,
            body="Sudah saya coba lagi, masih belum bisa.\n",
            In_Reply_To=first["Message-ID"],
            References=first["Message-ID"],
        )
        replies.append(reply.as_bytes())
    return new, replies


class Run:
    """What a run measured, by operation and system, in the order first met."""

    def __init__(self) -> None:
        self.times: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.errors: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.requests: dict[tuple[str, str], str] = {}

    def timed(self, system: Any, operation: Operation, i: int, record: bool) -> None:
        key = (operation.name, system.name)
        self.requests[key] = operation.requests
        started = time.perf_counter()
        try:
            operation.run(i)
        except Failure as error:
            self.errors[key].append(str(error))
            return
        if record:
            self.times[key].append((time.perf_counter() - started) * 1000)


def rounds(run: Run, systems: Sequence[Any], warm_up: int, count: int) -> None:
    operations = {system.name: system.operations() for system in systems}
    names: list[str] = []
    for listed in operations.values():
        names += [o.name for o in listed if o.name not in names]
    for i in range(warm_up + count):
        order = list(systems) if i % 2 == 0 else list(reversed(systems))
        for name in names:
            for system in order:
                for operation in operations[system.name]:
                    if operation.name == name:
                        run.timed(system, operation, i, record=i >= warm_up)
        if i + 1 == warm_up or (i + 1 - warm_up) % 10 == 0:
            say(f"round {i + 1} of {warm_up + count}")


def time_row(run: Run, name: str, system: Any) -> dict[str, Any] | None:
    key = (name, system.name)
    times = run.times.get(key, [])
    if not times and not run.errors.get(key):
        return None
    return {
        "operation": name,
        "system": system.name,
        "median_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
        "n": len(times),
        "tickets": system.tickets,
        "requests": run.requests.get(key, ""),
        "errors": len(run.errors.get(key, [])),
    }


def ingestion_row(done: Ingestion, system: Any) -> dict[str, Any]:
    gaps = done.gaps_ms
    return {
        "operation": done.name,
        "system": system.name,
        "median_ms": round(statistics.median(gaps), 1) if gaps else None,
        "p95_ms": round(percentile(gaps, 0.95), 1) if gaps else None,
        "n": len(done.done_at),
        "tickets": system.tickets,
        "per_second": round(done.per_second, 1),
        "outcomes": done.outcomes,
        "requests": done.how,
    }


def with_ratios(rows: list[dict[str, Any]], reference: str) -> None:
    """The peer's figure over Pintu's: time, memory, or Pintu's rate over the peer's."""
    ours = {row["operation"]: row for row in rows if row["system"] == reference}
    for row in rows:
        base = ours.get(row["operation"])
        if row["system"] == reference or base is None:
            continue
        if row.get("per_second"):
            row["ratio"] = round(base["per_second"] / row["per_second"], 2)
        elif "peak_mb" in row:
            row["ratio"] = round(row["peak_mb"] / base["peak_mb"], 2)
        elif row["median_ms"] and base["median_ms"]:
            row["ratio"] = round(row["median_ms"] / base["median_ms"], 2)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    memory = next(
        int(line.split()[1]) / 1024 / 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    debian = Path("/etc/debian_version")
    system = f"Debian {debian.read_text().strip()}" if debian.exists() else platform.platform()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory:.0f} GB RAM, {system}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {server} "
        "(as scripts/with-postgres starts it: fsync off)"
    )


def cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "—"
    if "peak_mb" in row:
        return f"{row['peak_mb']:,.0f} MB"
    if row["median_ms"] is None:
        return f"failed ({row.get('errors', 0)} errors)"
    figures = f"{row['median_ms']:,.1f} / {row['p95_ms']:,.1f}"
    if "per_second" in row:
        return f"**{row['per_second']:,.1f}/s** ({figures} ms)"
    return figures


def table(rows: list[dict[str, Any]], systems: Sequence[Any], header: str) -> str:
    names: list[str] = []
    for row in rows:
        if row["operation"] not in names:
            names.append(row["operation"])
    found = {(row["operation"], row["system"]): row for row in rows}
    labels = [s.name for s in systems]
    lines = [header, ""]
    head = ["operation", *(f"{label}: median / p95 ms" for label in labels), "n"]
    if len(systems) > 1:
        head.insert(len(labels) + 1, f"{labels[1]} ÷ {labels[0]}")
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in names:
        cells = [name, *(cell(found.get((name, label))) for label in labels)]
        if len(systems) > 1:
            peer = found.get((name, labels[1]))
            cells.append(f"**{peer['ratio']:.2f}**" if peer and "ratio" in peer else "—")
        counts = {row["n"] for label in labels if (row := found.get((name, label)))}
        cells.append(" / ".join(str(n) for n in sorted(counts)))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "What each operation asks:", ""]
    lines += ["| operation | system | requests |", "|---|---|---|"]
    for name in names:
        for label in labels:
            row = found.get((name, label))
            if row is not None and row.get("requests"):
                lines.append(f"| {name} | {label} | {row['requests']} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer-venv", type=Path, help="django-helpdesk's virtual environment")
    parser.add_argument(
        "--peer-database-url",
        default=os.environ.get("PEER_DATABASE_URL", ""),
        help="its database (default: PEER_DATABASE_URL)",
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument("--mails", type=int, default=300, help="new mails, and as many replies")
    parser.add_argument("--whatsapp", type=int, default=1000, help="WhatsApp messages")
    parser.add_argument("--led-runs", type=int, default=3)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--command", default="", help="the command to name in the report")
    parser.add_argument("--readme", action="store_true", help="put the table into README.md")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("compare.py measures PostgreSQL (DATABASE_URL): run `make bench`")

    choices = choose()
    say("people made, tickets chosen")
    load_before = os.getloadavg()[0]
    run = Run()
    rows: list[dict[str, Any]] = []
    imap = start_dovecot()
    with smtp_peer() as smtp, graph_api() as graph:
        outside = {
            "PINTU_SMTP_URL": smtp.url,
            "PINTU_WHATSAPP_GRAPH_URL": graph.url,
            "PINTU_WHATSAPP_TOKEN": graph.state.token,
            "PINTU_WHATSAPP_PHONE_NUMBER_ID": graph.state.phone_number_id,
        }
        systems: list[Any] = []
        try:
            systems.append(
                Pintu(
                    choices=choices,
                    imap=imap,
                    outside=outside,
                    port=free_port(),
                    web_workers=options.web_workers,
                )
            )
            pintu = systems[0]
            if options.peer_venv:
                from bench.peer.system import Helpdesk

                systems.append(
                    Helpdesk(
                        venv=options.peer_venv.resolve(),
                        database_url=options.peer_database_url,
                        choices=choices,
                        imap=imap,
                        imap_account=(P4M, PASSWORDS[P4M]),
                        mail_to=HELPDESK,
                        smtp_port=smtp.port,
                        port=free_port(),
                        web_workers=options.web_workers,
                    )
                )
            for system in systems:
                system.start()
                system.sign_in()
                say(f"{system.name} started, people signed in")
            rounds(run, systems, options.warm_up, options.rounds)
            led = pintu.led()
            for i in range(1 + options.led_runs):
                run.timed(pintu, led, i, record=i > 0)
            say("LEDs written")
            operation_names = list(dict.fromkeys(name for name, _ in run.requests))
            for name in operation_names:
                rows += [r for s in systems if (r := time_row(run, name, s))]

            bodies = batch(
                options.whatsapp,
                senders=200,
                tag=uuid.uuid4().hex[:8],
                at=timezone.now(),
                numbers=f"628{uuid.uuid4().int % 10_000:04d}",
            )
            filed, posts = pintu.ingest_whatsapp(bodies)
            say("WhatsApp messages filed")
            rows.append(ingestion_row(filed, pintu))
            rows.append(
                {
                    "operation": "WhatsApp webhook POST",
                    "system": pintu.name,
                    "median_ms": round(statistics.median(posts), 1),
                    "p95_ms": round(percentile(posts, 0.95), 1),
                    "n": len(posts),
                    "tickets": pintu.tickets,
                    "requests": "POST /webhooks/whatsapp (signed, one message per body)",
                }
            )
            new, replies = mails(options.mails)
            for name, batch_of in (
                ("e-mail ingestion, new requests", new),
                ("e-mail ingestion, replies", replies),
            ):
                for system in systems:
                    rows.append(ingestion_row(system.ingest_email(name, batch_of), system))
                say(f"{name}: filed")
            for what in ("web", "worker"):
                for system in systems:
                    peak = system.peak_memory_mb()[what]
                    rows.append(
                        {
                            "operation": f"peak RSS, {what} process",
                            "system": system.name,
                            "median_ms": None,
                            "p95_ms": None,
                            "n": 1,
                            "tickets": system.tickets,
                            "peak_mb": round(peak, 1),
                        }
                    )
        finally:
            for system in systems:
                system.stop()
            imap.stop()
            say("stopped")
    with_ratios(rows, pintu.name)

    today = timezone.localdate().isoformat()
    command = options.command or " ".join(["python", *sys.argv])
    header = (
        f"{today}, {pintu.tickets:,} tickets (`pintu seed bench`), `{command}`.\n"
        f"Machine: {machine()}; load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end. {options.rounds} rounds after "
        f"{options.warm_up} of warm-up, {options.web_workers} gunicorn sync workers each; "
        f"{options.mails} e-mails of each kind, {options.whatsapp} WhatsApp messages, "
        f"{options.led_runs} LEDs after one of warm-up."
    )
    markdown = table(rows, systems, header)
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    (folder / f"{today}.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    (folder / f"{today}.md").write_text(markdown)
    print(markdown)
    if options.readme:
        text = README.read_text()
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        README.write_text(text[:start] + "\n" + markdown + text[end:])
    failed = {f"{name} ({system})": errors[:3] for (name, system), errors in run.errors.items()}
    if failed:
        print("compare: failures:", json.dumps(failed, ensure_ascii=False, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
