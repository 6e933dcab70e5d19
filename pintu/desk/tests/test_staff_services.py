"""The services behind the staff workspace's newer actions: filling in a ticket's own
fields, saved views of the queue, and bulk unassign; each atomic with its audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pintu.conftest import Personas
from pintu.core.models import AuditEvent
from pintu.desk import services
from pintu.desk.models import Door, SavedFilter, Ticket
from pintu.desk.tests.test_staff_views import (
    frozen,  # noqa: F401 (fixture)
    open_ticket,
    wib,
)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def bare(sops: None, personas: Personas) -> Ticket:
    """A walk-in recorded without the service's fields (Jenis layanan, Lokasi/perangkat)."""
    return open_ticket(personas, received=wib(9, 30), fields={}, door=Door.WALK_IN)


def audits(ticket: Ticket, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(ticket.pk), action=action))


def test_staff_fill_in_the_fields_given_and_the_change_is_audited(
    bare: Ticket, personas: Personas
) -> None:
    services.ticket_update_fields(actor=personas.staff, ticket=bare, fields={"lokasi": " Lab 3 "})
    bare.refresh_from_db()
    assert bare.fields == {"lokasi": "Lab 3"}
    services.ticket_update_fields(
        actor=personas.staff,
        ticket=bare,
        fields={"jenis": "Perbaikan VPS", "lokasi": "Lab 4"},
    )
    bare.refresh_from_db()
    assert bare.fields == {"jenis": "Perbaikan VPS", "lokasi": "Lab 4"}
    first, second = sorted(audits(bare, "ticket.fields"), key=lambda event: event.pk)
    assert (first.before, first.after) == (
        {"fields": {"lokasi": None}},
        {"fields": {"lokasi": "Lab 3"}},
    )
    assert second.before == {"fields": {"jenis": None, "lokasi": "Lab 3"}}
    assert second.after == {"fields": {"jenis": "Perbaikan VPS", "lokasi": "Lab 4"}}
    assert second.actor == personas.staff


def test_nothing_changed_writes_nothing(bare: Ticket, personas: Personas) -> None:
    services.ticket_update_fields(actor=personas.staff, ticket=bare, fields={"lokasi": ""})
    assert audits(bare, "ticket.fields") == []


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"jenis": "Ganti monitor"}, "Jenis layanan"),  # not one of the SOP's choices
        ({"warna": "merah"}, "warna"),  # the service declares no such field
    ],
)
def test_fields_are_checked_like_a_new_request(
    bare: Ticket, personas: Personas, fields: dict[str, str], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        services.ticket_update_fields(actor=personas.staff, ticket=bare, fields=fields)
    bare.refresh_from_db()
    assert bare.fields == {}


def test_a_required_field_once_filled_cannot_be_emptied(bare: Ticket, personas: Personas) -> None:
    services.ticket_update_fields(actor=personas.staff, ticket=bare, fields={"lokasi": "Lab 3"})
    with pytest.raises(ValidationError, match="Lokasi/perangkat"):
        services.ticket_update_fields(actor=personas.staff, ticket=bare, fields={"lokasi": " "})
    bare.refresh_from_db()
    assert bare.fields == {"lokasi": "Lab 3"}


def test_only_staff_of_the_unit_change_fields(bare: Ticket, personas: Personas) -> None:
    for outsider in (personas.other_staff, personas.auditor, personas.requester):
        with pytest.raises(PermissionDenied):
            services.ticket_update_fields(actor=outsider, ticket=bare, fields={"lokasi": "Lab 3"})
    services.ticket_update_fields(actor=personas.supervisor, ticket=bare, fields={"lokasi": "X"})


def test_saved_filters_are_saved_replaced_and_deleted_with_audit_rows(
    sops: None, personas: Personas
) -> None:
    saved = services.saved_filter_save(
        user=personas.staff, name=" Pagi ", query="unit=UPT-SI&sla=breached"
    )
    assert (saved.name, saved.query) == ("Pagi", "unit=UPT-SI&sla=breached")
    again = services.saved_filter_save(user=personas.staff, name="Pagi", query="unit=UPT-SI")
    assert again.pk == saved.pk and SavedFilter.objects.get().query == "unit=UPT-SI"
    rows = AuditEvent.objects.filter(action="saved_filter.save").order_by("pk")
    assert [row.before for row in rows] == [
        None,
        {"name": "Pagi", "query": "unit=UPT-SI&sla=breached"},
    ]
    assert rows[1].after == {"name": "Pagi", "query": "unit=UPT-SI"}
    with pytest.raises(ValidationError):
        services.saved_filter_save(user=personas.staff, name="  ", query="unit=UPT-SI")
    with pytest.raises(PermissionDenied):
        services.saved_filter_delete(user=personas.supervisor, saved_filter=again)
    services.saved_filter_delete(user=personas.staff, saved_filter=again)
    assert not SavedFilter.objects.exists()
    deleted = AuditEvent.objects.get(action="saved_filter.delete")
    assert deleted.before == {"name": "Pagi", "query": "unit=UPT-SI"}
    assert deleted.actor == personas.staff


def test_bulk_unassign(sops: None, personas: Personas) -> None:
    tickets = [open_ticket(personas, received=wib(9, minute)) for minute in (1, 2)]
    services.tickets_bulk(actor=personas.staff, tickets=tickets, assignee=personas.head)
    assert Ticket.objects.filter(assignee=personas.head).count() == 2
    assert services.tickets_bulk(actor=personas.staff, tickets=tickets, unassign=True) == 2
    assert not Ticket.objects.filter(assignee__isnull=False).exists()
    with pytest.raises(ValueError, match="exclude"):
        services.tickets_bulk(
            actor=personas.staff, tickets=tickets, assignee=personas.head, unassign=True
        )
