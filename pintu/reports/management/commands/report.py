"""`pintu report led|analysis --unit CODE --year YYYY --format pdf|docx|xlsx -o FILE`:
a unit's yearly report written to a file, with a progress bar on the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pintu.org.models import Unit
from pintu.reports.content import gather, report_for
from pintu.reports.models import Report
from pintu.reports.writers import WRITERS
from pintu.sop.measurement import YEARS

KINDS = {"led": Report.Kind.LED, "analysis": Report.Kind.ANALYSIS}


class Command(BaseCommand):
    help = "Write a unit's yearly report (the LED, or the service analysis) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="led or analysis.")
        parser.add_argument("--unit", required=True, help="A unit code, e.g. UPT-SI.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=sorted(WRITERS), default="pdf")
        parser.add_argument(
            "-o", "--output", required=True, help="The file to write; - for stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"unknown unit {options['unit']!r}", returncode=2)
        year = options["year"]
        if year not in YEARS:
            raise CommandError(f"year {year} is outside 2000-2100", returncode=2)
        output = options["output"]
        if output != "-" and not Path(output).parent.exists():
            raise CommandError(
                f"no folder {Path(output).parent} to write {output} into", returncode=2
            )
        report = report_for(unit, year, KINDS[options["kind"]])
        bar = _Bar(sys.stderr)
        content = gather(report, timezone.now(), bar)
        data = WRITERS[options["format"]](content, bar)
        bar(100, "done")
        bar.end()
        if output == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(output).write_bytes(data)
            self.stderr.write(f"{output}: {len(data):,} bytes")


class _Bar:
    """A progress bar on the terminal; plain lines when it is not one."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last = -1

    def __call__(self, percent: int, stage: str) -> None:
        if percent == self.last:
            return
        self.last = percent
        if self.tty:
            filled = percent * 30 // 100
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% {stage[:40]:<40}"
            )
        else:
            self.stream.write(f"{percent:3d}% {stage}\n")
        self.stream.flush()

    def end(self) -> None:
        if self.tty:
            self.stream.write("\n")
