"""`pintu worker`: the one background process: the task queue plus the periodic jobs."""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from pintu.core.periodic import enqueue_due

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
            "--batch",
            action="store_true",
            help="Enqueue due periodic jobs once, run the queue until empty, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
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
        else:
            stop = threading.Event()
            scheduler = threading.Thread(
                target=self._schedule, args=(stop, options["schedule_every"]), daemon=True
            )
            scheduler.start()
            worker.configure_signals()
        self.stdout.write(f"pintu worker {worker_id} started")
        worker.run()

    def _schedule(self, stop: threading.Event, every: float) -> None:
        while not stop.is_set():
            try:
                enqueued = enqueue_due(timezone.now())
                if enqueued:
                    logger.info("enqueued periodic jobs: %s", ", ".join(enqueued))
            except Exception:  # keep scheduling after a transient database error
                logger.exception("periodic scheduling failed; retrying")
            finally:
                close_old_connections()
            stop.wait(every)
        connection.close()
