"""django-helpdesk 2.6 as ``compare.py`` drives it, from Pintu's side of the fence: its
gunicorn (from its own virtual environment) on its own database, its login form, its
pages with the JSON they load, and its ``get_email`` command on an IMAP mailbox.

Only HTTP, IMAP, subprocesses and SQL on its database: nothing of django-helpdesk is
imported into the comparison's process. The operations are the ones its templates make
a browser do: the ticket list is a page shell whose table then asks
``datatables_ticket_list/<base64 query>`` for its rows; "my tickets" is a shell whose
script asks ``/api/user_tickets/``.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg

from bench.browser import Recorder, sign_in
from bench.systems import (
    Failure,
    Ingestion,
    Operation,
    children,
    get,
    gunicorn,
    peak_rss_mb,
    stop,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = re.compile(rb"datatables_ticket_list/([A-Za-z0-9+/=]*)")
OPEN, REOPENED = 1, 2
QUEUE_ROWS = 100  # as many as Pintu's queue page shows
PAGE_ROWS = 25


def datatables(length: int) -> str:
    """The parameters the ticket list's table sends for its first page."""
    return urllib.parse.urlencode(
        {"draw": 1, "start": 0, "length": length, "search[value]": "", "_": int(time.time())}
    )


def query(**params: Any) -> str:
    """A ticket-list query in django-helpdesk's own URL form (base64 of its JSON)."""
    values = {"filtering": {}, "sorting": "created", "sortreverse": False, "search_string": ""}
    values.update(params)
    return base64.b64encode(json.dumps(values).encode()).decode()


