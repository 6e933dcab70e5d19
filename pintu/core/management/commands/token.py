"""`pintu token create|list|revoke`: personal tokens for the JSON API.

``create`` prints the token and nothing else, so that a script can capture it; it is
shown this once and cannot be read back.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pintu.core.tokens import (
    SCHEME,
    api_token_create,
    api_token_find,
    api_token_revoke,
    api_tokens_of,
)


class Command(BaseCommand):
    help = "Personal API tokens: `pintu token create USERNAME [--name NAME]`, `list`, `revoke`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token and print it (shown once).")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")
        listing = sub.add_parser("list", help="A person's tokens (prefix, name, dates).")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke the token shown as PREFIX.")
        revoke.add_argument("prefix", help="pintu_XXXXXXXX as `list` shows it.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = self._user(options["username"])
            if not user.is_active:
                raise CommandError(f"{user.username} is deactivated", returncode=2)
            _, token = api_token_create(actor=None, user=user, name=options["name"])
            self.stdout.write(token)
        elif action == "list":
            self._list(self._user(options["username"]))
        else:
            row = api_token_find(options["prefix"])
            if row is None:
                raise CommandError(f"no token {options['prefix']}", returncode=2)
            if row.revoked_at is not None:
                raise CommandError(f"{SCHEME}{row.prefix} is already revoked", returncode=2)
            api_token_revoke(actor=None, token=row)
            self.stdout.write(f"revoked {SCHEME}{row.prefix} of {row.user.username}")

    def _user(self, username: str) -> AbstractUser:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username}", returncode=2)
        return user

    def _list(self, user: AbstractUser) -> None:
        def when(moment: Any) -> str:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"

        for row in api_tokens_of(user):
            state = f"revoked {when(row.revoked_at)}" if row.revoked_at else "active"
            self.stdout.write(
                f"{SCHEME}{row.prefix}  {row.name or '-':<20}  created {when(row.created_at)}"
                f"  last used {when(row.last_used_at)}  {state}"
            )
