"""Pintu as ``compare.py`` drives it: gunicorn and one ``pintu worker`` on the database of
DATABASE_URL, people signed in through the login form (staff with their authenticator
code), the pages and API calls of issue #14, e-mail through the unit's IMAP mailbox,
WhatsApp through the signed webhook, and a whole LED written by the worker.

Import it after ``django.setup()``: it reads Pintu's models to choose what to open.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from bench.browser import PASSWORD, Recorder, authenticator_code, form_post, opener, sign_in
from bench.systems import (
    Failure,
    Ingestion,
    Operation,
    children,
    get,
    gunicorn,
    peak_rss_mb,
    start,
    stop,
    wait_for,
)
from pintu.desk.models import Ticket
from pintu.doors.models import InboundMessage
from pintu.doors.tests.imap_peer import HELPDESK, ImapPeer
from pintu.doors.tests.whatsapp_samples import APP_SECRET, sign
from pintu.org import services, twofactor
from pintu.org.models import Role, Unit, User

ROOT = Path(__file__).resolve().parent.parent
# Every request of a run comes from one address: lift the per-address limits.
LIMITS = {
    "PINTU_RATE_LOGIN_PER_5_MINUTES": "100000",
    "PINTU_RATE_PORTAL_PER_HOUR": "100000",
    "PINTU_RATE_WEBHOOK_PER_MINUTE": "100000",
    "PINTU_LOGIN_FAILURE_LIMIT": "1000",
}
UNIT = "UPT-SI"  # the busiest unit of the bench data (35 % of the tickets)
# Subjects of `pintu seed bench` name one of nine places; "Aula" is in about 1 % of all
# tickets (all of them UPT-SI's: broken projectors, Wi-Fi, installations).
SEARCH = "Aula"
STAFF = "ukur-staf"  # "ukur": to measure; not "bench-", which the generator's people use
HEAD = "ukur-kepala"
KEY = "7563757220636f6d706172652070696e7475"  # the staff's authenticator key (hex)
TICKETS_TO_OPEN = 20
LED = "PDF"


@dataclass(frozen=True)
class Choices:
    """What both systems are asked for: the same unit, term, tickets and requester."""

    unit: str
    search: str
    ticket_ids: list[int]
    requester: str
    staff: str
    year: int


def requester_with_most_tickets() -> str:
    """The bench requester with the most requests (ties: the first by name)."""
    busiest = (
        Ticket.objects.filter(requester__username__startswith="bench-pemohon-")
        .values("requester__username")
        .annotate(count=Count("id"))
        .order_by("-count", "requester__username")
        .first()
    )
    if busiest is None:
        raise SystemExit("no bench requests: run `pintu seed bench --tickets N` first")
    return str(busiest["requester__username"])


def _person(username: str, role: Role, unit: Unit) -> None:
    """A member of ``unit`` who signs in with the run's password and authenticator."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            actor=None, username=username, password=PASSWORD, full_name=username
        )
    services.membership_grant(actor=None, user=user, role=role, unit=unit)
    twofactor.demo_device(user=user, key=KEY)


def choose() -> Choices:
    """Make the run's people and pick what both systems open."""
    unit = Unit.objects.get(code=UNIT)
    _person(STAFF, Role.STAFF, unit)
    _person(HEAD, Role.HEAD, unit)
    requester = User.objects.get(username=requester_with_most_tickets())
    # The generator's requesters have no password (nobody signs in as them); the
    # comparison does, through the form.
    requester.set_password(PASSWORD)
    requester.save(update_fields=["password"])
    ids = list(Ticket.objects.filter(unit=unit).values_list("id", flat=True))
    picked = sorted(random.Random(14).sample(ids, min(TICKETS_TO_OPEN, len(ids))))
    return Choices(
        unit=UNIT,
        search=SEARCH,
        ticket_ids=picked,
        requester=requester.username,
        staff=STAFF,
        year=timezone.localdate().year,
    )


