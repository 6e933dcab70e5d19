"""`pintu run`: the local all-in-one: the web server on 127.0.0.1:8000 plus one worker,
which is started again when it dies (``pintu.site.supervisor``). Outside production the
outbox's mail goes to a local mail catcher instead of a relay, unless PINTU_SMTP_URL names
one (``pintu.doors.email.catcher``)."""

from __future__ import annotations

import _thread
import os
import signal
import sys
import threading
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.doors.email.catcher import catcher_wanted, mail_catcher
from pintu.site.supervisor import Supervisor


class Command(BaseCommand):
    help = "Serve Pintu on 127.0.0.1:8000 and run the worker beside it (local use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        with ExitStack() as stack:
            worker_env = dict(os.environ)
            if catcher_wanted(production=settings.PRODUCTION, environ=os.environ):
                catcher = stack.enter_context(mail_catcher(settings.PINTU_CAUGHT_MAIL_DIR))
                worker_env["PINTU_SMTP_URL"] = catcher.url
                self.stdout.write(
                    f"pintu run: outgoing mail is caught on {catcher.url} and kept in "
                    f"{catcher.directory}; admins read it at /dev/mail/"
                )
            self._serve(options["addrport"], worker_env)

    def _serve(self, addrport: str, worker_env: dict[str, str]) -> None:
        supervisor = Supervisor(
            [sys.executable, "-m", "pintu", "worker"],
            env=worker_env,
            say=lambda line: self.stderr.write(f"pintu run: {line}"),
        )
        gave_up: list[str] = []

        def supervise() -> None:
            reason = supervisor.run()
            if reason is not None:
                gave_up.append(reason)
                _thread.interrupt_main(signal.SIGTERM)  # stops the web server below

        # Stop cleanly on SIGTERM and SIGHUP as on Ctrl+C, taking the worker down too.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, lambda signum, frame: sys.exit(0))
        threading.Thread(target=supervise, name="supervisor", daemon=True).start()
        try:
            call_command("runserver", addrport, use_reloader=False)
        except SystemExit:
            if not gave_up:
                raise
        finally:
            supervisor.stop()
        if gave_up:
            raise CommandError(gave_up[0])
