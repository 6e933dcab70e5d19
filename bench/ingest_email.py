"""E-mails ingested per second by one worker: through IMAP from dovecot, and by
``ingest_email`` alone.

    .venv/bin/python bench/ingest_email.py [--messages 1000] [--replies 20]

It starts a private dovecot on loopback as the tests do (Debian's dovecot-imapd), APPENDs
``--messages`` generated mails to a unit's mailbox, and times one poll: search, fetch,
ingest (parse, classify, thread, open the ticket with its SLA deadlines, steps, audit row
and queued acknowledgement, each in its own transaction), mark seen. Then it times
``ingest_email`` on as many other mails, without IMAP. ``--replies`` percent of the mails
answer an earlier one and are threaded onto its ticket.

Without DATABASE_URL and PINTU_VAR_DIR it works in a throwaway SQLite database of its
own; with either, it migrates and loads the SOPs there first (use a scratch database: it
adds requests). See README.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Run from anywhere: pintu is imported from the repository root.
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")  # no SQL logging, as in production
os.environ.setdefault("PINTU_LOG_LEVEL", "WARNING")
SCRATCH = None
if not os.environ.get("DATABASE_URL") and not os.environ.get("PINTU_VAR_DIR"):
    SCRATCH = tempfile.mkdtemp(prefix="pintu-bench-email-")
    os.environ["PINTU_VAR_DIR"] = SCRATCH

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from pintu.doors.email.imap import poll_mailbox  # noqa: E402
from pintu.doors.email.ingest import ingest_email  # noqa: E402
from pintu.doors.tests.imap_peer import HELPDESK, compose, start_dovecot  # noqa: E402

BODY = (
    "Selamat siang Bapak/Ibu,\n\n"
    "Saya tidak bisa masuk ke SIAKAD sejak pagi ini. Pesan yang muncul: kata sandi salah,\n"
    "padahal saya belum mengubahnya. Mohon bantuannya untuk mengatur ulang akun saya.\n\n"
    "Terima kasih,\n{name}\nNIM {nim}\n"
)


def generate(count: int, replies: int, tag: str) -> list[bytes]:
    """``count`` mails to the helpdesk; ``replies`` percent answer an earlier one."""
    rng = random.Random(f"{tag}-{count}-{replies}")
    mails: list[bytes] = []
    earlier: list[tuple[str, str, str]] = []  # (message id, sender, subject)
    for n in range(count):
        if earlier and rng.randrange(100) < replies:
            parent, sender, subject = rng.choice(earlier)
            message = compose(
                f"Re: {subject}",
                sender=sender,
                body="Sudah saya coba lagi, masih belum bisa.\n",
                In_Reply_To=parent,
                References=parent,
            )
        else:
            sender = f"Mahasiswa {tag}{n} <m{tag}{n}@mahasiswa.example.ac.id>"
            subject = f"Tidak bisa masuk SIAKAD ({tag}{n})"
            body = BODY.format(name=f"Mahasiswa {n}", nim=f"2301{n:05d}")
            message = compose(subject, sender=sender, body=body)
            earlier.append((message["Message-ID"], sender, subject))
        mails.append(message.as_bytes())
    return mails


def report(name: str, count: int, seconds: float, cpu: float) -> None:
    """Wall-clock rate, and the rate per second of this process's CPU time (which a busy
    machine does not lower, and which leaves out dovecot's and the database's own work)."""
    print(
        f"{name:<34} {count:>6} mails  {seconds:7.2f} s  {count / seconds:7.1f} /s"
        f"  ({count / cpu:7.1f} /s of CPU)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000, help="mails per measurement")
    parser.add_argument("--replies", type=int, default=20, help="percent that are replies")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("sop", "load", stdout=io.StringIO())
    peer = start_dovecot()
    try:
        mailbox = peer.mailbox(HELPDESK, "UPT-SI")
        tag = timezone.now().strftime("%H%M%S")
        peer.append_many(HELPDESK, generate(options.messages, options.replies, f"i{tag}-"))

        load = os.getloadavg()[0]
        print(
            f"Python {platform.python_version()}, {connection.vendor}, "
            f"{os.cpu_count()} CPUs, {platform.machine()}, load average {load:.1f}"
        )
        started, cpu = time.perf_counter(), time.process_time()
        result = poll_mailbox(mailbox)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if result.error or result.fetched != options.messages:
            raise SystemExit(f"the poll went wrong: {result.summary()}")
        report("IMAP poll (fetch, ingest, mark)", result.fetched, elapsed, cpu)
        print(f"  outcomes: {dict(result.outcomes)}")

        mails = generate(options.messages, options.replies, f"d{tag}-")
        started, cpu = time.perf_counter(), time.process_time()
        for raw in mails:
            ingest_email(raw, mailbox=mailbox)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        report("ingest_email alone", len(mails), elapsed, cpu)
    finally:
        peer.stop()
        if SCRATCH:
            connection.close()
            shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
