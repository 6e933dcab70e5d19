"""Each outside system of the doors stopped while work for it waits, then started again
on the same address: the SMTP relay (a reply), the IMAP server (a mailbox poll) and the
directory (an account provisioning job); Moodle's (a course announcement) is in
elearning/tests/test_announcements.py. Meanwhile the failure is
visible where staff look (the row's status and last error, the mailbox's last error);
once the peer is back the work is done on its next try by itself, exactly once.

Already tested elsewhere, and not repeated here: a relay that refuses with 451 and then
accepts (doors/tests/test_email_out.py), a relay that never comes back ending as a dead
letter (ibid.), an IMAP server that is unreachable being recorded and a lost IDLE
connection retried (doors/tests/test_imap.py), a directory URL that is wrong and then
right (doors/tests/test_ldap_directory.py), Moodle answering scripted exceptions
(elearning/tests/test_announcements.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas
from pintu.desk import services
from pintu.doors.email import imap
from pintu.doors.tests.imap_peer import HELPDESK, ImapPeer, compose, dovecot
from pintu.doors.tests.slapd_peer import SlapdPeer
from pintu.doors.tests.smtp_peer import Receiver, closed_port
from pintu.doors.tests.test_email_out import email_ticket
from pintu.doors.tests.test_ldap_directory import PEOPLE, person_job
from pintu.outbox.delivery import deliver_due
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import job_queue

Status = OutboxItem.Status


def due_after(item: OutboxItem) -> Any:
    """A moment just after the row's next try is due (its backoff), as the worker's
    periodic sweep would reach it."""
    item.refresh_from_db()
    return item.next_attempt_at + timedelta(seconds=1)


@contextmanager
def relay_on(port: int) -> Iterator[Receiver]:
    receiver = Receiver()
    controller = Controller(receiver, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()


@pytest.mark.django_db
def test_replies_wait_while_the_relay_is_down_and_leave_once_when_it_is_back(
    sops: None, personas: Personas, settings: Any
) -> None:
    port = closed_port()
    settings.PINTU_SMTP_URL = f"smtp://127.0.0.1:{port}?timeout=5"
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Sudah kami reset.")
    reply = OutboxItem.objects.get()

    deliver_due(timezone.now() + timedelta(seconds=1))
    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == (Status.FAILED, 1)
    assert "Connection refused" in reply.last_error
    assert deliver_due(due_after(reply) - timedelta(seconds=5)) == 0  # it keeps its backoff

    with relay_on(port) as relay:
        assert deliver_due(due_after(reply)) == 1
        reply.refresh_from_db()
        assert (reply.status, reply.attempts, reply.last_error) == (Status.SENT, 2, "")
        assert deliver_due(timezone.now() + timedelta(days=1)) == 0
        (received,) = relay.messages
    assert received.email["Message-ID"] == reply.external_id
    assert "Sudah kami reset." in received.email.get_body(("plain",)).get_content()


@pytest.fixture
def imap_peer() -> Iterator[ImapPeer]:
    with dovecot() as peer:
        yield peer


@pytest.mark.django_db(transaction=True)
def test_a_poll_while_the_imap_server_is_down_is_recorded_and_the_next_one_files_once(
    imap_peer: ImapPeer, sops: None, personas: Personas
) -> None:
    mailbox = imap_peer.mailbox()
    imap_peer.append(HELPDESK, compose("Wifi kampus tidak bisa").as_bytes())
    imap_peer.halt()

    down = imap.poll_mailbox(mailbox)
    mailbox.refresh_from_db()
    assert "ConnectionRefusedError" in down.error
    assert "ConnectionRefusedError" in mailbox.last_error
    assert not down.outcomes.get("created")

    imap_peer.resume()
    (back,) = imap.poll_all()  # the worker's next periodic poll
    mailbox.refresh_from_db()
    assert (back.error, mailbox.last_error) == ("", "")
    assert back.outcomes["created"] == 1
    (again,) = imap.poll_all()
    assert not again.outcomes.get("created")  # the mail was marked: filed once
    client = Client()
    client.force_login(personas.staff)
    queue = client.get(reverse("desk-queue")).content.decode()
    assert queue.count("Wifi kampus tidak bisa") == 1


@pytest.mark.django_db
def test_a_provisioning_job_waits_for_the_directory_and_makes_the_entry_once(
    directory: SlapdPeer,
) -> None:
    with transaction.atomic():
        job = job_queue(transport="ldap", payload=person_job(), idempotency_key="akun-1")
    directory.halt()
    try:
        deliver_due(timezone.now() + timedelta(seconds=1))
        job.refresh_from_db()
        assert job.status == Status.FAILED and job.last_error.startswith("LDAP:")
    finally:
        directory.resume()
    deliver_due(due_after(job))
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (Status.SENT, 2, "")
    assert job.result["created"] is True
    assert directory.children("people") == [f"uid=siti.aminah,{PEOPLE}"]
    assert deliver_due(timezone.now() + timedelta(days=1)) == 0
