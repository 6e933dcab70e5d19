"""The queue's query and its plan, for the benchmark and the index test."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pintu.desk.models import Ticket
from pintu.desk.selectors import QueueFilter, queue
from pintu.org.models import Unit


def queue_sql(*, viewer: Any, unit: Unit, now: datetime) -> str:
    """The SQL that the queue selector runs for ``unit``'s tickets, as sent."""

    with CaptureQueriesContext(connection) as captured:
        queue(viewer=viewer, unit=unit, filters=QueueFilter(), now=now)
    table = connection.ops.quote_name(Ticket._meta.db_table)
    return next(q["sql"] for q in captured.captured_queries if f"FROM {table}" in q["sql"])


def explain_queue(sql: str) -> str:
    """The plan of ``sql``: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN
    on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())
