"""`pintu retention run [--dry-run]` and `pintu retention schedule`.

``run`` destroys what the unit heads approved (archived and verified first) and
proposes what else is past its period; ``--dry-run`` only lists what is due. Both print
one line per record concerned and a summary line.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pintu.org.models import Unit
from pintu.records.schedule import kinds, sop_records
from pintu.records.selectors import unit_years
from pintu.records.services import retention_run


class Command(BaseCommand):
    help = "Retention: `pintu retention run [--dry-run]`, `pintu retention schedule`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Destroy what was approved; propose what is due.")
        run.add_argument("--dry-run", action="store_true", help="List what is due, change nothing.")
        sub.add_parser("schedule", help="The SOP records, the data that holds them, the periods.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "schedule":
            self._schedule()
            return
        result = retention_run(now=timezone.now(), dry_run=options["dry_run"])
        units: dict[int | None, str] = dict(Unit.objects.values_list("id", "code"))
        for record in result.due:
            state = "held" if record.held else ("due" if options["dry_run"] else "proposed")
            self.stdout.write(
                f"{state:8} {units.get(record.unit_id, '-'):8} {record.kind:22} "
                f"{record.reference}  (kept since {record.kept_since:%Y-%m-%d})"
            )
        run = result.run
        self.stdout.write(
            f"{'dry run' if run.dry_run else 'run'} {run.pk}: {run.purged} destroyed "
            f"(archived and verified), {run.proposed} proposed, {run.held} held"
        )
        if result.failures:
            raise CommandError("\n".join(result.failures), returncode=1)

    def _schedule(self) -> None:
        years = unit_years()
        units: dict[int | None, str] = dict(Unit.objects.values_list("id", "code"))
        for sop, record in sop_records():
            held_by = [k.name for k in kinds().values() if record.name in k.sop_records]
            self.stdout.write(
                f"{sop.code:22} {record.name:32} {record.retention:4} "
                f"{', '.join(held_by) or '(no data in Pintu yet)'}"
            )
        for unit_id, period in sorted(years.items(), key=lambda i: units.get(i[0], "")):
            self.stdout.write(f"unit {units.get(unit_id, '(none)')}: kept {period} years")
