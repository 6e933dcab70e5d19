"""Who may write into a request by mail: references are sequential and easy to guess, so
a subject reference threads only for the people of that conversation, and only when the
mail reaches the ticket's own unit."""

from __future__ import annotations

import pytest

from pintu.conftest import Personas, service
from pintu.desk import services as desk_services
from pintu.desk.models import Article, Status, Ticket
from pintu.doors.email.ingest import ingest_email
from pintu.doors.models import Mailbox
from pintu.doors.tests.test_email_ingest import HELPDESK, NOW, mail, mail_settings, mailbox
from pintu.org.models import Unit

pytestmark = pytest.mark.django_db
__all__ = ["mail_settings", "mailbox"]  # fixtures used here
P4M_DESK = "p4m@pintu.test"


def first_request(*extra: str) -> Ticket:
    raw = mail(
        "From: Budi Siregar <budi@example.ac.id>",
        f"To: {HELPDESK}",
        *extra,
        "Subject: Wi-Fi lab mati",
        "Message-ID: <m1@example.ac.id>",
        body="Wi-Fi lab 3 mati.",
    )
    assert ingest_email(raw, now=NOW).outcome == "created"
    return Ticket.objects.get(reference="SI-26-00001")


def follow_up(
    sender: str, *, to: str = HELPDESK, message_id: str = "m9@x", **headers: str
) -> bytes:
    return mail(
        f"From: {sender}",
        f"To: {to}",
        "Subject: Re: [SI-26-00001] Wi-Fi lab mati",
        f"Message-ID: <{message_id}>",
        *(f"{name}: {value}" for name, value in headers.items()),
        body="Tulisan tambahan.",
    )


def resolved_and_rated(ticket: Ticket, personas: Personas) -> None:
    desk_services.ticket_set_status(
        actor=personas.staff, ticket=ticket, status=Status.RESOLVED, now=NOW
    )
    ticket.contact.user = personas.requester
    ticket.contact.save(update_fields=["user"])
    desk_services.ticket_rate(actor=personas.requester, ticket=ticket, score=5, now=NOW)


def inbound_authors(ticket: Ticket) -> list[str]:
    articles = ticket.articles.filter(kind=Article.Kind.INBOUND).order_by("id")
    return list(articles.values_list("author_name", flat=True))


def test_a_stranger_quoting_a_reference_opens_a_request_of_their_own(mailbox) -> None:
    ticket = first_request()
    result = ingest_email(follow_up("Orang Asing <asing@luar.example>"), mailbox=mailbox, now=NOW)
    assert (result.outcome, result.ticket) == ("created", "SI-26-00002")
    assert inbound_authors(ticket) == [str(ticket.contact)]
    assert Ticket.objects.get(reference="SI-26-00002").contact.email == "asing@luar.example"


def test_a_stranger_never_reopens_a_resolved_and_rated_request(mailbox, personas: Personas) -> None:
    ticket = first_request()
    resolved_and_rated(ticket, personas)
    assert ingest_email(follow_up("asing@luar.example"), now=NOW).outcome == "created"
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.csat_score == 5
    assert len(inbound_authors(ticket)) == 1


def test_a_stranger_answering_a_known_message_id_of_a_resolved_request_reopens_nothing(
    mailbox, personas: Personas
) -> None:
    ticket = first_request()
    resolved_and_rated(ticket, personas)
    raw = follow_up("asing@luar.example", **{"In-Reply-To": "<m1@example.ac.id>"})
    assert ingest_email(raw, now=NOW).outcome == "created"
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_the_requester_quoting_the_reference_at_another_units_mailbox_opens_a_new_request(
    mailbox,
) -> None:
    Mailbox.objects.create(
        unit=Unit.objects.get(code="P4M"),
        address=P4M_DESK,
        service_type=service("PR.13.2", "dokumen-proses-bisnis"),
        host="127.0.0.1",
        username="p4m",
    )
    ticket = first_request()
    result = ingest_email(follow_up("budi@example.ac.id", to=P4M_DESK), now=NOW)
    assert result.outcome == "created"
    assert Ticket.objects.get(reference=result.ticket).unit.code == "P4M"
    assert len(inbound_authors(ticket)) == 1


def test_the_requester_quoting_the_reference_continues_it(mailbox) -> None:
    ticket = first_request()
    result = ingest_email(follow_up("BUDI@example.ac.id"), now=NOW)
    assert (result.outcome, result.ticket) == ("appended", ticket.reference)


def test_someone_copied_on_the_conversation_may_quote_the_reference(mailbox) -> None:
    ticket = first_request("Cc: Rina <rina@example.ac.id>")
    result = ingest_email(follow_up("Rina <rina@example.ac.id>"), now=NOW)
    assert (result.outcome, result.ticket) == ("appended", ticket.reference)


def test_staff_of_the_unit_may_quote_the_reference_but_staff_of_another_may_not(
    mailbox, personas: Personas
) -> None:
    ticket = first_request()
    for person, address in (
        (personas.staff, "staf@kampus.example"),
        (personas.other_staff, "p4m@kampus.example"),
    ):
        person.email = address
        person.save(update_fields=["email"])
    inside = ingest_email(follow_up("staf@kampus.example", message_id="s1@x"), now=NOW)
    assert (inside.outcome, inside.ticket) == ("appended", ticket.reference)
    outside = ingest_email(follow_up("p4m@kampus.example", message_id="s2@x"), now=NOW)
    assert outside.outcome == "created"
