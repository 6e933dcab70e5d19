"""Three `pintu worker` processes, each as if on a host of its own, share the PostgreSQL
queue: 2,000 incoming messages (WhatsApp webhook bodies, and mail in an IMAP mailbox),
SLA sweeps racing over the same overdue requests, and the outbox's acknowledgements and
notifications to a local SMTP relay and Graph API. One worker is killed with SIGKILL
while it polls the mailbox; the other two, with their reaper, finish everything. Then
every message is filed once (one request per sender), every outgoing message arrived
once, every warning and escalation was sent once, and no task is left waiting, running
or failed.

PostgreSQL only (SQLite takes one writer at a time): it runs when the suite runs on
PostgreSQL, as CI does.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pintu.conftest import Personas, child_environment, wait_for
from pintu.desk.models import Article, Door, Ticket, TicketEvent
from pintu.desk.tasks import sla_sweep
from pintu.desk.tests.test_sweep import new_ticket
from pintu.doors.models import InboundMessage
from pintu.doors.tests.graph_server import graph_api
from pintu.doors.tests.imap_peer import HELPDESK, ImapPeer, compose, dovecot
from pintu.doors.tests.smtp_peer import smtp_peer
from pintu.doors.tests.whatsapp_samples import batch, post
from pintu.outbox.models import OutboxItem
from pintu.site.tests.hosts import all_done, host_worker, worker_log

WORKERS = 3
BODIES, PER_BODY, NUMBERS = 850, 2, 100  # WhatsApp: 1,700 messages from 100 numbers
MAILERS = 150  # each sends a request, then a reply to it: 300 mails
MAILS = 2 * MAILERS
MESSAGES = BODIES * PER_BODY + MAILS
OVERDUE = 50  # requests of a week ago, each warned and escalated once
SWEEPS = 6  # sweeps queued before the workers start, so that they race
TAG = "tiga"
POLL = "pintu.doors.email.tasks.poll_mailboxes"
SWEEP = "pintu.desk.tasks.sla_sweep"
OPTIONS = ["--interval", "0.1", "--schedule-every", "3", "--beat-every", "1"]


def overdue_requests(personas: Personas) -> set[int]:
    """Requests opened through the portal a week ago and never answered: both their
    warning and their escalation are due."""
    week_ago = timezone.now() - timedelta(days=7)
    return {new_ticket(personas, week_ago).pk for _ in range(OVERDUE)}


def mails() -> list[EmailMessage]:
    """Each sender's request, then (after all of them) each sender's reply to it."""
    requests = [
        compose(
            f"Permintaan nomor {n}",
            sender=f"Mahasiswa {n} <m{n}@mahasiswa.example.ac.id>",
            body=f"Isi permintaan {n}.",
        )
        for n in range(MAILERS)
    ]
    replies = [
        compose(
            f"Re: Permintaan nomor {n}",
            sender=f"Mahasiswa {n} <m{n}@mahasiswa.example.ac.id>",
            body=f"Tambahan untuk permintaan {n}.",
            In_Reply_To=request["Message-ID"],
            References=request["Message-ID"],
        )
        for n, request in enumerate(requests)
    ]
    return requests + replies


def filed(door: str) -> int:
    return (
        InboundMessage.objects.filter(door=door)
        .exclude(outcome=InboundMessage.Outcome.PENDING)
        .count()
    )


def worker_pid(worker_id: str) -> int:
    return int(worker_id.rsplit("-", 1)[1])  # `pintu worker` names itself host-pid


def queue_idle() -> bool:
    return not (DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists())


def finished(imap: ImapPeer) -> bool:
    return (
        InboundMessage.objects.count() >= MESSAGES
        and all_done()
        and TicketEvent.objects.count() >= 2 * OVERDUE
        and queue_idle()
        and imap.unseen(HELPDESK) == 0
    )


@pytest.mark.django_db(transaction=True)
def test_three_workers_one_killed_mid_batch_file_and_send_everything_exactly_once(
    sops: None, personas: Personas, settings: Any, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "several workers on one queue: the suite runs on SQLite here (CI runs PostgreSQL)"
        )
    started = time.monotonic()
    with dovecot() as imap, smtp_peer() as relay, graph_api() as graph:
        whatsapp = graph.environment()
        for name, value in whatsapp.items():
            setattr(settings, name, value)
        # Every body comes from this one test client: lift the webhook's per-address limit.
        settings.PINTU_RATE_LIMITS = {**settings.PINTU_RATE_LIMITS, "whatsapp-webhook": (10**6, 60)}
        imap.mailbox()
        overdue = overdue_requests(personas)
        sent_mails = mails()
        imap.append_many(HELPDESK, [mail.as_bytes() for mail in sent_mails])
        for _ in range(SWEEPS):
            sla_sweep.enqueue()
        client = Client(HTTP_HOST="localhost")
        at = timezone.now()
        for body in batch(BODIES, per_body=PER_BODY, senders=NUMBERS, tag=TAG, at=at):
            assert post(client, body).status_code == 200

        environ = child_environment(
            # Hosts share the secret key through their environment, not a file: it
            # unseals the mailbox's password.
            PINTU_SECRET_KEY=settings.SECRET_KEY,
            PINTU_DEBUG="0",
            PINTU_SMTP_URL=relay.url,
            PINTU_OUTBOX_BACKOFF_SECONDS="1",
            PINTU_IMAP_POLL_SECONDS="5",
            PINTU_WORKER_STALE_SECONDS="3",
            **whatsapp,
        )
        folders = [tmp_path / f"host-{n}" for n in range(WORKERS)]
        workers = [host_worker(environ, folder, *OPTIONS) for folder in folders]
        by_pid = {worker.pid: worker for worker in workers}

        def logs() -> str:
            return "\n".join(f"--- {folder.name}\n{worker_log(folder)}" for folder in folders)

        polling = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path=POLL)
        try:
            # Kill the worker that is polling the mailbox once a quarter of the mail is in.
            wait_for(
                lambda: (
                    filed(InboundMessage.Door.EMAIL) >= MAILS // 4
                    or any(worker.poll() is not None for worker in workers)
                ),
                "a quarter of the mail filed",
                seconds=120,
                every=0.2,
            )
            assert all(worker.poll() is None for worker in workers), logs()
            poll_task = polling.first()
            assert poll_task is not None, "no worker was polling the mailbox"
            victim_id = poll_task.worker_ids[-1]
            victim = by_pid[worker_pid(victim_id)]
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
            mail_at_kill = filed(InboundMessage.Door.EMAIL)
            at_kill = mail_at_kill + filed(InboundMessage.Door.WHATSAPP)
            assert mail_at_kill < MAILS, "the poll was over before the kill"

            survivors = [worker for worker in workers if worker is not victim]
            wait_for(
                lambda: finished(imap) or any(w.poll() is not None for w in survivors),
                "every message filed, every outgoing message sent, the queue empty",
                seconds=240,
                every=0.5,
            )
            assert all(worker.poll() is None for worker in survivors), logs()
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
            for worker in workers:
                try:
                    worker.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    raise
        elapsed = time.monotonic() - started
        # SIGTERM lets a worker finish its task and exit cleanly.
        assert [w.returncode for w in survivors] == [0] * (WORKERS - 1), logs()
        assert victim.returncode == -signal.SIGKILL

        # The killed worker's poll was run again by another worker, to its end.
        poll_task.refresh_from_db()
        assert poll_task.status == TaskResultStatus.SUCCESSFUL
        assert poll_task.worker_ids[0] == victim_id != poll_task.worker_ids[-1]

        assert 0 < at_kill < MESSAGES, "the kill did not land in the middle of the batch"

        # Every WhatsApp message filed once; one request per number, the rest continued it.
        wa = InboundMessage.objects.filter(door=InboundMessage.Door.WHATSAPP)
        assert Counter(wa.values_list("outcome", flat=True)) == {
            "created": NUMBERS,
            "appended": BODIES * PER_BODY - NUMBERS,
        }
        wa_texts = Article.objects.filter(kind=Article.Kind.INBOUND, door=Door.WHATSAPP)
        expected = [f"wamid.{TAG}-{i}-{j}" for i in range(BODIES) for j in range(PER_BODY)]
        assert Counter(wa_texts.values_list("external_id", flat=True)) == Counter(expected)
        per_number = Ticket.objects.filter(door=Door.WHATSAPP).values("contact")
        assert Counter(row["n"] for row in per_number.annotate(n=Count("id"))) == {1: NUMBERS}

        # Every mail filed once: the request opened one, the reply continued it.
        mail = InboundMessage.objects.filter(door=InboundMessage.Door.EMAIL)
        assert Counter(mail.values_list("outcome", flat=True)) == {
            "created": MAILERS,
            "appended": MAILERS,
        }
        mail_texts = Article.objects.filter(kind=Article.Kind.INBOUND, door=Door.EMAIL)
        assert Counter(m.strip("<>") for m in mail_texts.values_list("external_id", flat=True)) == (
            Counter(m["Message-ID"].strip("<>") for m in sent_mails)
        )
        per_mailer = Ticket.objects.filter(door=Door.EMAIL).values("contact")
        assert Counter(row["n"] for row in per_mailer.annotate(n=Count("id"))) == {1: MAILERS}
        assert (
            Article.objects.filter(ticket__door=Door.EMAIL, kind=Article.Kind.INBOUND)
            .values("ticket")
            .annotate(n=Count("id"))
            .filter(n=2)
            .count()
            == MAILERS
        )
        assert imap.unseen(HELPDESK) == 0

        # Each overdue request warned once and escalated once, whichever sweep got there.
        events = TicketEvent.objects.all()
        assert set(events.values_list("ticket", flat=True)) == overdue
        assert Counter(events.values_list("kind", flat=True)) == {
            TicketEvent.Kind.SLA_WARNING: OVERDUE,
            TicketEvent.Kind.SLA_ESCALATION: OVERDUE,
        }
        sweeps = DBTaskResult.objects.filter(task_path=SWEEP)
        assert set(sweeps.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
        assert sweeps.count() >= SWEEPS
        results = list(sweeps.values_list("return_value", flat=True))
        assert sum(r["warned"] for r in results) == sum(r["escalated"] for r in results) == OVERDUE

        # Every outgoing message sent, and each arrived once: the mails by their
        # Message-ID, the WhatsApp acknowledgements by their number.
        outbox = OutboxItem.objects.all()
        assert set(outbox.values_list("status", flat=True)) == {OutboxItem.Status.SENT}
        by_mail = outbox.filter(transport=Door.EMAIL)
        notified = sum(len(e.detail["recipients"]) for e in events)
        assert Counter(by_mail.values_list("purpose", flat=True)) == {
            OutboxItem.Purpose.ACKNOWLEDGEMENT: MAILERS,
            OutboxItem.Purpose.NOTIFICATION: notified,
        }
        assert relay.message_ids() == Counter(by_mail.values_list("external_id", flat=True))
        by_whatsapp = outbox.filter(transport=Door.WHATSAPP)
        assert by_whatsapp.count() == NUMBERS
        sends = [r.json["to"] for r in graph.state.requests if r.path.endswith("/messages")]
        assert Counter(sends) == Counter(by_whatsapp.values_list("recipient", flat=True))
        assert len(set(sends)) == NUMBERS

        # Nothing waits, runs or failed; every worker that lived did its share.
        assert not DBTaskResult.objects.running().exists()
        failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        assert list(failed.values_list("task_path", "exception_class_path")) == []
        done_by = Counter(
            ids[-1]
            for ids in DBTaskResult.objects.successful().values_list("worker_ids", flat=True)
        )
        assert {worker_pid(w) for w in done_by} >= {w.pid for w in survivors}
        health = Client().get("/healthz").json()["tasks"]
        assert (health["running"], health["stuck"], health["failed_by_reaper"]) == (0, 0, 0)
    print(
        f"\n{MESSAGES} messages, {outbox.count()} outgoing, {sweeps.count()} sweeps in "
        f"{elapsed:.0f} s; killed {victim_id} with {at_kill} filed ({mail_at_kill} mails); "
        f"tasks per worker: "
        f"{dict(done_by)}"
    )
