"""`pintu seed demo` and `pintu seed bench --tickets N` (both refused in production)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.site.demo import DEMO_PASSWORD, seed_demo
from pintu.site.demo.people import DEMO_TOTP_KEY
from pintu.site.demo.seed import YEAR


class Command(BaseCommand):
    help = "Create demo data (`pintu seed demo`) or benchmark data (`pintu seed bench`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        demo = sub.add_parser(
            "demo",
            help="Demo people of every role, a year of requests and a few live ones "
            "(needs `pintu sop load`; a second run keeps what the first made).",
        )
        demo.add_argument(
            "--days", type=int, default=YEAR, help="Days of requests before now (default 365)."
        )
        bench = sub.add_parser(
            "bench",
            help="Synthetic tickets for the benchmark in bench/ (needs `pintu sop load`).",
        )
        bench.add_argument("--tickets", type=int, required=True, help="How many tickets.")
        bench.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed, the same data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                f"{options['what']} data is for local runs; PINTU_ENV is production", returncode=2
            )
        if options["what"] == "bench":
            self.bench(tickets=options["tickets"], seed=options["seed"])
        else:
            self.demo(days=options["days"])

    def demo(self, *, days: int) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1", returncode=2)
        result = seed_demo(days=days, progress=self.stderr.write)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(
            f"Staff also enter a sign-in code: add the key {demo_key_text()} to an "
            "authenticator app, or run `pintu twofactor code USERNAME`"
        )
        for person, created in result.people:
            where = person.unit or "semua unit"
            flag = "new" if created else "kept"
            self.stdout.write(
                f"  {person.username:<16} {person.role.label:<18} {where:<8} ({flag})"
            )
        if result.made:
            self.stdout.write(
                f"Demo requests: {result.requests} over the last {days} days (new, "
                f"{result.seconds:.0f} s); {result.arrivals} more arrive in the next minutes"
            )
        elif result.requests:
            self.stdout.write(
                f"Demo requests: kept ({result.requests} requests in all; "
                f"{result.arrivals} live arrivals still to come)"
            )
        else:
            self.stdout.write("Demo requests: none, no SOP is loaded (run `pintu sop load`)")

    def bench(self, *, tickets: int, seed: int) -> None:
        from pintu.desk.bench import BenchError, seed_bench

        try:
            result = seed_bench(tickets=tickets, seed=seed, progress=self.stderr.write)
        except BenchError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"bench: {result.tickets} tickets, {result.articles} articles, {result.steps} steps "
            f"in {result.seconds:.0f} s ({result.rate:.0f} tickets/s)"
        )


def demo_key_text() -> str:
    """The demo's authenticator key as an app takes it (base32)."""
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")
