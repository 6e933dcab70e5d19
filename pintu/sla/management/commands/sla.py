"""`pintu sla due`: the deadline of a target started at a given moment, on a unit's calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.org.models import Unit
from pintu.sla.calendars import calendar_for_unit
from pintu.sla.clock import Target, due_at, parse_target
from pintu.sop.definition import CLOCKS


class Command(BaseCommand):
    help = "Compute SLA deadlines on a unit's working calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        due = actions.add_parser(
            "due", help="Print the deadline of TARGET started at START (ISO 8601)."
        )
        due.add_argument("--unit", required=True, help="Unit code, e.g. UPT-SI.")
        due.add_argument(
            "--start",
            required=True,
            help="ISO 8601, e.g. 2026-11-25T15:55:00+07:00; without an offset it is read "
            "in the unit's time zone.",
        )
        due.add_argument("--target", required=True, help="15m, 4h, 1d, 3d, 2w or 1mo.")
        due.add_argument("--clock", choices=CLOCKS, default="working")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            target = parse_target(options["target"], options["clock"])
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        start = parse_start(options["start"])
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"unknown unit {options['unit']!r}", returncode=2)
        try:
            due = deadline(unit, start, target)
        except ValueError as error:
            raise CommandError(f"{unit.code}: {error}", returncode=2) from None
        self.stdout.write(due.isoformat())


def parse_start(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--start {text!r} is not an ISO 8601 date and time (e.g. 2026-11-25T15:55:00+07:00)",
            returncode=2,
        ) from None


def deadline(unit: Unit, start: datetime, target: Target) -> datetime:
    """``due_at`` on the unit's calendar, loaded for every year the computation reaches.

    It starts with the start's year and the next; a deadline that lands beyond them is
    computed again with those years' holidays too (holidays only move it later).
    """
    years = {start.year, start.year + 1}
    while True:
        calendar = calendar_for_unit(unit, years)
        local_start = start if start.tzinfo is not None else start.replace(tzinfo=calendar.tz)
        due = due_at(calendar, local_start, target)
        reached = set(range(local_start.astimezone(calendar.tz).year, due.year + 1))
        if reached <= years:
            return due
        years |= reached
