"""`pintu identity import FILE [--dry-run]` and `pintu identity cohort FILE`: the master
data and a cohort of new students from the command line, with the same checks as the
pages (a file with any bad row changes nothing; exit status 2 then).

``import`` prints one line per problem (``row N, column: problem``) or the counts;
``cohort`` runs the batch here, one line per student, and can write the hand-over
letters (``--letters FILE.pdf``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pintu.identity import cohorts
from pintu.identity.letters import letters_pdf
from pintu.identity.services import Imported, master_import


class Command(BaseCommand):
    help = (
        "Campus accounts: `pintu identity import FILE [--dry-run]`, `pintu identity cohort FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Check and import a CSV or XLSX of master data.")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="Check only; import nothing.")
        cohort = sub.add_parser("cohort", help="Make the accounts of a list of new students.")
        cohort.add_argument("file")
        cohort.add_argument(
            "--send-messages", action="store_true", help="Also send each student their link."
        )
        cohort.add_argument("--letters", help="Write the hand-over letters to this PDF file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}", returncode=2) from None
        now = timezone.now()
        if options["action"] == "import":
            result = master_import(
                actor=None, filename=path.name, data=data, now=now, dry_run=options["dry_run"]
            )
            self._report(result)
            verb = "would import" if options["dry_run"] else "imported"
            self.stdout.write(
                f"{verb} {len(result.report.people)} row(s): {result.created} new, "
                f"{result.updated} known already"
            )
            return
        made, result = cohorts.cohort_create(
            actor=None,
            filename=path.name,
            data=data,
            send_messages=options["send_messages"],
            now=now,
        )
        self._report(result)
        assert made is not None  # _report stopped on problems
        for row, id_number in made.people:
            line = cohorts.cohort_row(cohort=made, row=row, id_number=id_number, now=now)
            self.stdout.write(
                f"row {row}: {id_number} {line.account.username} {line.get_outcome_display()}"
            )
        cohorts.cohort_run(cohort=made, now=now)  # marks it done; every row is there
        if options["letters"]:
            Path(options["letters"]).write_bytes(letters_pdf(made, now=now))
            self.stdout.write(f"letters: {options['letters']}")

    def _report(self, result: Imported) -> None:
        if result.report.ok:
            return
        for problem in result.report.problems:
            where = f"row {problem.row}" if problem.row else "file"
            column = f", {problem.column}" if problem.column else ""
            self.stderr.write(f"{where}{column}: {problem.message}")
        raise CommandError(
            f"{len(result.report.problems)} problem(s): nothing was imported", returncode=2
        )
