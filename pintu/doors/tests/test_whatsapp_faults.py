"""Fault injection: the worker is killed (SIGKILL) in the middle of filing a batch of
webhook bodies, started again, and every message ends up filed exactly once.

Everything runs as it does in production: ``pintu migrate`` and ``pintu sop load``, the
bodies POSTed to the webhook with their signatures, ``pintu worker`` on a SQLite file
under a PINTU_VAR_DIR of the test's own; acknowledgements go to a local Graph API.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pintu.doors.tests.graph_server import graph_api
from pintu.sop.tests.test_commands import pintu_executable

BODIES = 200
PER_BODY = 3
REDELIVERED = 20  # Meta sends the first bodies again
SENDERS = 40
MESSAGES = BODIES * PER_BODY
PROJECT = Path(__file__).resolve().parents[3]

POSTER = f"""
import django
django.setup()
from django.test import Client
from django.utils import timezone
from pintu.doors.tests.whatsapp_samples import batch, post
bodies = batch({BODIES}, per_body={PER_BODY}, senders={SENDERS}, tag="fault", at=timezone.now())
client = Client(HTTP_HOST="localhost")
for body in bodies + bodies[:{REDELIVERED}]:
    assert post(client, body).status_code == 200
"""


def count(database: Path, sql: str) -> int:
    # Read-only and beside the worker's writes: WAL lets both go on.
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        return int(db.execute(sql).fetchone()[0])


FILED = "SELECT COUNT(*) FROM doors_inboundmessage WHERE outcome != 'pending'"


def test_a_worker_killed_mid_batch_files_every_message_exactly_once(tmp_path: Path) -> None:
    pintu = pintu_executable()
    database = tmp_path / "pintu.sqlite3"
    with graph_api() as graph:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pintu.settings",
            "PINTU_VAR_DIR": str(tmp_path),
            **graph.environment(),
        }
        env.pop("DATABASE_URL", None)  # a SQLite file of its own, never the configured one
        for args in (["migrate", "-v0"], ["sop", "load"]):
            subprocess.run([pintu, *args], env=env, check=True, capture_output=True, timeout=300)
        subprocess.run(
            [sys.executable, "-c", POSTER],
            env=env,
            cwd=PROJECT,
            check=True,
            capture_output=True,
            timeout=300,
        )
        assert count(database, "SELECT COUNT(*) FROM doors_webhookdelivery") == BODIES + REDELIVERED
        assert count(database, "SELECT COUNT(*) FROM doors_inboundmessage") == 0

        worker = subprocess.Popen(
            [pintu, "worker", "--interval", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 240
            filed = 0
            while time.monotonic() < deadline:
                filed = count(database, FILED)
                if filed >= MESSAGES // 3:
                    break
                time.sleep(0.02)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
        at_kill = count(database, FILED)
        assert 0 < filed <= at_kill < MESSAGES, "the kill did not land in the middle of the batch"
        # The task it was running stays claimed for good: only the queued ones resume.
        running = "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        assert count(database, running) == 1

        subprocess.run(
            [pintu, "worker", "--batch"], env=env, check=True, capture_output=True, timeout=600
        )

    unprocessed = "SELECT COUNT(*) FROM doors_webhookdelivery WHERE processed_at IS NULL"
    assert count(database, unprocessed) == 0
    assert count(database, "SELECT COUNT(*) FROM doors_inboundmessage") == MESSAGES
    outcomes = "SELECT COUNT(*) FROM doors_inboundmessage WHERE outcome IN ('created', 'appended')"
    assert count(database, outcomes) == MESSAGES
    articles = (
        "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM desk_article "
        "WHERE kind = 'inbound' AND external_id LIKE 'wamid.fault-%'"
    )
    with sqlite3.connect(database) as db:
        total, distinct = db.execute(articles).fetchone()
    assert (total, distinct) == (MESSAGES, MESSAGES)  # every message once, none twice
    tickets = "SELECT COUNT(*) FROM desk_ticket WHERE door = 'whatsapp'"
    assert count(database, tickets) == SENDERS  # one request per number, the rest continued
    print(f"\nkilled with {at_kill}/{MESSAGES} messages filed; after the restart {total} articles")
