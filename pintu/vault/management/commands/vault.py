"""`pintu vault new-key` and `pintu vault rotate-key`: the key that seals the
digital-service accounts' credentials (``PINTU_VAULT_KEY`` or ``PINTU_VAULT_KEY_FILE``).

``rotate-key`` re-seals every credential under a new key in one transaction. With a key
file, the new key is written beside it first (``<file>.new``) and moved over it once
the database has committed. With ``PINTU_VAULT_KEY``, the new key comes on standard
input (made with ``new-key`` and kept safe first) and must be set in the environment
before the processes restart.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.vault.envelope import BadKey, key_id, new_key, parse_key
from pintu.vault.keys import KeyUnavailable, current_key, key_file, stage_key_file
from pintu.vault.services import vault_key_rotate


class Command(BaseCommand):
    help = "The vault's key: `pintu vault new-key`, `pintu vault rotate-key [--new-key-stdin]`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("new-key", help="Print a new random key (for PINTU_VAULT_KEY or a file).")
        rotate = sub.add_parser("rotate-key", help="Re-seal every credential under a new key.")
        rotate.add_argument(
            "--new-key-stdin",
            action="store_true",
            help="Read the new key from standard input instead of making one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "new-key":
            self.stdout.write(new_key())
            return
        try:
            old = current_key()
        except KeyUnavailable as error:
            raise CommandError(str(error), returncode=2) from None
        path = None if settings.PINTU_VAULT_KEY else key_file()
        if options["new_key_stdin"]:
            text = sys.stdin.readline()
        elif path is None:
            raise CommandError(
                "PINTU_VAULT_KEY holds the key: make a new one with `pintu vault new-key`, "
                "keep it safe, and give it on standard input with --new-key-stdin",
                returncode=2,
            )
        else:
            text = new_key()
        try:
            new = parse_key(text)
        except BadKey as error:
            raise CommandError(f"the new key is not usable: {error}", returncode=2) from None
        if new == old:
            raise CommandError("the new key is the key in use", returncode=2)
        staged = stage_key_file(path, text.strip()) if path is not None else None
        try:
            count = vault_key_rotate(old=old, new=new)
        except ValidationError as error:
            if staged is not None:
                staged.unlink(missing_ok=True)
            raise CommandError(" ".join(error.messages), returncode=1) from None
        if path is not None and staged is not None:
            os.replace(staged, path)
            where = f"the key file {path} holds it now"
        else:
            where = "set PINTU_VAULT_KEY to it before the web and worker processes restart"
        self.stdout.write(
            f"re-sealed {count} credential(s) from key {key_id(old)} to key {key_id(new)}; {where}"
        )
