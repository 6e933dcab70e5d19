"""PostgreSQL restarted under load: a real `pintu worker` is delivering replies and filing
WhatsApp messages when the server restarts (``pg_ctl restart -m fast``, which ends every
connection). The worker reconnects by itself, nothing is lost, nothing is done twice,
and /healthz answers ok on the first request after the restart.

The test restarts a cluster of its own holding a copy of the test database, not the
suite's shared one; it runs when the suite runs on PostgreSQL (as CI does).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, ProgrammingError, connection, transaction
from django.test import Client

from pintu.conftest import child_environment, free_port, require_peer, wait_for
from pintu.core.management.commands.worker import Command as WorkerCommand
from pintu.core.reconnect import connection_lost, reconnecting
from pintu.desk.models import Article
from pintu.doors.tests.graph_server import graph_api
from pintu.doors.tests.smtp_peer import smtp_peer
from pintu.doors.tests.whatsapp_samples import batch, post
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import message_queue
from pintu.site.tests.hosts import all_done

MAILS = 40  # per round: one round before the restart, one while it happens
BODIES = 20  # WhatsApp webhook bodies per round
WORKER_OPTIONS = ["--interval", "0.05", "--schedule-every", "1", "--beat-every", "0.5"]


def postgres_binaries() -> Path | None:
    """Debian's server binaries (as scripts/with-postgres finds them), newest first."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parts[-3])
    return found[-1].parent if found else None


@dataclass
class Cluster:
    binaries: Path
    root: Path
    port: int

    def run(self, *command: str, **options: Any) -> subprocess.CompletedProcess[bytes]:
        """A server command, as the cluster's owner (postgres when the tests run as root)."""
        argv = [str(self.binaries / command[0]), *command[1:]]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, check=True, capture_output=True, timeout=120, **options)

    def pg_ctl(self, *action: str) -> None:
        self.run("pg_ctl", "-D", str(self.root / "data"), "-l", str(self.root / "log"), *action)

    def restart(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "restart")


