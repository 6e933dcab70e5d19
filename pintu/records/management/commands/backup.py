"""`pintu backup -o FILE`: the database and every stored file in one .tar.gz."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.records.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (SQLite or PostgreSQL) and every stored file to FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="The backup file (.tar.gz).")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"-o: the folder {output.parent} does not exist", returncode=2)
        try:
            summary = backup(output)
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"backup {output}: {summary.engine} database ({summary.database_bytes} bytes), "
            f"{summary.files} files"
        )
