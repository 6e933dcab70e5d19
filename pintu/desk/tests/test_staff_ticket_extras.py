"""The ticket page's newer parts: filling in the service's fields, the warning box for
messages that could not be delivered with its retry, and bulk unassign in the queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from pintu.conftest import Personas
from pintu.core.models import AuditEvent
from pintu.desk import services
from pintu.desk.models import Door, Ticket
from pintu.desk.tests.test_staff_views import (
    NOW,
    client_for,
    frozen,  # noqa: F401 (fixture)
    in_indonesian,
    open_ticket,
    ticket_url,
    wib,
)
from pintu.outbox.models import OutboxItem

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def bare(sops: None, personas: Personas) -> Ticket:
    return open_ticket(personas, received=wib(9, 30), fields={}, door=Door.WALK_IN)


# ---------------------------------------------------------------- the service's fields


def test_staff_fill_in_the_fields_on_the_ticket_page(bare: Ticket, personas: Personas) -> None:
    client = client_for(personas.staff)
    page = client.get(ticket_url(bare)).content.decode()
    assert f'action="{ticket_url(bare, "fields")}"' in page
    response = client.post(
        ticket_url(bare, "fields"),
        {"field_jenis": "Perbaikan VPS", "field_lokasi": "Server ruang 101"},
    )
    assert response.status_code == 302 and response["Location"] == ticket_url(bare)
    bare.refresh_from_db()
    assert bare.fields == {"jenis": "Perbaikan VPS", "lokasi": "Server ruang 101"}
    entry = client.get(ticket_url(bare)).context["history"][0]
    assert entry.what == in_indonesian("Details changed")
    assert "Lokasi/perangkat: — → Server ruang 101" in entry.details
    assert entry.details[0].startswith("Jenis layanan")  # in the SOP's order


def test_a_refused_field_keeps_what_was_typed(bare: Ticket, personas: Personas) -> None:
    services.ticket_update_fields(actor=personas.staff, ticket=bare, fields={"lokasi": "Lab 3"})
    response = client_for(personas.staff).post(
        ticket_url(bare, "fields"), {"field_jenis": "", "field_lokasi": ""}
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert response.context["fields_form"].data["field_lokasi"] == ""
    assert '<details class="ticket-fields-edit" open>' in response.content.decode()
    bare.refresh_from_db()
    assert bare.fields == {"lokasi": "Lab 3"}


def test_only_the_units_staff_edit_fields(bare: Ticket, personas: Personas) -> None:
    data = {"field_lokasi": "Lab 9"}
    assert client_for(personas.auditor).post(ticket_url(bare, "fields"), data).status_code == 403
    assert (
        client_for(personas.other_staff).post(ticket_url(bare, "fields"), data).status_code == 404
    )
    auditor_page = client_for(personas.auditor).get(ticket_url(bare)).content.decode()
    assert "ticket-fields-edit" not in auditor_page
    bare.refresh_from_db()
    assert bare.fields == {}


# ---------------------------------------------------------------- dead letters


def dead_letter(ticket: Ticket, **values: Any) -> OutboxItem:
    """A reply the outbox gave up on after five attempts."""
    values = {"purpose": OutboxItem.Purpose.REPLY, "body_text": "Kami cek.", **values}
    return OutboxItem.objects.create(
        cause=ticket, status=OutboxItem.Status.DEAD, attempts=5, **values
    )


@pytest.fixture
def dead(sops: None, personas: Personas) -> OutboxItem:
    contact = services.contact_for(name="Pak Budi", phone="6281234567890")
    ticket = open_ticket(
        personas, received=wib(9, 30), door=Door.WHATSAPP, requester=None, contact=contact
    )
    return dead_letter(
        ticket,
        transport=Door.WHATSAPP,
        recipient="6281234567890",
        last_error="131026: Message undeliverable",
        created_at=NOW - timedelta(hours=1),
    )


def test_dead_letters_show_in_a_warning_box_with_a_retry(
    dead: OutboxItem, personas: Personas
) -> None:
    ticket = dead.cause
    assert isinstance(ticket, Ticket)
    client = client_for(personas.staff)
    response = client.get(ticket_url(ticket))
    assert response.context["dead_letters"] == [dead]
    page = response.content.decode()
    box = page[page.index('class="desk-dead"') :]
    for text in ("6281234567890", "131026: Message undeliverable", "<td>5</td>", "WhatsApp"):
        assert text in box, text
    assert reverse("desk-ticket-retry", args=[ticket.reference]) in box
    retried = client.post(ticket_url(ticket, "retry"), {"message": dead.pk}, follow=True)
    assert [m.level_tag for m in retried.context["messages"]] == ["success"]
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (OutboxItem.Status.PENDING, 0)
    audit = AuditEvent.objects.get(action="outbox.retry")
    assert audit.actor == personas.staff and audit.before["status"] == "dead"
    assert 'class="desk-dead"' not in retried.content.decode()
    # Asking again for one that is no longer dead says so and changes nothing.
    again = client.post(ticket_url(ticket, "retry"), {"message": dead.pk}, follow=True)
    assert [m.level_tag for m in again.context["messages"]] == ["error"]
    assert AuditEvent.objects.filter(action="outbox.retry").count() == 1


def test_auditors_see_dead_letters_without_the_button(dead: OutboxItem, personas: Personas) -> None:
    ticket = dead.cause
    assert isinstance(ticket, Ticket)
    auditor = client_for(personas.auditor)
    page = auditor.get(ticket_url(ticket)).content.decode()
    assert 'class="desk-dead"' in page and "131026" in page
    assert reverse("desk-ticket-retry", args=[ticket.reference]) not in page
    assert auditor.post(ticket_url(ticket, "retry"), {"message": dead.pk}).status_code == 403
    other = client_for(personas.other_staff)
    assert other.post(ticket_url(ticket, "retry"), {"message": dead.pk}).status_code == 404
    dead.refresh_from_db()
    assert dead.status == OutboxItem.Status.DEAD


def test_a_dead_letter_of_another_ticket_is_not_retried_from_this_one(
    dead: OutboxItem, personas: Personas
) -> None:
    elsewhere = open_ticket(personas, received=wib(9, 40))
    client_for(personas.staff).post(ticket_url(elsewhere, "retry"), {"message": dead.pk})
    dead.refresh_from_db()
    assert dead.status == OutboxItem.Status.DEAD


# ---------------------------------------------------------------- bulk unassign


def test_bulk_assign_to_nobody_unassigns(sops: None, personas: Personas) -> None:
    tickets = [open_ticket(personas, received=wib(9, minute)) for minute in (1, 2, 3)]
    services.tickets_bulk(actor=personas.staff, tickets=tickets, assignee=personas.head)
    client = client_for(personas.staff)
    page = client.get(reverse("desk-queue")).content.decode()
    assert '<option value="none">' in page
    response = client.post(
        reverse("desk-bulk"),
        {
            "unit": "UPT-SI",
            "tickets": [t.reference for t in tickets[:2]],
            "action": "assign",
            "assignee": "none",
        },
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assignees = dict(Ticket.objects.values_list("reference", "assignee"))
    assert assignees == {
        tickets[0].reference: None,
        tickets[1].reference: None,
        tickets[2].reference: personas.head.pk,
    }
    assert AuditEvent.objects.filter(action="ticket.assign").count() == 3 + 2


def test_saved_views_are_written_through_the_service(sops: None, personas: Personas) -> None:
    client = client_for(personas.staff)
    client.post(reverse("desk-filter-save"), {"name": "Pagi", "query": "unit=UPT-SI&sla=breached"})
    assert AuditEvent.objects.get(action="saved_filter.save").actor == personas.staff
    saved = personas.staff.saved_filters.get()
    client.post(reverse("desk-filter-delete", args=[saved.pk]))
    assert AuditEvent.objects.get(action="saved_filter.delete").before["name"] == "Pagi"