class Pintu:
    name = "pintu"

    def __init__(
        self,
        *,
        choices: Choices,
        imap: ImapPeer,
        outside: dict[str, str],
        port: int,
        web_workers: int,
    ) -> None:
        self.choices = choices
        self.imap = imap
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.web_workers = web_workers
        self.tickets = Ticket.objects.count()
        self.references = dict(
            Ticket.objects.filter(id__in=choices.ticket_ids).values_list("id", "reference")
        )
        self.env = {
            **os.environ,
            **LIMITS,
            "PINTU_DEBUG": "0",
            "PINTU_LOG_LEVEL": "WARNING",
            "PINTU_WHATSAPP_APP_SECRET": APP_SECRET,
            "PINTU_IMAP_POLL_SECONDS": "5",
            **outside,  # where mail and WhatsApp messages leave the building
        }
        self.web: Any = None
        self.worker: Any = None
        self.browsers: dict[str, Any] = {}
        self.since = timezone.now().isoformat()

    # ------------------------------------------------------------------ processes

    def start(self) -> None:
        # The unit's mailbox on this run's dovecot, before the worker first polls.
        self.imap.mailbox(HELPDESK, self.choices.unit)
        bin_dir = Path(sys.executable).parent
        # Synthetic tickets aged without anybody being warned: the first SLA sweep
        # writes those warnings at once. Done (and their e-mail sent) before anything
        # is timed, by the worker's one-pass mode.
        subprocess.run(  # noqa: S603 (our own command line)
            [str(bin_dir / "pintu"), "worker", "--batch"],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.web = gunicorn(
            bin_dir / "gunicorn",
            "pintu.wsgi",
            port=self.port,
            workers=self.web_workers,
            env=self.env,
        )
        # Periodic jobs (the mailbox poll among them) checked every second, not every
        # 30: the run waits for mail, a desk in use does not.
        self.worker = start(
            [str(bin_dir / "pintu"), "worker", "--interval", "0.2", "--schedule-every", "1"],
            cwd=ROOT,
            env=self.env,
        )
        wait_for(self.base + "/healthz")

    def stop(self) -> None:
        stop(self.web)
        stop(self.worker)

    def peak_memory_mb(self) -> dict[str, float]:
        return {
            "web": max(peak_rss_mb(pid) for pid in children(self.web.pid)),
            "worker": peak_rss_mb(self.worker.pid),
        }

    # ------------------------------------------------------------------ people

    def sign_in(self) -> None:
        rec = Recorder()
        for who, username, code in (
            ("staff", STAFF, True),
            ("head", HEAD, True),
            ("requester", self.choices.requester, False),
        ):
            browser = sign_in(
                rec,
                self.base,
                username,
                code=(lambda name=username: authenticator_code(name)) if code else None,
            )
            if browser is None:
                raise Failure(f"pintu: {who} {username} not signed in: {dict(rec.errors)}")
            self.browsers[who] = browser

    # ------------------------------------------------------------------ operations

    def operations(self) -> list[Operation]:
        c = self.choices
        unit = urllib.parse.quote(c.unit)
        refs = [self.references[i] for i in c.ticket_ids]
        pages = {
            "staff queue page": ("staff", [f"/desk/?unit={unit}"]),
            "staff queue poll": (
                "staff",
                [f"/desk/rows/?unit={unit}&" + urllib.parse.urlencode({"since": self.since})],
            ),
            "ticket list JSON": ("staff", ["/api/v1/tickets?limit=25"]),
            "unit open tickets JSON": (
                "staff",
                [f"/api/v1/tickets?unit={unit}&status=open&limit=25"],
            ),
            "search": ("staff", [f"/desk/?unit={unit}&status=all&q={c.search}"]),
            "ticket page": ("staff", [f"/desk/t/{ref}/" for ref in refs]),
            "requester's list": ("requester", ["/permintaan-saya/"]),
            "KPIs of a unit-year": ("staff", [f"/kpi/{unit}/{c.year}/"]),
        }
        operations = []
        for name, (who, paths) in pages.items():
            shown = paths[0].replace(refs[0], "<reference>").split("&since=")[0]
            shown += "&since=<when the page was opened>" if "&since=" in paths[0] else ""
            operations.append(
                Operation(name, f"GET {shown}", self._getter(self.browsers[who], paths))
            )
        return operations

    def _getter(self, browser: Any, paths: list[str]) -> Any:
        def run(i: int) -> None:
            get(browser, self.base + paths[i % len(paths)])

        return run

    def led(self) -> Operation:
        """A whole LED of the unit's year as PDF, asked for on the report page and
        written by the worker: from the POST until its status says done."""
        c = self.choices
        page = f"{self.base}/laporan/{c.unit}/{c.year}/?kind=led"
        browser = self.browsers["head"]
        status_url = re.compile(rb"/laporan/versi/(\d+)/status/")

        def run(i: int) -> None:
            rec = Recorder()
            before = {int(n) for n in status_url.findall(get(browser, page))}
            status, body, _ = form_post(
                rec, "LED", browser, page, {"form": "generate", "format": LED.lower()}
            )
            made = {int(n) for n in status_url.findall(body or b"")} - before
            if status != 200 or len(made) != 1:
                raise Failure(f"no LED version asked for ({status}, {dict(rec.errors)})")
            status_of = f"{self.base}/laporan/versi/{made.pop()}/status/"
            deadline = time.monotonic() + 1800
            while time.monotonic() < deadline:
                state = json.loads(get(browser, status_of))
                if state["status"] == "done":
                    return
                if state["error"]:
                    raise Failure(f"the LED failed: {state['error']}")
                time.sleep(0.1)
            raise Failure("the LED was not written within 30 minutes")

        return Operation(
            f"LED of a unit-year ({LED})",
            f"POST /laporan/{c.unit}/{c.year}/?kind=led, then GET /laporan/versi/<id>/status/"
            " until done",
            run,
        )

    # ------------------------------------------------------------------ ingestion

    def _paused(self) -> Any:
        """The worker stopped (SIGSTOP) while messages arrive, so that it then finds all
        of them waiting, as after a busy minute."""
        worker = self.worker

        class Paused:
            def __enter__(self) -> None:
                os.killpg(worker.pid, signal.SIGSTOP)

            def __exit__(self, *exc: object) -> None:
                os.killpg(worker.pid, signal.SIGCONT)

        return Paused()

    def _filed(self, name: str, door: str, after: int, count: int, how: str) -> Ingestion:
        rows = InboundMessage.objects.filter(id__gt=after, door=door)
        deadline = time.monotonic() + 120 + count
        while time.monotonic() < deadline:
            done = rows.exclude(outcome=InboundMessage.Outcome.PENDING)
            if done.count() >= count:
                break
            time.sleep(0.5)
        else:
            raise Failure(f"pintu: {name}: {rows.count()} of {count} arrived, not all filed")
        found = list(done.values_list("processed_at", "outcome"))
        return Ingestion(
            name=name,
            done_at=[moment.timestamp() for moment, _ in found if moment is not None],
            outcomes=dict(Counter(outcome for _, outcome in found)),
            how=how,
        )

    def _last_message(self) -> int:
        return InboundMessage.objects.aggregate(last=Max("id"))["last"] or 0

    def ingest_email(self, name: str, mails: Sequence[bytes]) -> Ingestion:
        after = self._last_message()
        with self._paused():
            self.imap.append_many(HELPDESK, mails)
        return self._filed(
            name,
            InboundMessage.Door.EMAIL,
            after,
            len(mails),
            "IMAP APPEND to the unit's mailbox while the worker is paused, then the worker's "
            "poll (every 5 s)",
        )

    def ingest_whatsapp(self, bodies: Sequence[bytes]) -> tuple[Ingestion, list[float]]:
        """File signed webhook bodies (one message each); also the POSTs' times (ms)."""
        after = self._last_message()
        posts = []
        browser = opener()
        with self._paused():
            for body in bodies:
                request = urllib.request.Request(  # noqa: S310 (our own server)
                    self.base + "/webhooks/whatsapp",
                    data=body,
                    headers={
                        "Content-Type": "application/json",
                        "X-Hub-Signature-256": sign(body, APP_SECRET),
                    },
                )
                started = time.perf_counter()
                with browser.open(request, timeout=60) as response:
                    response.read()
                    if response.status != 200:
                        raise Failure(f"the webhook answered {response.status}")
                posts.append((time.perf_counter() - started) * 1000)
        ingestion = self._filed(
            "WhatsApp messages",
            InboundMessage.Door.WHATSAPP,
            after,
            len(bodies),
            "signed webhook bodies POSTed through gunicorn while the worker is paused, then "
            "filed by the worker",
        )
        return ingestion, posts
