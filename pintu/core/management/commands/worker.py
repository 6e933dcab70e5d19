"""`pintu worker`: the one background process: the task queue plus the periodic jobs.

Its scheduler thread also beats the worker's heartbeat (``pintu.core.heartbeat``), which
/healthz and the admins' pages show, and reaps the tasks of workers that died
(``pintu.core.reaper``). A database that goes away for a moment (a restart, a
fail-over) does not end it: it waits for the database, puts back the task it could not
finish, and goes on (``pintu.core.reconnect``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from pintu.core.heartbeat import (
    BEAT_EVERY,
    heartbeat_beat,
    heartbeat_start,
    heartbeat_stop,
    this_worker_id,
)
from pintu.core.periodic import enqueue_due
from pintu.core.reaper import tasks_reap, tasks_release
from pintu.core.reconnect import (
    CONNECTION_TROUBLE,
    connection_lost,
    database_wait,
    reconnecting,
)

logger = logging.getLogger("pintu.worker")


class Command(BaseCommand):
    help = "Run the task queue and the periodic jobs (SLA sweep, mailbox poll, retention...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty."
        )
        parser.add_argument(
            "--schedule-every",
            type=float,
            default=30.0,
            help="Seconds between checks for due periodic jobs.",
        )
        parser.add_argument(
            "--beat-every",
            type=float,
            default=BEAT_EVERY.total_seconds(),
            help="Seconds between heartbeats (a worker silent for a minute is shown as stale).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Enqueue due periodic jobs once, run the queue until empty, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = this_worker_id()
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if options["batch"]:
            enqueue_due(timezone.now())
            self.stdout.write(f"pintu worker {worker_id} started")
            self._run(worker, worker_id)
            return
        stop = threading.Event()
        scheduler = threading.Thread(
            target=self._schedule,
            args=(stop, worker_id, options["schedule_every"], options["beat_every"]),
            daemon=True,
        )
        # Signals first: SIGTERM and Ctrl+C end the worker with SystemExit(0) (once no
        # task is running), wherever it is from here on, so its stop is always recorded.
        worker.configure_signals()
        try:
            heartbeat_start(worker_id=worker_id, now=timezone.now())
            scheduler.start()
            self.stdout.write(f"pintu worker {worker_id} started")
            self._run(worker, worker_id)
        finally:
            stop.set()
            if scheduler.is_alive():
                scheduler.join(timeout=30)
            # A signal can end the worker in the middle of a query, which leaves the
            # connection busy ("another command is already in progress" on PostgreSQL):
            # the stop is written on a fresh one.
            with contextlib.suppress(Exception):
                connection.close()
            heartbeat_stop(worker_id=worker_id, now=timezone.now())

    def _run(self, worker: Worker, worker_id: str) -> None:
        """The queue's loop, started again on a new connection when the database
        drops out from under it (the loop itself would end the process)."""
        while True:
            try:
                worker.run()
                return
            except CONNECTION_TROUBLE as error:
                if not connection_lost():
                    raise  # the connection answers: a missing table, a bug
                logger.warning("the database went away (%s); waiting for it", error)
            # Patient: the supervisor or the operator sees the log, the work waits.
            database_wait(patience=float("inf"))
            released = reconnecting(
                lambda: tasks_release(worker_id=worker_id, now=timezone.now(), log=logger.warning),
                what="putting back the tasks cut short",
                patience=float("inf"),
            )
            if released.requeued or released.failed:
                logger.warning(
                    "tasks cut short by the database: %d run again, %d failed",
                    len(released.requeued),
                    len(released.failed),
                )

    def _schedule(
        self, stop: threading.Event, worker_id: str, schedule_every: float, beat_every: float
    ) -> None:
        next_schedule = time.monotonic()
        while not stop.is_set():
            try:
                now = timezone.now()
                heartbeat_beat(worker_id=worker_id, now=now)
                if time.monotonic() >= next_schedule:
                    next_schedule = time.monotonic() + schedule_every
                    reaped = tasks_reap(now=now, log=logger.warning)
                    if reaped.requeued or reaped.failed:
                        logger.warning(
                            "tasks of gone workers: %d run again, %d failed",
                            len(reaped.requeued),
                            len(reaped.failed),
                        )
                    enqueued = enqueue_due(now)
                    if enqueued:
                        logger.info("enqueued periodic jobs: %s", ", ".join(enqueued))
            except Exception:  # keep beating and scheduling after a transient database error
                logger.exception("heartbeat or periodic scheduling failed; retrying")
            finally:
                close_old_connections()
            stop.wait(min(beat_every, max(next_schedule - time.monotonic(), 0.0)))
        connection.close()
