"""The requester's own steps in the middle of a flow (SOP SDM.5.OT.02.02-5068 flow b:
"Pengguna" receives the questions and answers them) are the requester's time: the
ticket waits for the requester while one is in progress, their next message does them,
and they are never timed against the unit's Mutu Baku."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pintu.conftest import Personas, fields_for, make_user, service
from pintu.desk import services
from pintu.desk.models import Door, Pause, Status, Step, Ticket
from pintu.org.models import Role, User

WIB = ZoneInfo("Asia/Jakarta")

pytestmark = pytest.mark.django_db


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def officer(personas: Personas) -> User:
    return make_user("pj-akun", Role.STAFF, "BAA")


def access_request(personas: Personas) -> Ticket:
    svc = service("SDM.5.OT.02.02-5068", "pemberian-akses")
    return services.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=services.Opening(subject="Akses akun Zoom", body="Mohon akses akun Zoom"),
        door=Door.WHATSAPP,
        fields=fields_for(svc),
        now=wib(24, 9),
    ).ticket


def step(ticket: Ticket, key: str) -> Step:
    return ticket.steps.select_related("activity").get(activity__key=key)


def test_the_ticket_waits_while_the_requester_answers_and_their_message_does_their_steps(
    sops: None, personas: Personas, officer: User
) -> None:
    ticket = access_request(personas)
    due_before = ticket.resolution_due_at
    services.ticket_reply(actor=officer, ticket=ticket, body="Untuk kelas apa?", now=wib(24, 9, 5))
    services.ticket_complete_step(
        actor=officer, step=step(ticket, "b2-terima-pesan"), now=wib(24, 9, 5)
    )
    ticket.refresh_from_db()
    # b3 (the user receives the reply and the questions) is the user's: the clock stops.
    assert step(ticket, "b3-terima-tanggapan").state == Step.State.ACTIVE
    assert ticket.status == Status.WAITING_REQUESTER
    assert Pause.objects.filter(ticket=ticket, ended_at=None).exists()

    services.ticket_requester_message(
        ticket=ticket,
        body="Untuk kuliah umum kelas IF-2A.",
        door=Door.WHATSAPP,
        author=personas.requester,
        now=wib(24, 10, 5),
    )
    ticket.refresh_from_db()
    received, answered = step(ticket, "b3-terima-tanggapan"), step(ticket, "b4-jawaban")
    for done in (received, answered):
        assert done.state == Step.State.DONE and done.done_by == personas.requester
        assert done.finished_at == wib(24, 10, 5)
        # The requester's hour is theirs: not timed against the unit.
        assert done.within_standard is None
    assert step(ticket, "b5-klasifikasi").state == Step.State.ACTIVE
    assert ticket.status == Status.OPEN
    # The hour of waiting moved the deadline an hour on.
    assert ticket.resolution_due_at is not None and due_before is not None
    assert (ticket.resolution_due_at - due_before).total_seconds() == 3600


def test_staff_may_record_the_requesters_steps_for_them(
    sops: None, personas: Personas, officer: User
) -> None:
    """An answer by telephone: staff do the requester's steps; the wait ends with the
    last of them."""
    ticket = access_request(personas)
    services.ticket_complete_step(
        actor=officer, step=step(ticket, "b2-terima-pesan"), now=wib(24, 9, 5)
    )
    services.ticket_complete_step(
        actor=officer, step=step(ticket, "b3-terima-tanggapan"), now=wib(24, 9, 20)
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_REQUESTER  # b4 is the requester's too
    services.ticket_complete_step(
        actor=officer, step=step(ticket, "b4-jawaban"), now=wib(24, 9, 40)
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert step(ticket, "b4-jawaban").within_standard is None


def test_a_wait_staff_chose_is_not_ended_by_an_office_step(
    sops: None, personas: Personas, officer: User
) -> None:
    ticket = access_request(personas)
    services.ticket_set_status(
        actor=officer, ticket=ticket, status=Status.WAITING_REQUESTER, now=wib(24, 9, 2)
    )
    ticket.refresh_from_db()
    services.ticket_complete_step(
        actor=officer, step=step(ticket, "b2-terima-pesan"), now=wib(24, 9, 5)
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_REQUESTER


def test_a_message_with_no_step_of_theirs_in_progress_does_no_step(
    sops: None, personas: Personas, officer: User
) -> None:
    ticket = access_request(personas)
    services.ticket_requester_message(
        ticket=ticket, body="Mohon segera.", door=Door.WHATSAPP, author=personas.requester
    )
    assert step(ticket, "b2-terima-pesan").state == Step.State.ACTIVE
    assert step(ticket, "b3-terima-tanggapan").state == Step.State.PENDING
