"""`pintu seed demo`: demo people and data for a local run (refused in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.org.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create demo data: `pintu seed demo`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("demo", help="Demo people of every role, holidays and a closure.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo data is for local runs; PINTU_ENV is production", returncode=2)
        made = seed_demo()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for person, created in made:
            where = person.unit or "semua unit"
            flag = "new" if created else "kept"
            self.stdout.write(
                f"  {person.username:<16} {person.role.label:<18} {where:<8} ({flag})"
            )
