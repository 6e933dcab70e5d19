"""Riding out a database that is away for a moment (a PostgreSQL restart, a fail-over):
background work drops the broken connection, waits, and does the same step again on a
new one instead of dying or leaving half-recorded work for a lease to find."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connection

logger = logging.getLogger("pintu.reconnect")

T = TypeVar("T")

# What a dropped or refused connection raises (psycopg: "terminating connection due to
# administrator command", "connection refused", "the connection is closed").
DISCONNECTED = (OperationalError, InterfaceError)
# What a step waits out when its connection no longer answers, whatever the class: a
# connection left with a command in progress (as a worker's was after a restart in CI)
# fails its next transaction with a ProgrammingError ("can't change 'autocommit' now:
# connection in transaction status ACTIVE"), not an OperationalError.
CONNECTION_TROUBLE = DatabaseError
# How long a step waits for the database before its error is let through.
PATIENCE_SECONDS = 60.0


def connection_lost() -> bool:
    """Whether the connection an error came from is gone (or never opened). An error on
    a connection that still answers was not about it (a missing table, a lock, a bug)
    and is not waited out."""
    return connection.connection is None or not connection.is_usable()


def database_wait(*, patience: float = PATIENCE_SECONDS) -> None:
    """Return once a new connection answers; raise the last error after ``patience``."""
    deadline = time.monotonic() + patience
    delay = 0.1
    while True:
        connection.close()
        try:
            connection.ensure_connection()
            return
        except DISCONNECTED:
            if time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


def reconnecting(step: Callable[[], T], *, what: str, patience: float = PATIENCE_SECONDS) -> T:
    """``step()``, done again on a new connection while the database is unreachable.

    ``step`` must be safe to repeat: one conditional statement, or a transaction of
    its own, whose second run changes nothing the first did. Inside a transaction
    nothing is retried, because the transaction is lost with the connection; its owner
    decides.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            return step()
        except CONNECTION_TROUBLE as error:
            if connection.in_atomic_block or time.monotonic() > deadline or not connection_lost():
                raise
            logger.warning("database unavailable while %s (%s); reconnecting", what, error)
            database_wait(patience=max(deadline - time.monotonic(), 0.0))
