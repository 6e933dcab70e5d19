"""`pintu ingest email [--unit CODE] [FILE|-]`: one raw message through the mail door.

It takes exactly the path a polled message takes and prints one JSON line with what
became of it. Every outcome, quarantine included, exits 0: the message was kept. Only
a command that could not run (unreadable file, unknown unit) exits 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.doors.email.ingest import ingest_email
from pintu.org.models import Unit


class Command(BaseCommand):
    help = "Ingest one raw message through a door and print what became of it as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        doors = parser.add_subparsers(dest="door", required=True)
        mail = doors.add_parser(
            "email",
            help="Ingest one raw RFC 822 message; prints "
            '{"outcome": ..., "ticket": ..., "reason": ...}.',
        )
        mail.add_argument(
            "--unit",
            help="Unit code (e.g. UPT-SI) a new request belongs to; by default the unit "
            "owning the address in Delivered-To, To or Cc.",
        )
        mail.add_argument(
            "file", nargs="?", default="-", help="The message file; - (default) reads stdin."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"unknown unit {options['unit']!r}", returncode=2)
        raw = read_message(options["file"])
        result = ingest_email(raw, unit=unit)
        self.stdout.write(json.dumps(result.as_dict()))


def read_message(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {name}: {error.strerror or error}", returncode=2) from None
