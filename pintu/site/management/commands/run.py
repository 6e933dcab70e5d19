"""`pintu run`: the local all-in-one: the web server on 127.0.0.1:8000 plus one worker."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Pintu on 127.0.0.1:8000 and run the worker beside it (local use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = subprocess.Popen([sys.executable, "-m", "pintu", "worker"])
        # Stop cleanly on SIGTERM as on Ctrl+C, taking the worker down too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=15)
