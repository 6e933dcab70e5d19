"""One intake service for every door: who the requester is, the opening message, one
transaction (a refused request leaves no contact behind), and what callers get back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, fields_for, service
from pintu.core.models import AuditEvent
from pintu.desk import services
from pintu.desk.models import Article, Contact, Door, Status, Ticket
from pintu.desk.services import ContactDetails, Opening

pytestmark = pytest.mark.django_db


def test_create_returns_the_ticket_and_its_opening_message(sops, personas: Personas) -> None:
    svc = service("PR.33.8", "layanan-ringan")
    created = services.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=Opening(subject="Printer", body="Printer lab macet"),
        fields=fields_for(svc),
    )
    assert created.article == created.ticket.articles.get(kind=Article.Kind.INBOUND)
    assert created.article.body == "Printer lab macet"
    assert created.article.author == personas.requester


def test_contact_details_are_found_or_made_inside_the_transaction(sops, personas) -> None:
    svc = service("PR.33.8", "layanan-ringan")
    details = ContactDetails(name="Tamu", email="Tamu@Example.ac.id")
    first = services.ticket_create(
        actor=personas.staff,
        service_type=svc,
        requester=details,
        opening=Opening(subject="Proyektor", body="Mati"),
        door=Door.WALK_IN,
    ).ticket
    again = services.ticket_create(
        actor=personas.staff,
        service_type=svc,
        requester=details,
        opening=Opening(subject="Proyektor lagi", body="Masih mati"),
        door=Door.PHONE,
    ).ticket
    assert first.contact == again.contact and first.contact.email == "tamu@example.ac.id"
    assert Contact.objects.count() == 1


def test_a_refused_request_leaves_no_stray_contact(sops, personas: Personas) -> None:
    svc = service("PR.33.8", "layanan-ringan")
    with pytest.raises(ValidationError):
        services.ticket_create(
            actor=personas.staff,
            service_type=svc,
            requester=ContactDetails(name="Tamu", phone="6281211112222"),
            opening=Opening(subject="Printer", body="Macet"),
            door=Door.WALK_IN,
            received_at=timezone.now() + timedelta(hours=1),  # in the future: refused
        )
    with pytest.raises(PermissionDenied):
        services.ticket_create(
            actor=personas.requester,  # only staff may set when a request arrived
            service_type=svc,
            requester=ContactDetails(name="Tamu", phone="6281211112222"),
            opening=Opening(subject="Printer", body="Macet"),
            received_at=timezone.now() - timedelta(hours=1),
        )
    assert not Contact.objects.exists() and not Ticket.objects.exists()


def test_contact_details_need_a_name_an_address_or_a_number(sops, personas) -> None:
    with pytest.raises(ValidationError, match="WhatsApp"):
        services.ticket_create(
            actor=personas.staff,
            service_type=service("PR.33.8", "layanan-ringan"),
            requester=ContactDetails(name="  "),
            opening=Opening(subject="Printer", body="Macet"),
            door=Door.WALK_IN,
        )


def test_a_contact_linked_to_a_person_makes_the_request_theirs(sops, personas) -> None:
    contact = services.contact_for(name="Mahasiswa", email=personas.requester.email)
    ticket = services.ticket_create(
        actor=None,
        service_type=service("PR.33.8", "layanan-ringan"),
        requester=contact,
        opening=Opening(subject="Lewat e-mail", body="Printer"),
        door=Door.EMAIL,
    ).ticket
    assert ticket.contact == contact and ticket.requester == personas.requester


def test_the_portal_form_must_be_complete_but_a_door_keeps_what_it_has(sops, personas) -> None:
    svc = service("PR.13.2", "perubahan-data-mata-kuliah")
    with pytest.raises(ValidationError, match="wajib diisi"):
        services.ticket_create(
            actor=personas.requester,
            service_type=svc,
            requester=personas.requester,
            opening=Opening(subject="Ubah SKS", body="b"),
        )
    by_mail = services.ticket_create(
        actor=None,
        service_type=svc,
        requester=ContactDetails(email="dosen@example.ac.id"),
        opening=Opening(subject="Ubah SKS", body="b"),
        door=Door.EMAIL,
    ).ticket
    assert by_mail.fields == {}


def test_a_refused_walk_in_leaves_no_stray_contact(sops, personas: Personas) -> None:
    """The walk-in form used to make the contact before the request, outside any
    transaction; a request the service refused left the contact behind."""
    client = Client()
    client.force_login(personas.staff)
    svc = service("PR.33.8", "layanan-ringan")
    arrives_later = {
        "requester_kind": "contact",
        "contact_name": "Tamu Loket",
        "contact_email": "tamu@example.ac.id",
        "contact_phone": "",
        "door": Door.WALK_IN,
        # The form takes any time; the service refuses one in the future.
        "received_at": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "service": svc.pk,
        "subject": "Proyektor mati",
        "body": "Datang ke loket",
        **{f"field_{key}": value for key, value in fields_for(svc).items()},
    }
    response = client.post(reverse("desk-new"), arrives_later)
    assert response.status_code == 200 and "masa depan" in response.content.decode()
    assert not Ticket.objects.exists() and not Contact.objects.exists()


def test_a_walk_in_answered_at_the_counter_has_its_first_response(sops, personas) -> None:
    """Typed in after the conversation at the desk, it is not born late: the answer in
    person is its first response, shown in the conversation and audited."""
    arrived = timezone.now() - timedelta(hours=2)
    answered = arrived + timedelta(minutes=5)
    ticket = services.ticket_create(
        actor=personas.staff,
        service_type=service("PR.33.8", "layanan-ringan"),
        requester=personas.requester,
        opening=Opening(subject="Printer", body="Datang ke loket: printer macet."),
        door=Door.WALK_IN,
        received_at=arrived,
        answered_at=answered,
    ).ticket
    ticket.refresh_from_db()
    assert (ticket.first_response_at, ticket.status) == (answered, Status.OPEN)
    note = ticket.articles.get(kind=Article.Kind.SYSTEM)
    assert note.is_public and note.author == personas.staff and note.created_at == answered
    audit = AuditEvent.objects.get(action="ticket.answered")
    assert (
        audit.actor == personas.staff and audit.after["first_response_at"] == answered.isoformat()
    )
    assert not Article.objects.filter(kind=Article.Kind.ACKNOWLEDGEMENT).exists()


@pytest.mark.parametrize(
    ("door", "offset", "message"),
    [
        (Door.WEB, timedelta(minutes=5), "loket atau telepon"),
        (Door.WALK_IN, timedelta(minutes=-5), "antara"),
        (Door.WALK_IN, timedelta(hours=3), "antara"),
    ],
)
def test_an_answer_in_person_is_for_walk_ins_between_arrival_and_now(
    sops: None, personas: Personas, door: str, offset: timedelta, message: str
) -> None:
    arrived = timezone.now() - timedelta(hours=2)
    with pytest.raises(ValidationError, match=message):
        services.ticket_create(
            actor=personas.staff,
            service_type=service("PR.33.8", "layanan-ringan"),
            requester=personas.requester,
            opening=Opening(subject="Printer", body="Macet"),
            fields=fields_for(service("PR.33.8", "layanan-ringan")),
            door=door,
            received_at=arrived,
            answered_at=arrived + offset,
        )
    assert not Ticket.objects.exists()


def test_the_walk_in_form_records_the_answer_given_in_person(sops, personas) -> None:
    client = Client()
    client.force_login(personas.staff)
    svc = service("PR.33.8", "layanan-ringan")
    arrived = (timezone.localtime() - timedelta(hours=1)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("desk-new"),
        {
            "requester_kind": "person",
            "person": personas.requester.pk,
            "door": Door.WALK_IN,
            "received_at": arrived.strftime("%Y-%m-%dT%H:%M"),
            "answered_in_person": "on",
            "answered_at": (arrived + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
            "service": svc.pk,
            "subject": "Printer lab 2",
            "body": "Sudah dijelaskan di loket.",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.first_response_at == arrived + timedelta(minutes=10)
    refused = client.post(
        reverse("desk-new"),
        {
            "requester_kind": "person",
            "person": personas.requester.pk,
            "door": Door.WALK_IN,
            "received_at": arrived.strftime("%Y-%m-%dT%H:%M"),
            "answered_in_person": "on",
            "answered_at": (arrived - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
            "service": svc.pk,
            "subject": "Printer lab 3",
            "body": "x",
        },
    )
    assert refused.status_code == 200 and Ticket.objects.count() == 1
