"""The outbox worker: claims, retries with backoff, dead letters, and what the doors
report afterwards. A scripted transport stands in for a door, except where two workers
race for the same rows: there a real SMTP receiver counts what arrives."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas
from pintu.core.heartbeat import heartbeat_start, this_worker_id
from pintu.core.models import AuditEvent
from pintu.core.periodic import SCHEDULES
from pintu.desk import services as desk
from pintu.desk.models import Ticket
from pintu.doors.tests.smtp_peer import smtp_peer
from pintu.doors.tests.test_email_out import email_ticket
from pintu.outbox.delivery import (
    CLAIM_LEASE,
    MAX_RETRY_DELAY,
    TRANSPORTS,
    PermanentFailure,
    TemporaryFailure,
    deliver_due,
    deliver_one,
    retry_delay,
)
from pintu.outbox.models import OutboxItem
from pintu.outbox.selectors import dead_letters
from pintu.outbox.services import (
    delivery_bounced,
    delivery_status,
    message_queue,
)

pytestmark = pytest.mark.django_db
Status = OutboxItem.Status


class ScriptedTransport:
    """Answers each send with the next scripted outcome (an exception to raise, or the
    external id to return); records what it was asked to send."""

    def __init__(self, *outcomes: str | Exception) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[int] = []

    def send(self, message: OutboxItem) -> str:
        self.sent.append(message.pk)
        outcome = self.outcomes.pop(0) if self.outcomes else f"ext-{message.pk}"
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class Claims:
    """Notes the claim a message was sent under."""

    def __init__(self, pk: int) -> None:
        self.pk, self.seen = pk, ""

    def send(self, message: OutboxItem) -> str:
        self.seen = OutboxItem.objects.get(pk=self.pk).claimed_by
        return "ext"


@pytest.fixture
def transport(monkeypatch) -> ScriptedTransport:
    scripted = ScriptedTransport()
    monkeypatch.setitem(TRANSPORTS, "fake", scripted)
    return scripted


def queue(ticket: Ticket | None = None, door: str = "fake", **extra) -> OutboxItem:
    with transaction.atomic():
        return message_queue(
            transport=door,
            purpose=extra.pop("purpose", "reply"),
            recipient=extra.pop("recipient", "tamu@example.ac.id"),
            body_text="Halo",
            subject="[SI-26-00001] Proyektor",
            cause=ticket,
            **extra,
        )


def soon(seconds: float = 1) -> datetime:
    return timezone.now() + timedelta(seconds=seconds)


# ---------------------------------------------------------------- backoff


def test_the_retry_delay_doubles_is_spread_and_is_capped_at_six_hours() -> None:
    def fixed(share: float):
        return lambda: share

    assert retry_delay(1, 60, fixed(0.5)) == timedelta(seconds=60)
    assert retry_delay(2, 60, fixed(0.5)) == timedelta(seconds=120)
    assert retry_delay(5, 60, fixed(0.5)) == timedelta(seconds=960)
    assert retry_delay(1, 60, fixed(0.0)) == timedelta(seconds=45)
    assert retry_delay(1, 60, fixed(1.0)) == timedelta(seconds=75)
    assert retry_delay(30, 60, fixed(1.0)) == MAX_RETRY_DELAY
    # However the jitter falls, a later attempt never waits less than an earlier one.
    assert retry_delay(3, 60, fixed(0.0)) > retry_delay(2, 60, fixed(1.0))


# ---------------------------------------------------------------- outcomes


def test_a_sent_message_records_its_id_and_time(transport: ScriptedTransport) -> None:
    message = queue()
    assert deliver_due(soon()) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert (message.external_id, message.attempts) == (f"ext-{message.pk}", 1)
    assert message.sent_at is not None
    assert (message.claimed_by, message.claimed_at) == ("", None)
    assert deliver_due(soon(3600)) == 0


def test_a_temporary_failure_waits_longer_each_time_then_becomes_a_dead_letter(
    transport: ScriptedTransport, settings
) -> None:
    settings.PINTU_OUTBOX_MAX_ATTEMPTS = 3
    transport.outcomes = [TemporaryFailure("451 busy")] * 3
    message = queue()
    now = soon()
    waits = []
    for attempt in (1, 2):
        deliver_due(now)
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.FAILED, attempt)
        assert message.last_error == "451 busy"
        waits.append(message.next_attempt_at - now)
        assert deliver_due(message.next_attempt_at - timedelta(seconds=1)) == 0
        now = message.next_attempt_at
    assert waits[1] > waits[0]
    deliver_due(now)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.DEAD, 3)
    assert deliver_due(now + timedelta(days=1)) == 0
    assert len(transport.sent) == 3


def test_a_permanent_failure_is_a_dead_letter_at_once(transport: ScriptedTransport) -> None:
    transport.outcomes = [PermanentFailure("550 no such user")]
    message = queue()
    deliver_due(soon())
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        Status.DEAD,
        1,
        "550 no such user",
    )


def test_a_transport_bug_is_retried_and_does_not_stop_the_batch(
    transport: ScriptedTransport,
) -> None:
    transport.outcomes = [KeyError("template")]
    broken, fine = queue(), queue()
    assert deliver_due(soon()) == 2
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == Status.FAILED and "KeyError" in broken.last_error
    assert fine.status == Status.SENT


def test_a_door_without_a_transport_keeps_its_messages(transport: ScriptedTransport) -> None:
    message = queue(door="pigeon")
    deliver_due(soon())
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.last_error == "no transport 'pigeon' is registered"


def test_a_fresh_process_finds_the_email_transport_without_any_wiring() -> None:
    # Importing it in this process would prove nothing; a new interpreter starts clean.
    script = (
        "import django; django.setup();"
        "from pintu.outbox.delivery import transport_for;"
        "print(type(transport_for('email')).__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pintu.settings"},
        check=True,
    )
    assert result.stdout.strip() == "SmtpTransport"


# ---------------------------------------------------------------- claims


def test_a_claim_abandoned_by_a_dead_worker_is_sent_again_after_the_lease(
    transport: ScriptedTransport,
) -> None:
    message = queue()
    now = soon()
    OutboxItem.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_by="dead-worker", claimed_at=now, attempts=1
    )
    assert deliver_due(now + CLAIM_LEASE - timedelta(seconds=1)) == 0
    assert deliver_due(now + CLAIM_LEASE + timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)


def claimed(worker: str, now: datetime) -> OutboxItem:
    """A message ``worker`` was sending when it was last heard of."""
    message = queue()
    OutboxItem.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_by=f"{worker}/0123456789ab", claimed_at=now, attempts=1
    )
    return message


def test_a_claim_of_a_worker_the_heartbeats_show_gone_is_sent_again_at_once(
    transport: ScriptedTransport,
) -> None:
    now = soon()
    heartbeat_start(worker_id="host-killed-1", now=now - timedelta(minutes=5))  # silent since
    heartbeat_start(worker_id="host-alive-2", now=now)
    abandoned, busy = claimed("host-killed-1", now), claimed("host-alive-2", now)
    assert deliver_due(now) == 1  # not ten minutes later, when the lease ends
    assert transport.sent == [abandoned.pk]
    abandoned.refresh_from_db()
    busy.refresh_from_db()
    assert (abandoned.status, abandoned.attempts) == (Status.SENT, 2)
    assert busy.status == Status.SENDING  # its worker is still at it


def test_the_task_the_reaper_runs_again_takes_over_the_killed_workers_claim(
    transport: ScriptedTransport,
) -> None:
    now = soon()
    heartbeat_start(worker_id="host-killed-1", now=now - timedelta(minutes=5))
    heartbeat_start(worker_id="host-alive-2", now=now)
    abandoned, busy = claimed("host-killed-1", now), claimed("host-alive-2", now)
    # deliver_now is repeatable: the reaper puts it back, and it finds the row claimed.
    assert deliver_one(abandoned.pk, now)
    assert not deliver_one(busy.pk, now)
    assert transport.sent == [abandoned.pk]


def test_a_claim_names_the_worker_as_its_heartbeat_does(transport: ScriptedTransport) -> None:
    message = queue()
    claims = TRANSPORTS["fake"] = Claims(message.pk)
    deliver_one(message.pk, soon())
    worker, _, unique = claims.seen.partition("/")
    assert worker == this_worker_id() and len(unique) == 12


def test_a_message_that_kills_the_worker_on_every_try_ends_as_a_dead_letter(
    transport: ScriptedTransport, settings
) -> None:
    settings.PINTU_OUTBOX_MAX_ATTEMPTS = 2
    message = queue()
    now = soon()
    OutboxItem.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_by="dead-worker", claimed_at=now, attempts=2
    )
    deliver_due(now + CLAIM_LEASE * 2)
    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        Status.DEAD,
        "the worker stopped while sending it",
    )
    assert transport.sent == []


def test_a_run_claims_a_few_at_a_time_up_to_its_limit(transport: ScriptedTransport) -> None:
    messages = [queue() for _ in range(25)]
    assert deliver_due(soon(), limit=12) == 12
    assert deliver_due(soon()) == 13
    assert transport.sent == [message.pk for message in messages]  # oldest first


def test_deliver_one_sends_only_a_message_that_is_due(transport: ScriptedTransport) -> None:
    message = queue()
    assert deliver_one(message.pk, soon())
    assert not deliver_one(message.pk, soon())  # sent already
    transport.outcomes = [TemporaryFailure("busy")]
    waiting = queue()
    deliver_one(waiting.pk, soon())
    assert not deliver_one(waiting.pk, soon())  # its next attempt is later
    assert transport.sent == [message.pk, waiting.pk]


def test_deliver_due_is_a_periodic_job_every_thirty_seconds() -> None:
    assert SCHEDULES["pintu.outbox.tasks.deliver_due"].every == timedelta(seconds=30)


@pytest.mark.django_db(transaction=True)
def test_three_workers_at_once_send_every_message_exactly_once(
    sops, personas: Personas, settings
) -> None:
    ticket = email_ticket(acknowledge=False)
    for number in range(24):
        desk.ticket_reply(actor=personas.staff, ticket=ticket, body=f"Balasan {number}")
    with smtp_peer() as peer:
        settings.PINTU_SMTP_URL = peer.url
        start = threading.Barrier(3)
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                start.wait()
                while deliver_due(soon(), limit=5):
                    pass
            except BaseException as error:  # reported by the main thread
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors
        received = Counter(m.email["Message-ID"] for m in peer.messages)
    assert len(received) == 24 and set(received.values()) == {1}
    assert set(OutboxItem.objects.values_list("status", flat=True)) == {Status.SENT}
    assert set(received) == set(OutboxItem.objects.values_list("external_id", flat=True))


# ---------------------------------------------------------------- after sending


def test_a_bounce_makes_our_message_a_dead_letter_with_its_reason(
    transport: ScriptedTransport, monkeypatch
) -> None:
    monkeypatch.setitem(TRANSPORTS, "email", transport)
    transport.outcomes = ["<SI-26-00001.1.abc@pintu.localhost>"]
    message = queue(door="email")
    deliver_due(soon())
    assert delivery_bounced(
        transport="email",
        message_id="SI-26-00001.1.abc@pintu.localhost",
        reason="550 5.1.1 user unknown",
    )
    message.refresh_from_db()
    assert message.status == Status.DEAD
    assert message.last_error == "bounced: 550 5.1.1 user unknown"
    assert not delivery_bounced(
        transport="email", message_id="<someone.else@example.com>", reason="x"
    )
    assert not delivery_bounced(transport="email", message_id="", reason="x")
    # A Message-ID is an e-mail's: the same id on another transport's row is not ours.
    assert not delivery_bounced(
        transport="whatsapp", message_id="SI-26-00001.1.abc@pintu.localhost", reason="x"
    )


def test_whatsapp_statuses_only_move_forward(transport: ScriptedTransport) -> None:
    transport.outcomes = ["wamid.HBgL"]
    message = queue()
    deliver_due(soon())

    def status_after(report: str, error: str = "") -> str:
        assert delivery_status(external_id="wamid.HBgL", status=report, error=error)
        message.refresh_from_db()
        return message.status

    assert status_after("delivered") == Status.DELIVERED
    assert status_after("sent") == Status.DELIVERED  # a late "sent" changes nothing
    assert status_after("read") == Status.READ
    assert status_after("delivered") == Status.READ
    assert status_after("failed", "131047 re-engagement") == Status.READ

    transport.outcomes = ["wamid.OTHER"]
    other = queue()
    deliver_due(soon())
    assert delivery_status(external_id="wamid.OTHER", status="failed", error="131026 undeliverable")
    other.refresh_from_db()
    assert (other.status, other.last_error) == (Status.DEAD, "131026 undeliverable")
    assert not delivery_status(external_id="wamid.UNKNOWN", status="read")
    with pytest.raises(ValueError, match="unknown delivery status 'seen'"):
        delivery_status(external_id="wamid.HBgL", status="seen")


# ---------------------------------------------------------------- staff


def test_staff_see_dead_letters_on_the_ticket_and_send_them_again(
    sops, personas: Personas, transport: ScriptedTransport
) -> None:
    ticket = email_ticket(acknowledge=False)
    transport.outcomes = [PermanentFailure("550 no such user")]
    dead = queue(ticket)
    queue(ticket)
    deliver_due(soon())
    assert list(dead_letters(ticket)) == [dead]

    with pytest.raises(PermissionDenied):
        desk.ticket_delivery_retry(actor=personas.other_staff, ticket=ticket, item=dead)
    retried = desk.ticket_delivery_retry(actor=personas.staff, ticket=ticket, item=dead)
    assert (retried.status, retried.attempts) == (Status.PENDING, 0)
    assert list(dead_letters(ticket)) == []
    event = AuditEvent.objects.get(action="outbox.retry")
    assert event.actor == personas.staff and event.unit == ticket.unit
    assert event.before == {"status": "dead", "attempts": 1, "last_error": "550 no such user"}

    deliver_due(soon())
    retried.refresh_from_db()
    assert retried.status == Status.SENT
    with pytest.raises(ValidationError):
        desk.ticket_delivery_retry(actor=personas.staff, ticket=ticket, item=retried)
    other = email_ticket(acknowledge=False)
    with pytest.raises(ValidationError):  # not a row of that ticket
        desk.ticket_delivery_retry(actor=personas.staff, ticket=other, item=retried)


def test_admins_send_a_row_without_a_cause_again_from_the_admin_site(
    client, personas: Personas, transport: ScriptedTransport
) -> None:
    transport.outcomes = [PermanentFailure("550")]
    message = queue()
    deliver_due(soon())
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:outbox_outboxitem_changelist"),
        {"action": "send_again", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 0)
    assert AuditEvent.objects.get(action="outbox.retry").actor == personas.admin


@pytest.mark.django_db(transaction=True)
def test_a_message_is_queued_only_inside_the_transaction_of_its_cause() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        message_queue(transport="email", purpose="reply", recipient="x@y.id", body_text="x")
