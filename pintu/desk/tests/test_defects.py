"""Defects found while the desk became a platform, each with the test that failed before
its fix."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pintu.conftest import Personas, fields_for, service
from pintu.desk import services
from pintu.desk.models import Article, Door, Ticket
from pintu.outbox.models import OutboxItem

PINTU = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_split_email_request_keeps_its_acknowledgement(sops: None, personas: Personas) -> None:
    """``ticket_split`` opened the new request with ``ticket_create`` (which queues an
    acknowledgement for an e-mail request) and then deleted the new request's articles;
    the outbox row cascaded with its article, so the acknowledgement vanished unsent."""
    svc = service("PR.33.8", "layanan-ringan")
    ticket = services.ticket_create(
        actor=None,
        service_type=svc,
        requester=services.ContactDetails(name="Dosen Tamu", email="tamu@example.ac.id"),
        opening=services.Opening(subject="Proyektor dan printer", body="Proyektor mati."),
        door=Door.EMAIL,
        fields=fields_for(svc),
    ).ticket
    second = services.ticket_requester_message(
        ticket=ticket, body="Printer juga macet.", door=Door.EMAIL
    )
    new = services.ticket_split(
        actor=personas.staff, ticket=ticket, article_ids=[second.pk], subject="Printer macet"
    )
    ack = new.articles.get(kind=Article.Kind.ACKNOWLEDGEMENT)
    assert new.reference in ack.body
    row = OutboxItem.objects.get(ticket=new, purpose=OutboxItem.Purpose.ACKNOWLEDGEMENT)
    assert (row.recipient, row.source) == ("tamu@example.ac.id", ack)
    # The moved message is the new request's opening message; nothing was copied.
    assert list(new.articles.filter(kind=Article.Kind.INBOUND)) == [second]
    assert Article.objects.filter(body="Printer juga macet.").count() == 1


def _locked_ticket_ids(queries: list[dict[str, str]]) -> list[int]:
    """The ids of the tickets a service locked, in order (the lock reads a ticket with
    its unit, service type and SOP, by id)."""
    found = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and 'INNER JOIN "org_unit"' in sql:
            match = re.search(r'WHERE "desk_ticket"\."id" = (\d+)', sql)
            if match:
                found.append(int(match.group(1)))
    return found


@pytest.mark.django_db
def test_a_merge_locks_its_two_tickets_in_the_order_of_their_keys(
    sops: None, personas: Personas
) -> None:
    """Locked in argument order, merging A into B while someone merges B into A made
    each wait for the other's lock: a deadlock."""
    svc = service("PR.33.8", "layanan-ringan")

    def request(subject: str) -> Ticket:
        return services.ticket_create(
            actor=personas.requester,
            service_type=svc,
            requester=personas.requester,
            opening=services.Opening(subject=subject, body="Printer"),
            fields=fields_for(svc),
        ).ticket

    older, newer = request("Printer"), request("Printer lagi")
    with CaptureQueriesContext(connection) as captured:
        services.ticket_merge(actor=personas.staff, source=newer, target=older)
    assert _locked_ticket_ids(captured.captured_queries)[:2] == [older.pk, newer.pk]
    third = request("Printer sekali lagi")
    with CaptureQueriesContext(connection) as captured:
        services.ticket_merge(actor=personas.staff, source=older, target=third)
    assert _locked_ticket_ids(captured.captured_queries)[:2] == [older.pk, third.pk]


@pytest.mark.django_db
def test_a_request_merged_away_cannot_be_merged_again(sops: None, personas: Personas) -> None:
    svc = service("PR.33.8", "layanan-ringan")
    a, b = (
        services.ticket_create(
            actor=personas.requester,
            service_type=svc,
            requester=personas.requester,
            opening=services.Opening(subject=subject, body="Printer"),
            fields=fields_for(svc),
        ).ticket
        for subject in ("Satu", "Dua")
    )
    services.ticket_merge(actor=personas.staff, source=a, target=b)
    with pytest.raises(ValidationError, match="digabung"):
        services.ticket_merge(actor=personas.staff, source=b, target=a)


DOTTED = re.compile(r"``(pintu(?:\.[a-z_][a-z0-9_]*)+)``")


def _documented_names() -> list[tuple[str, str]]:
    """Every ``pintu.x.y`` a docstring or comment of the package names, and where."""
    found = []
    for path in PINTU.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in DOTTED.finditer(text):
            found.append((match.group(1), f"{path.relative_to(PINTU.parent)}"))
    return found


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 1, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_every_module_the_code_names_in_its_documentation_exists() -> None:
    """``desk/models.py`` sent readers to ``pintu.desk.sla``, which never existed."""
    names = _documented_names()
    assert len(names) >= 10  # the scan reads the docstrings at all
    missing = sorted({f"{where}: {dotted}" for dotted, where in names if not _resolves(dotted)})
    assert missing == []


def test_the_scan_would_catch_a_name_that_does_not_exist() -> None:
    assert not _resolves("pintu.desk.sla")
    assert _resolves("pintu.sla.deadlines.ticket_sla_state")
