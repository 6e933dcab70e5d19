"""The sweep warns before a deadline and escalates after it, once per ticket and deadline."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from pintu.conftest import Personas, fields_for, service
from pintu.desk import services
from pintu.desk.models import Status, Ticket, TicketEvent
from pintu.desk.sweep import SweepResult, sweep
from pintu.outbox.models import OutboxItem

WIB = ZoneInfo("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def new_ticket(personas: Personas, at: datetime) -> Ticket:
    svc = service("PR.33.8", "instalasi-perangkat-lunak")  # 15m, then 1d
    return services.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=services.Opening(subject="Instal Office", body="Mohon instal Office di PC lab"),
        fields=fields_for(svc),
        now=at,
    ).ticket


@pytest.mark.django_db
def test_warn_at_two_thirds_then_escalate_after_the_deadline_once(sops, personas) -> None:
    ticket = new_ticket(personas, wib(2026, 11, 25, 9, 0))
    assert ticket.next_warn_at == wib(2026, 11, 25, 9, 10)  # 2/3 of 15 working minutes
    assert sweep(wib(2026, 11, 25, 9, 9)).warned == 0
    assert sweep(wib(2026, 11, 25, 9, 11)).warned == 1
    assert sweep(wib(2026, 11, 25, 9, 12)).warned == 0
    warning = TicketEvent.objects.get(kind=TicketEvent.Kind.SLA_WARNING)
    # Nobody is assigned yet: the unit's staff are warned.
    assert warning.deadline == "first_response" and warning.recipient == personas.staff
    assert OutboxItem.objects.get(recipient=personas.staff.email).subject.startswith(
        f"[{ticket.reference}] Batas waktu mendekat (tanggapan pertama)"
    )
    result = sweep(wib(2026, 11, 25, 9, 16))
    assert (result.warned, result.escalated) == (0, 1)
    escalation = TicketEvent.objects.get(kind=TicketEvent.Kind.SLA_ESCALATION)
    assert escalation.recipient == personas.supervisor
    assert escalation.due_at == wib(2026, 11, 25, 9, 15)
    assert sweep(wib(2026, 11, 25, 10)).escalated == 0


@pytest.mark.django_db
def test_after_the_first_response_the_resolution_deadline_is_swept(sops, personas) -> None:
    ticket = new_ticket(personas, wib(2026, 11, 25, 9, 0))
    services.ticket_assign(actor=personas.staff, ticket=ticket, assignee=personas.staff)
    services.ticket_reply(
        actor=personas.staff, ticket=ticket, body="Segera", now=wib(2026, 11, 25, 9, 5)
    )
    assert sweep(wib(2026, 11, 25, 9, 30)).warned == 0  # first response was met
    # 1d from Wed 09:00 is Thu 09:00; 2/3 of its 510 working minutes is Wed 14:40.
    assert sweep(wib(2026, 11, 25, 14, 41)).warned == 1
    event = TicketEvent.objects.get()
    assert (event.deadline, event.recipient) == ("resolution", personas.staff)


@pytest.mark.django_db
def test_a_resolved_or_waiting_ticket_is_not_swept(sops, personas) -> None:
    waiting = new_ticket(personas, wib(2026, 11, 25, 9, 0))
    services.ticket_set_status(
        actor=personas.staff,
        ticket=waiting,
        status=Status.WAITING_THIRD_PARTY,
        now=wib(2026, 11, 25, 9, 1),
    )
    done = new_ticket(personas, wib(2026, 11, 25, 9, 0))
    services.ticket_set_status(
        actor=personas.staff, ticket=done, status=Status.RESOLVED, now=wib(2026, 11, 25, 9, 2)
    )
    assert sweep(wib(2026, 11, 30, 9)) == SweepResult(warned=0, escalated=0)
    assert not TicketEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_notify_once(sops, personas) -> None:
    for _ in range(5):
        new_ticket(personas, wib(2026, 11, 25, 9, 0))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            sweep(wib(2026, 11, 25, 9, 20))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.SLA_WARNING).count() == 5
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.SLA_ESCALATION).count() == 5
