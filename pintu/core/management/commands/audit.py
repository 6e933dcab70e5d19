"""`pintu audit verify|digests`: check the audit log's hash chain; list its daily digests.

``verify`` prints one line: the rows checked and the chain head, or the first row that
was altered, deleted or inserted out of order (and then exits 1).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.core.audit import audit_digests, audit_verify


class Command(BaseCommand):
    help = "The audit log's hash chain: `pintu audit verify`, `pintu audit digests --year Y`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Check every row of the chain; exit 1 on the first break.")
        digests = sub.add_parser("digests", help="The daily digests of the chain head of a year.")
        digests.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "digests":
            for digest in audit_digests(options["year"]):
                self.stdout.write(f"{digest.day.isoformat()} {digest.seq} {digest.hash}")
            return
        verdict = audit_verify()
        if verdict.problem is not None:
            raise CommandError(
                f"audit chain broken after {verdict.rows} good rows: {verdict.problem.message}",
                returncode=1,
            )
        self.stdout.write(
            f"audit chain intact: {verdict.rows} rows, head {verdict.head_seq} {verdict.head_hash}"
        )