class Helpdesk:
    name = "django-helpdesk"

    def __init__(
        self,
        *,
        venv: Path,
        database_url: str,
        choices: Any,
        imap: Any,
        imap_account: tuple[str, str],
        mail_to: str,
        smtp_port: int,
        port: int,
        web_workers: int,
    ) -> None:
        self.venv = venv
        self.database_url = database_url
        self.choices = choices
        self.imap = imap
        self.imap_account = imap_account
        self.mail_to = mail_to
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.web_workers = web_workers
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
            "PEER_DATABASE_URL": database_url,
            "PEER_SMTP_PORT": str(smtp_port),
            "PYTHONPATH": str(ROOT),
        }
        self.db = psycopg.connect(database_url, autocommit=True)
        self.tickets = self._one("SELECT count(*) FROM helpdesk_ticket")
        self.queue = self._one(
            "SELECT id FROM helpdesk_queue WHERE slug = %s", (choices.unit.lower(),)
        )
        self.web: Any = None
        self.browsers: dict[str, Any] = {}
        self.worker_peak_mb = 0.0

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        if row is None:
            raise Failure(f"django-helpdesk: nothing for {sql}")
        return row[0]

    # ------------------------------------------------------------------ processes

    def start(self) -> None:
        self.web = gunicorn(
            self.venv / "bin" / "gunicorn",
            "bench.peer.wsgi",
            port=self.port,
            workers=self.web_workers,
            env=self.env,
        )
        wait_for(self.base + "/login/")

    def stop(self) -> None:
        stop(self.web)
        self.db.close()

    def peak_memory_mb(self) -> dict[str, float]:
        return {
            "web": max(peak_rss_mb(pid) for pid in children(self.web.pid)),
            "worker": self.worker_peak_mb,
        }

    # ------------------------------------------------------------------ people

    def sign_in(self) -> None:
        rec = Recorder()
        for who, username in (
            ("staff", self.choices.staff),
            ("requester", self.choices.requester),
        ):
            browser = sign_in(rec, self.base, username)
            if browser is None:
                raise Failure(f"django-helpdesk: {who} {username} not signed in: {rec.errors}")
            self.browsers[who] = browser

    # ------------------------------------------------------------------ operations

    def operations(self) -> list[Operation]:
        c, q = self.choices, self.queue
        staff, requester = self.browsers["staff"], self.browsers["requester"]
        shell = f"/tickets/?queue={q}&status={OPEN}&status={REOPENED}"
        search = f"/tickets/?queue={q}&q={urllib.parse.quote(c.search)}"
        newest = query(filtering={"queue__id__in": [q]}, sortreverse=True)
        opened = query(filtering={"queue__id__in": [q], "status__in": [OPEN]})
        return [
            Operation(
                "staff queue page",
                f"GET {shell} + the table's GET datatables_ticket_list/<query>?length={QUEUE_ROWS}",
                self._shell_and_rows(staff, shell, QUEUE_ROWS),
            ),
            Operation(
                "ticket list JSON",
                f"GET datatables_ticket_list/<queue {q}, newest first>?length={PAGE_ROWS}",
                self._rows(staff, newest, PAGE_ROWS),
            ),
            Operation(
                "unit open tickets JSON",
                f"GET datatables_ticket_list/<queue {q}, Open>?length={PAGE_ROWS}",
                self._rows(staff, opened, PAGE_ROWS),
            ),
            Operation(
                "search",
                f"GET {search} + GET datatables_ticket_list/<query>?length={QUEUE_ROWS}",
                self._shell_and_rows(staff, search, QUEUE_ROWS),
            ),
            Operation(
                "ticket page",
                "GET /tickets/<id>/",
                self._ticket(staff),
            ),
            Operation(
                "requester's list",
                "GET /tickets/my-tickets/ + its script's GET /api/user_tickets/?page=1",
                self._my_tickets(requester),
            ),
        ]

    def _ticket(self, browser: Any) -> Any:
        ids = self.choices.ticket_ids

        def run(i: int) -> None:
            get(browser, f"{self.base}/tickets/{ids[i % len(ids)]}/")

        return run

    def _rows(self, browser: Any, b64: str, length: int) -> Any:
        def run(i: int) -> None:
            answer = json.loads(
                get(browser, f"{self.base}/datatables_ticket_list/{b64}?{datatables(length)}")
            )
            if "data" not in answer:
                raise Failure("the ticket table's answer has no rows")

        return run

    def _shell_and_rows(self, browser: Any, path: str, length: int) -> Any:
        def run(i: int) -> None:
            page = get(browser, self.base + path)
            found = DATA.search(page)
            if found is None:
                raise Failure(f"no ticket table on {path}")
            self._rows(browser, found.group(1).decode(), length)(i)

        return run

    def _my_tickets(self, browser: Any) -> Any:
        def run(i: int) -> None:
            get(browser, self.base + "/tickets/my-tickets/")
            answer = json.loads(get(browser, self.base + "/api/user_tickets/?page=1"))
            if not answer.get("results"):
                raise Failure("the requester has no tickets on django-helpdesk")

        return run

    # ------------------------------------------------------------------ ingestion

    def ingest_email(self, name: str, mails: Sequence[bytes]) -> Ingestion:
        """APPEND the mails to the queue's IMAP mailbox and run ``get_email`` once, as
        cron would; its peak memory is the "worker"'s."""
        user, password = self.imap_account
        self.db.execute(
            "UPDATE helpdesk_queue SET email_address = %s, allow_email_submission = true, "
            "email_box_type = 'imap', email_box_host = '127.0.0.1', email_box_port = %s, "
            "email_box_ssl = false, email_box_user = %s, email_box_pass = %s, "
            "email_box_imap_folder = 'INBOX', email_box_interval = 0 WHERE id = %s",
            (self.mail_to, self.imap.port, user, password, self.queue),
        )
        before = self._one("SELECT coalesce(max(id), 0) FROM helpdesk_followup")
        tickets = self._one("SELECT coalesce(max(id), 0) FROM helpdesk_ticket")
        self.imap.append_many(user, mails)
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            [str(self.venv / "bin" / "python"), str(ROOT / "bench/peer/manage.py"), "get_email"],
            cwd=ROOT,
            env=self.env,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise Failure(f"get_email ended with {process.returncode}")
        self.worker_peak_mb = max(self.worker_peak_mb, usage.ru_maxrss / 1024)
        done = [
            row[0]
            for row in self.db.execute(
                "SELECT extract(epoch FROM date)::float FROM helpdesk_followup WHERE id > %s",
                (before,),
            )
        ]
        created = self._one("SELECT count(*) FROM helpdesk_ticket WHERE id > %s", (tickets,))
        if len(done) != len(mails):
            raise Failure(f"django-helpdesk: {name}: {len(done)} of {len(mails)} filed")
        return Ingestion(
            name=name,
            done_at=done,
            outcomes={"created": created, "appended": len(done) - created},
            how="IMAP APPEND to the queue's mailbox, then `manage.py get_email` once",
        )
