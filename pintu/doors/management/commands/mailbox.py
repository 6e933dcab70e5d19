"""`pintu mailbox add|list|poll|watch`: the units' mailboxes that the e-mail door reads.

Credentials come on standard input, never as arguments (which `ps` shows to everyone):
``--password-stdin`` reads the password; ``--oauth`` reads the refresh token on the first
line and the OAuth2 client secret, if the client has one, on the second.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pintu.doors.email.imap import poll_all, poll_mailbox, watch_mailbox
from pintu.doors.email.mailboxes import TOKEN_URLS, OAuth, mailbox_save, token_url
from pintu.doors.models import Mailbox
from pintu.org.models import Unit


class Command(BaseCommand):
    help = "The units' IMAP mailboxes: add, list, poll once, or watch with IDLE."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a mailbox (or replace the settings of one).")
        add.add_argument("--unit", required=True, help="Code of the unit it serves, e.g. UPT-SI.")
        add.add_argument("--address", required=True, help="The address requesters write to.")
        add.add_argument("--host", required=True, help="IMAP server, e.g. imap.gmail.com.")
        add.add_argument("--port", type=int, help="Default 993 for ssl, 143 otherwise.")
        add.add_argument(
            "--security",
            choices=[s.value for s in Mailbox.Security],
            default="ssl",
            help="ssl: IMAPS (default); starttls; plain: loopback and tests only.",
        )
        add.add_argument("--folder", default="INBOX", help="Folder to read (default INBOX).")
        add.add_argument("--username", help="IMAP login; default the address.")
        secret = add.add_mutually_exclusive_group(required=True)
        secret.add_argument(
            "--password-stdin", action="store_true", help="Read the password from stdin."
        )
        secret.add_argument(
            "--oauth",
            metavar="PROVIDER",
            help=f"XOAUTH2: {' or '.join(TOKEN_URLS)} or the token URL; stdin gives the "
            "refresh token, then the client secret (if any) on a second line.",
        )
        add.add_argument("--client-id", default="", help="OAuth2 client (application) id.")
        add.add_argument(
            "--tenant", default="organizations", help="Microsoft Entra tenant (--oauth microsoft)."
        )
        sub.add_parser("list", help="Every mailbox, its last poll and last error.")
        poll = sub.add_parser("poll", help="Poll once (all active mailboxes, or one).")
        poll.add_argument("address", nargs="?")
        watch = sub.add_parser("watch", help="Keep a mailbox open with IDLE until stopped.")
        watch.add_argument("address")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self._add(options)
        elif action == "list":
            self._list()
        elif action == "poll":
            self._poll(options["address"])
        else:
            self._watch(options["address"])

    def _mailbox(self, address: str) -> Mailbox:
        mailbox = Mailbox.objects.select_related("unit").filter(address=address).first()
        if mailbox is None:
            raise CommandError(f"no mailbox {address}", returncode=2)
        return mailbox

    def _add(self, options: dict[str, Any]) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"no unit {options['unit']}", returncode=2)
        lines = sys.stdin.read().splitlines()
        password, oauth = "", None
        if options["password_stdin"]:
            password = lines[0] if lines else ""
            if not password:
                raise CommandError("no password on standard input", returncode=2)
        else:
            if not options["client_id"]:
                raise CommandError("--oauth needs --client-id", returncode=2)
            oauth = OAuth(
                token_url=token_url(options["oauth"], tenant=options["tenant"]),
                client_id=options["client_id"],
                refresh_token=lines[0].strip() if lines else "",
                client_secret=lines[1].strip() if len(lines) > 1 else "",
            )
        try:
            mailbox, created = mailbox_save(
                actor=None,
                unit=unit,
                address=options["address"],
                host=options["host"],
                port=options["port"],
                security=options["security"],
                folder=options["folder"],
                username=options["username"] or options["address"],
                password=password,
                oauth=oauth,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages), returncode=2) from None
        verb = "added" if created else "updated"
        self.stdout.write(f"{verb} {mailbox.address} for {unit.code} ({mailbox.auth})")

    def _list(self) -> None:
        mailboxes = list(Mailbox.objects.select_related("unit"))
        if not mailboxes:
            self.stdout.write("no mailbox yet: add one with `pintu mailbox add`")
        for mailbox in mailboxes:
            polled = (
                timezone.localtime(mailbox.last_polled_at).strftime("%Y-%m-%d %H:%M:%S")
                if mailbox.last_polled_at
                else "never"
            )
            state = "active" if mailbox.is_active else "inactive"
            self.stdout.write(
                f"{mailbox.address}  {mailbox.unit.code}  {mailbox.security}://{mailbox.host}:"
                f"{mailbox.port}/{mailbox.folder}  {mailbox.auth}  {state}  polled {polled}"
                + (f"  error: {mailbox.last_error}" if mailbox.last_error else "")
            )

    def _poll(self, address: str | None) -> None:
        """One JSON line per mailbox; exit status 1 when any of them failed."""
        results = [poll_mailbox(self._mailbox(address))] if address else poll_all()
        for result in results:
            self.stdout.write(json.dumps(result.summary()))
        failed = any(result.error for result in results)
        if failed:
            raise CommandError("a mailbox could not be polled (see its error)", returncode=1)

    def _watch(self, address: str) -> None:
        mailbox = self._mailbox(address)
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"watching {mailbox.address} (IDLE); stop with Ctrl+C or SIGTERM")
        watch_mailbox(mailbox, stop=stop)