@contextmanager
def private_cluster(binaries: Path) -> Iterator[Cluster]:
    """A cluster of this test's own holding a copy of the test database, and Django's
    connection moved to it for the block: restarting the suite's shared cluster would end
    the connections of the tests running beside this one."""
    root = Path(tempfile.mkdtemp(prefix="pintu-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(binaries, root, free_port())
    database = connection.settings_dict
    cluster.run("initdb", "-D", str(root / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8")
    options = f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {root} -c fsync=off"
    cluster.pg_ctl("-w", "-o", options, "start")
    try:
        here = ["-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres"]
        cluster.run("createdb", *here, database["NAME"])
        shared = ["-h", database["HOST"], "-p", str(database["PORT"]), "-U", database["USER"]]
        copy = subprocess.run(
            [str(binaries / "pg_dump"), "--no-owner", *shared, database["NAME"]],
            check=True,
            capture_output=True,
            timeout=120,
            env={**os.environ, "PGPASSWORD": database["PASSWORD"] or ""},
        ).stdout
        cluster.run("psql", "-q", "-v", "ON_ERROR_STOP=1", *here, database["NAME"], input=copy)
        moved = {"HOST": "127.0.0.1", "PORT": str(cluster.port), "USER": "postgres"}
        kept = {key: database[key] for key in (*moved, "PASSWORD")}
        connection.close()
        database.update(moved, PASSWORD="")
        try:
            yield cluster
        finally:
            connection.close()
            database.update(kept)
    finally:
        cluster.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def queue_mails(round_: int) -> list[int]:
    ids = []
    for n in range(MAILS):
        with transaction.atomic():
            ids.append(
                message_queue(
                    transport="email",
                    purpose=OutboxItem.Purpose.NOTIFICATION,
                    recipient=f"tamu{n}@example.ac.id",
                    subject=f"Pemberitahuan {round_}-{n}",
                    body_text="Permintaan Anda sedang kami proses.",
                ).pk
            )
    return ids


def post_bodies(round_: int) -> None:
    client = Client(HTTP_HOST="localhost")
    for body in batch(BODIES, senders=10, tag=f"restart{round_}", numbers=f"6281{round_}"):
        assert post(client, body).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_under_load_loses_and_doubles_nothing(
    sops: None, settings: object
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL restart: the suite runs on SQLite here (CI runs PostgreSQL)")
    binaries = postgres_binaries()
    require_peer("PostgreSQL's server", binaries is not None, "install Debian's postgresql")
    assert binaries is not None
    with private_cluster(binaries) as cluster, smtp_peer() as receiver, graph_api() as graph:
        whatsapp = graph.environment()
        for name, value in whatsapp.items():
            setattr(settings, name, value)
        worker = subprocess.Popen(
            [sys.executable, "-m", "pintu", "worker", *WORKER_OPTIONS],
            env=child_environment(
                PINTU_SMTP_URL=receiver.url, PINTU_OUTBOX_BACKOFF_SECONDS="1", **whatsapp
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            mails = queue_mails(1)
            post_bodies(1)
            wait_for(
                lambda: len(receiver.messages) >= MAILS // 4 or worker.poll() is not None,
                "the worker to be busy sending",
            )
            assert worker.poll() is None
            # Mid-delivery: some are sent, others claimed or waiting.
            assert len(receiver.messages) < MAILS
            cluster.restart()
            # The test's own connection went with the restart; a web request would find it
            # dead (CONN_HEALTH_CHECKS) and open another, and so does the test.
            connection.close()
            mails += queue_mails(2)  # the first commit after the restart reconnects first
            post_bodies(2)

            wait_for(
                lambda: all_done() or worker.poll() is not None,
                "every mail sent and every WhatsApp message filed after the restart",
                seconds=120,
            )
            assert worker.poll() is None, "the worker died with the database connection"
            health = Client().get("/healthz")
            assert health.status_code == 200
            assert health.json()["status"] == "ok"
        finally:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
            output = worker.communicate(timeout=60)[0]
        assert worker.returncode == 0, output

        # Every reply left once, under the Message-ID it reserved.
        sent = OutboxItem.objects.filter(pk__in=mails)
        assert set(sent.values_list("status", flat=True)) == {OutboxItem.Status.SENT}
        assert receiver.message_ids() == Counter(sent.values_list("external_id", flat=True))
        assert max(receiver.message_ids().values()) == 1
        # Every WhatsApp text filed once (each 25th body's poll is a kind Pintu skips).
        texts = Article.objects.filter(kind="inbound", external_id__startswith="wamid.restart")
        expected = {f"wamid.restart{r}-{i}-0" for r in (1, 2) for i in range(BODIES)}
        assert Counter(texts.values_list("external_id", flat=True)) == Counter(expected)
        # And each acknowledgement the filing asked for reached the Graph API once.
        acknowledgements = OutboxItem.objects.filter(transport="whatsapp")
        assert acknowledgements.count() == 20
        assert set(acknowledgements.values_list("status", flat=True)) == {OutboxItem.Status.SENT}
        sent_to_graph = [r for r in graph.state.requests if r.path.endswith("/messages")]
        assert len(sent_to_graph) == acknowledgements.count()
    assert "pintu worker" in output


@pytest.mark.django_db(transaction=True)
def test_an_error_that_is_not_about_the_connection_is_not_waited_out() -> None:
    def missing_table() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM pintu_no_such_table")

    with pytest.raises(DatabaseError):
        reconnecting(missing_table, what="reading a table that is not there", patience=3600)
    assert not connection_lost()


@pytest.fixture
def leave_busy() -> Iterator[Callable[[], None]]:
    """Leaves the connection as a restart can leave it to the client: a command sent
    whose result is never read, so that libpq still counts it in progress (ACTIVE).
    The connection is dropped after the test if it is still so."""
    if connection.vendor != "postgresql":
        pytest.skip("a psycopg connection left busy: the suite runs on SQLite (CI: PostgreSQL)")

    def leave() -> None:
        connection.ensure_connection()
        assert connection.connection is not None
        connection.connection.pgconn.send_query(b"SELECT 1")

    yield leave
    if not connection.is_usable():
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_step_on_a_connection_left_busy_is_done_again_on_a_new_one(
    sops: None, leave_busy: Callable[[], None]
) -> None:
    leave_busy()

    def write() -> int:
        with transaction.atomic():
            return message_queue(
                transport="email",
                purpose=OutboxItem.Purpose.NOTIFICATION,
                recipient="tamu@example.ac.id",
                subject="Pemberitahuan",
                body_text="Permintaan Anda sedang kami proses.",
            ).pk

    # On the busy connection the transaction cannot even begin, and the error is a
    # ProgrammingError, not one of a refused or dropped connection.
    with pytest.raises(ProgrammingError, match="transaction status ACTIVE"):
        write()
    assert connection_lost()
    pk = reconnecting(write, what="queueing a mail", patience=30)
    assert OutboxItem.objects.filter(pk=pk).count() == 1
    assert not connection_lost()


@pytest.mark.django_db(transaction=True)
def test_the_worker_goes_on_after_its_connection_is_left_busy(
    leave_busy: Callable[[], None],
) -> None:
    """The queue's loop meets the ProgrammingError of a connection left busy, as the
    worker did in CI after a restart: it waits for a new connection and runs the loop
    again instead of ending. The loop here stands in for django-tasks' and fails the way
    the real one did; the connection, its error and the recovery are real."""

    class Loop:
        answered: list[bool] = []

        def run(self) -> None:
            if not self.answered:
                leave_busy()
                self.answered.append(False)
                with transaction.atomic():
                    pass
            self.answered.append(connection.is_usable())

    loop = Loop()
    WorkerCommand()._run(loop, "test-worker")  # type: ignore[arg-type]
    assert loop.answered == [False, True]
