"""`pintu partners import FILE [--dry-run] [--valid-rows] --user NAME`: import an
agreements spreadsheet (XLSX or CSV) into the register, as the import page does. Every
row's problem is printed with its line and column; with one, nothing is imported
unless --valid-rows says to import the others. Exit status 1 when rows have problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.partners.services.imports import (
    ImportRefused,
    Preview,
    agreements_import,
    agreements_preview,
    problem_words,
)


class Command(BaseCommand):
    help = "Partnerships: `import FILE` reads an agreements spreadsheet into the register."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        action = actions.add_parser("import", help="Import agreements from an XLSX or CSV file.")
        action.add_argument("file", help="The spreadsheet (.xlsx or .csv).")
        action.add_argument(
            "--dry-run", action="store_true", help="Check every row; import nothing."
        )
        action.add_argument(
            "--valid-rows",
            action="store_true",
            help="Import the rows without problems even when others have some.",
        )
        action.add_argument("--user", help="Who imports (the audit log names them).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}", returncode=2) from None
        try:
            if options["dry_run"]:
                preview = agreements_preview(name=path.name, data=data)
            else:
                preview = agreements_import(
                    actor=self._actor(options["user"]),
                    name=path.name,
                    data=data,
                    valid_rows_only=options["valid_rows"],
                )
        except ImportRefused as refused:
            if not options["dry_run"]:
                self._report(agreements_preview_or_none(path.name, data))
            raise CommandError(f"{path.name}: {refused}", returncode=1) from None
        self._report(preview)
        if options["dry_run"]:
            self.stdout.write(
                f"{len(preview.valid)} rows can be imported, {len(preview.wrong)} have problems "
                "(dry run: nothing imported)."
            )
        else:
            self.stdout.write(f"{len(preview.imported)} agreements imported as drafts.")
        if preview.wrong:
            raise CommandError(f"{len(preview.wrong)} rows have problems.", returncode=1)

    def _actor(self, username: str | None) -> Any:
        if not username:
            raise CommandError("--user is required to import (or use --dry-run)", returncode=2)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"unknown user {username!r}", returncode=2)
        return user

    def _report(self, preview: Preview | None) -> None:
        for row in preview.wrong if preview else ():
            for problem in row.problems:
                self.stderr.write(problem_words(row.line, problem))


def agreements_preview_or_none(name: str, data: bytes) -> Preview | None:
    try:
        return agreements_preview(name=name, data=data)
    except ImportRefused:
        return None
