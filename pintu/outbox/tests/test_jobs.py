"""Jobs for outside systems travel through the outbox like messages: queued in the
transaction of their cause, known by an idempotency key, delivered and retried by the
worker, shown on their ticket when they fail, and acted on once even when a worker dies
after the outside system acted."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas
from pintu.doors.tests.test_email_out import email_ticket
from pintu.outbox.delivery import CLAIM_LEASE, TRANSPORTS, deliver_due
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import job_queue
from pintu.outbox.tests.job_peer import JobPeer, PeerTransport, job_peer

pytestmark = pytest.mark.django_db
Status = OutboxItem.Status


@pytest.fixture
def peer(monkeypatch: Any) -> Any:
    with job_peer() as running:
        monkeypatch.setitem(TRANSPORTS, "probe", PeerTransport(running.url))
        yield running


def queue_job(key: str = "akun:2201001", cause: Any = None, **payload: Any) -> OutboxItem:
    with transaction.atomic():
        return job_queue(
            transport="probe",
            payload=payload or {"uid": "2201001", "cn": "Siti Aminah"},
            idempotency_key=key,
            cause=cause,
        )


def soon() -> Any:
    return timezone.now() + timedelta(seconds=1)


def test_a_job_is_delivered_and_keeps_what_the_outside_system_answered(peer: JobPeer) -> None:
    job = queue_job()
    assert (job.purpose, job.status) == (OutboxItem.Purpose.JOB, Status.PENDING)
    assert deliver_due(soon()) == 1
    job.refresh_from_db()
    assert (job.status, job.external_id) == (Status.SENT, "job-1")
    assert job.result == {"id": "job-1", "applied": True}
    assert peer.applied == {"akun:2201001": {"uid": "2201001", "cn": "Siti Aminah"}}


def test_the_same_job_asked_for_twice_is_one_row(peer: JobPeer) -> None:
    first = queue_job()
    again = queue_job(cn="changed")
    assert again.pk == first.pk and again.payload == first.payload
    assert OutboxItem.objects.count() == 1


def test_a_job_needs_its_cause_transaction_and_a_key() -> None:
    with pytest.raises(ValueError, match="idempotency key"):
        queue_job(key=" ")


@pytest.mark.django_db(transaction=True)
def test_a_job_is_queued_only_inside_the_transaction_of_its_cause() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        job_queue(transport="probe", payload={}, idempotency_key="k")


def test_a_passing_failure_is_retried_and_a_refusal_is_a_dead_letter(peer: JobPeer) -> None:
    peer.fail_with = [503]
    retried = queue_job(key="a")
    deliver_due(soon())
    retried.refresh_from_db()
    assert (retried.status, retried.last_error) == (Status.FAILED, "HTTP 503")
    deliver_due(retried.next_attempt_at + timedelta(seconds=1))
    retried.refresh_from_db()
    assert (retried.status, retried.attempts) == (Status.SENT, 2)
    peer.fail_with = [422]
    refused = queue_job(key="b")
    deliver_due(soon())
    refused.refresh_from_db()
    assert (refused.status, refused.last_error) == (Status.DEAD, "HTTP 422")


def _database_url() -> str:
    """The test database, for a process of its own."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}"
        f"/{settings['NAME']}"
    )


# A worker in a process of its own whose transport dies right after the outside system
# took the job: nothing records that it was done.
DYING_WORKER = """
import os, sys, django
django.setup()
from django.utils import timezone
from pintu.outbox.delivery import TRANSPORTS, deliver_due
from pintu.outbox.tests.job_peer import PeerTransport

class DiesAfterSending(PeerTransport):
    def send(self, item):
        super().send(item)
        os._exit(3)

TRANSPORTS["probe"] = DiesAfterSending(sys.argv[1])
deliver_due(timezone.now())
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_dies_after_the_outside_system_acted_does_not_make_it_act_twice(
    peer: JobPeer,
) -> None:
    job = queue_job()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pintu.settings"}
    env["DATABASE_URL"] = _database_url()
    died = subprocess.run(
        [sys.executable, "-c", DYING_WORKER, peer.url], env=env, timeout=120, check=False
    )
    assert died.returncode == 3
    job.refresh_from_db()
    assert job.status == Status.SENDING and job.claimed_by  # the claim it left behind
    assert job.claimed_at is not None
    assert peer.requests == ["akun:2201001"]

    # Within the lease nobody touches it; after it, the next worker takes the job over.
    lease_ends = job.claimed_at + CLAIM_LEASE
    assert deliver_due(lease_ends - timedelta(seconds=1)) == 0
    assert deliver_due(lease_ends + timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.SENT, 2)
    assert job.result == {"id": "job-1", "applied": False}  # the peer knew the key
    assert peer.requests == ["akun:2201001", "akun:2201001"]
    assert list(peer.applied) == ["akun:2201001"]  # acted on once


def test_a_failed_job_shows_on_its_ticket_with_a_retry(
    sops: None, personas: Personas, peer: JobPeer
) -> None:
    ticket = email_ticket(acknowledge=False)
    peer.fail_with = [400]
    job = queue_job(cause=ticket)
    deliver_due(soon())
    client = Client()
    client.force_login(personas.staff)
    page = client.get(reverse("desk-ticket", args=[ticket.reference])).content.decode()
    box = page[page.index('class="desk-dead"') :]
    assert "probe" in box and "HTTP 400" in box and "tugas untuk sistem luar" in box
    response = client.post(
        reverse("desk-ticket-retry", args=[ticket.reference]), {"message": job.pk}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Status.PENDING
    deliver_due(soon())
    job.refresh_from_db()
    assert job.status == Status.SENT


def test_rows_of_a_past_being_recorded_are_sent_then_and_never_delivered(peer: JobPeer) -> None:
    """The demo's year (or an import from an earlier help desk) is written down through
    the services; the messages of that past were sent back then, not now."""
    from pintu.outbox.services import message_queue, recording_history

    now = timezone.now()
    with transaction.atomic(), recording_history(before=now):
        old = message_queue(
            transport="probe",
            purpose="reply",
            recipient="tamu@example.ac.id",
            body_text="Sudah kami cek.",
            at=now - timedelta(days=30),
        )
        job = job_queue(
            transport="probe",
            payload={"uid": "lama"},
            idempotency_key="lama",
            at=now - timedelta(1),
        )
        current = message_queue(
            transport="probe", purpose="reply", recipient="x@y.id", body_text="Baru", at=now
        )
    old.refresh_from_db()
    assert (old.status, old.sent_at, old.created_at) == (
        Status.SENT,
        now - timedelta(days=30),
        now - timedelta(days=30),
    )
    assert OutboxItem.objects.get(pk=job.pk).status == Status.SENT
    assert OutboxItem.objects.get(pk=current.pk).status == Status.PENDING
    # Outside the block rows are sent as ever.
    assert deliver_due(soon()) == 1 and peer.requests == [""]
