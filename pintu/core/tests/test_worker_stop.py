"""A worker told to stop while its queries wait on the database stops cleanly.

SIGTERM reaches `pintu worker` wherever its main thread is. Here that is a query waiting
for a lock the test holds on the task table: the stop cuts it short (psycopg cancels it
on the server), the worker waits for its scheduler thread, ends with 0 once the lock is
gone and records its stop on a fresh connection, with no traceback.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from pintu.conftest import child_environment, wait_for
from pintu.core.models import WorkerHeartbeat


def blocked_on_the_lock() -> bool:
    """Whether a backend of this database waits for a lock on the task table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query LIKE %s",
            [f"%{DBTaskResult._meta.db_table}%"],
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_a_stop_while_the_worker_waits_on_a_query_ends_it_cleanly() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a query held by a table lock: the suite runs on SQLite here (CI: PostgreSQL)")
    worker = subprocess.Popen(
        [sys.executable, "-m", "pintu", "worker", "--interval", "0.05", "--beat-every", "0.2"],
        env=child_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(worker.stdout or ()), daemon=True)
    reader.start()
    beats = WorkerHeartbeat.objects.filter(pid=worker.pid)
    holder = connection.get_new_connection(connection.get_connection_params())
    try:
        wait_for(lambda: beats.exists() or worker.poll() is not None, "the worker to start")
        assert worker.poll() is None, "".join(lines)
        holder.autocommit = False
        holder.execute(f"LOCK TABLE {DBTaskResult._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        wait_for(blocked_on_the_lock, "the worker's query to wait for the lock")
        worker.send_signal(signal.SIGTERM)
        wait_for(
            lambda: any("shutting down" in line for line in lines) or worker.poll() is not None,
            "the worker to take the signal",
        )
        holder.rollback()
        worker.wait(timeout=60)
    finally:
        holder.close()
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        reader.join(timeout=10)
    output = "".join(lines)
    assert worker.returncode == 0, output
    assert "Traceback" not in output
    assert beats.get().stopped_at is not None
