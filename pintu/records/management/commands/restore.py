"""`pintu restore FILE`: put back the database and the stored files of a backup.

The backup's manifest is checked first; a backup that does not verify, was made on
the other kind of database, or by a newer Pintu changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.records.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database and every stored file from a `pintu backup` FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A file written by `pintu backup -o FILE`.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            summary = restore(path)
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"restored {path}: {summary.engine} database, {summary.files} files "
            "(run `pintu migrate` if this Pintu is newer than the backup)"
        )
