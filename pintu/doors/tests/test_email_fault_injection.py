"""SIGKILL the worker in the middle of a batch of mails, start it again: every mail is
ingested exactly once and every mail ends marked on the server.

The worker runs as its own process against a file SQLite database, as in production on
one machine; this test reads that database with sqlite3, read-only, while it runs.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pintu.doors.tests.imap_peer import HELPDESK, PASSWORDS, ImapPeer, compose, dovecot
from pintu.doors.tests.smtp_peer import closed_port

MESSAGES = 200
POLL_SECONDS = 5  # the smallest interval PINTU_IMAP_POLL_SECONDS accepts
POLL_JOB = "pintu.doors.email.tasks.poll_mailboxes"


@pytest.fixture
def imap_peer() -> Iterator[ImapPeer]:
    with dovecot() as peer:
        yield peer


def environment(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PINTU_")}
    env.pop("DATABASE_URL", None)  # a file SQLite database of its own, never a shared one
    env.update(
        DJANGO_SETTINGS_MODULE="pintu.settings",
        PINTU_VAR_DIR=str(var_dir),
        PINTU_IMAP_POLL_SECONDS=str(POLL_SECONDS),
        PINTU_LOG_LEVEL="WARNING",
        PINTU_SMTP_URL=f"smtp://127.0.0.1:{closed_port()}?timeout=2",  # nothing may leave
    )
    return env


def pintu(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pintu", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,  # a migrate on a loaded machine can take minutes
    )
    assert done.returncode == 0, f"pintu {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=20) as db:
        return int(db.execute(sql).fetchone()[0])


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    imap_peer: ImapPeer, tmp_path: Path
) -> None:
    env = environment(tmp_path)
    database = tmp_path / "pintu.sqlite3"
    pintu(env, "migrate", "--noinput")
    pintu(env, "sop", "load")
    pintu(
        env,
        *("mailbox", "add", "--unit=UPT-SI", f"--address={HELPDESK}", "--security=plain"),
        *(f"--host={imap_peer.host}", f"--port={imap_peer.port}", "--password-stdin"),
        stdin=PASSWORDS[HELPDESK] + "\n",
    )
    # Bulk mail opens requests like any other but gets no acknowledgement: the outbox's
    # deliveries have tests of their own, and 200 of them would double this test's time.
    mails = [
        compose(
            f"Permintaan nomor {n}",
            sender=f"Mahasiswa {n} <m{n}@mahasiswa.example.ac.id>",
            body=f"Isi permintaan {n}.",
            Precedence="bulk",
        )
        for n in range(MESSAGES)
    ]
    sent_ids = [mail["Message-ID"].strip("<>") for mail in mails]
    raws = [mail.as_bytes() for mail in mails]
    imap_peer.append_many(HELPDESK, raws)

    # The first worker takes the poll job and is killed once part of the batch is in.
    worker = subprocess.Popen(
        [sys.executable, "-m", "pintu", "worker", "--batch"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ingested = 0
        deadline = time.monotonic() + 60
        while ingested < MESSAGES // 5:
            assert worker.poll() is None, "the worker finished before it could be killed"
            assert time.monotonic() < deadline, "the worker ingested nothing"
            time.sleep(0.01)
            if database.exists():
                ingested = count(database, "SELECT count(*) FROM doors_inboundmessage")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    at_kill = count(database, "SELECT count(*) FROM doors_inboundmessage")
    seen_at_kill = MESSAGES - imap_peer.unseen(HELPDESK)
    assert 0 < at_kill < MESSAGES
    assert seen_at_kill <= at_kill  # never marked before its commit
    assert seen_at_kill < MESSAGES

    # The poll is due again one interval after the killed worker claimed it.
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        (due,) = db.execute(
            "SELECT next_run_at FROM core_periodicjob WHERE name = ?", (POLL_JOB,)
        ).fetchone()
    due_at = datetime.fromisoformat(due).replace(tzinfo=UTC)  # Django keeps UTC in SQLite
    time.sleep(max(0.0, (due_at - datetime.now(UTC)).total_seconds() + 0.2))
    pintu(env, "worker", "--batch")

    assert count(database, "SELECT count(*) FROM doors_inboundmessage") == MESSAGES
    assert count(database, "SELECT count(*) FROM desk_ticket") == MESSAGES
    assert (
        count(database, "SELECT count(*) FROM doors_inboundmessage WHERE outcome != 'created'") == 0
    )
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        external_ids = [
            row[0].strip("<>")
            for row in db.execute("SELECT external_id FROM desk_article WHERE kind = 'inbound'")
        ]
    assert sorted(external_ids) == sorted(sent_ids)  # each mail once, none missing
    flags = imap_peer.flags(HELPDESK)
    assert len(flags) == MESSAGES
    assert all("\\Seen" in found for found in flags.values())
    print(f"killed after {at_kill} ingested, {seen_at_kill} of them marked seen")
