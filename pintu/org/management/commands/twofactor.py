"""`pintu twofactor reset USERNAME --reason TEXT` removes a person's second factor (a lost
phone); `pintu twofactor status` lists who has one; `pintu twofactor code USERNAME`
prints the code a demo person's authenticator shows now (demo devices only, never in
production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.org import twofactor
from pintu.org.models import User


class Command(BaseCommand):
    help = "The second factor of sign-in: reset a person's, list who has one, demo codes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        reset = sub.add_parser("reset", help="Remove a person's second factor (a lost phone).")
        reset.add_argument("username")
        reset.add_argument("--reason", required=True, help="Why (kept in the audit log).")
        sub.add_parser("status", help="Who must use a second factor and who has one.")
        code = sub.add_parser("code", help="The current code of a demo person (local runs).")
        code.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "status":
            self.status()
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no person has the username {options['username']!r}", returncode=2)
        if options["what"] == "reset":
            try:
                twofactor.reset(actor=None, user=user, reason=options["reason"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages), returncode=2) from None
            self.stdout.write(f"{user.username}: second factor removed; set up again at sign-in")
            return
        if settings.PRODUCTION:
            raise CommandError(
                "demo codes are for local runs; PINTU_ENV is production", returncode=2
            )
        code = twofactor.demo_code(user)
        if code is None:
            raise CommandError(f"{user.username} has no demo authenticator", returncode=2)
        self.stdout.write(code)

    def status(self) -> None:
        for user in User.objects.order_by("username"):
            needed = twofactor.required_by_role(user)
            has = twofactor.has_device(user)
            if needed or has:
                state = "on" if has else "NOT SET UP"
                why = "required" if needed else "optional"
                self.stdout.write(
                    f"{user.username:<20} {why:<9} {state:<11} "
                    f"{twofactor.recovery_left(user)} recovery codes"
                )
