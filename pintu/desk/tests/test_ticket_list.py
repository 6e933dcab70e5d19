"""The API's ticket list as a union of index-friendly branches gives what the plain
visibility rule gives, in the same order, page after page: by offset and by cursor, for
each kind of viewer, with tickets that share a moment, and its count bounded."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.http import Http404

from pintu.desk import selectors
from pintu.desk.access import can_read
from pintu.desk.models import Contact, Status, Ticket
from pintu.desk.selectors import ListFilter
from pintu.desk.tests.test_api import API, client_for
from pintu.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewers(sops: None, personas: Any) -> dict[str, User]:
    """A bench desk of 400 tickets with the cases OR-visibility has to join: a requester
    who is also the contact of requests from other doors, a staff member who also asked
    another unit for something, tickets received at the same moment."""
    call_command("seed", "bench", "--tickets", "400", stdout=StringIO(), stderr=StringIO())
    requester = User.objects.filter(username__startswith="bench-pemohon").order_by("id").first()
    staff = User.objects.get(username="bench-upt-si-staf-01")
    assert requester is not None
    asked = Ticket.objects.filter(contact__user__isnull=True, requester__isnull=True)
    contacts = list(asked.order_by("contact_id").values_list("contact_id", flat=True)[:5])
    Contact.objects.filter(pk__in=contacts).update(user=requester)
    elsewhere = Ticket.objects.exclude(unit__code="UPT-SI").order_by("id")[:7]
    Ticket.objects.filter(pk__in=[t.pk for t in elsewhere]).update(requester=staff)
    own = Ticket.objects.filter(unit__code="UPT-SI").order_by("id")[:3]
    Ticket.objects.filter(pk__in=[t.pk for t in own]).update(requester=staff)
    moment = Ticket.objects.order_by("id").values_list("received_at", flat=True)[10]
    shared = Ticket.objects.order_by("-id")[:12]
    Ticket.objects.filter(pk__in=[t.pk for t in shared]).update(received_at=moment)
    return {
        "requester": requester,
        "staff": staff,
        "head": User.objects.get(username="bench-baa-kepala"),
        "auditor": personas.auditor,
        "admin": personas.admin,
    }


def expected(viewer: User, filters: ListFilter) -> list[str]:
    """The list as the plain rule reads it: one OR, sorted newest first."""
    tickets = selectors.tickets_visible_to(viewer)
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.unit:
        tickets = tickets.filter(unit__code=filters.unit)
    if filters.service:
        tickets = tickets.filter(service_type__key=filters.service)
    return list(tickets.order_by("-received_at", "-id").values_list("reference", flat=True))


def by_cursor(viewer: User, filters: ListFilter, limit: int) -> Iterator[selectors.TicketPage]:
    after = None
    while True:
        page = selectors.ticket_list(viewer=viewer, filters=filters, limit=limit, after=after)
        yield page
        if page.next is None:
            return
        after = page.next


FILTERS = [
    ListFilter(),
    ListFilter(status=Status.RESOLVED),
    ListFilter(unit="UPT-SI"),
    ListFilter(unit="BAA", status=Status.CLOSED),
    ListFilter(service="akun-kampus"),
    ListFilter(unit="NO-SUCH-UNIT"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f)[10:])
def test_every_viewer_pages_through_what_the_plain_rule_shows(viewers, filters) -> None:
    for name, viewer in viewers.items():
        want = expected(viewer, filters)
        pages = list(by_cursor(viewer, filters, limit=17))
        got = [ticket.reference for page in pages for ticket in page.tickets]
        assert got == want, name
        assert {page.count for page in pages} == {len(want)} and all(
            page.count_exact for page in pages
        )
        for offset in (0, 17, 50, max(len(want) - 1, 0)):
            page = selectors.ticket_list(viewer=viewer, filters=filters, limit=20, offset=offset)
            assert [t.reference for t in page.tickets] == want[offset : offset + 20], name


def listed(viewer: User) -> list[Ticket]:
    page = selectors.ticket_list(viewer=viewer, filters=ListFilter(), limit=100)
    return page.tickets


def test_the_cases_the_union_must_not_count_twice(viewers) -> None:
    staff = viewers["staff"]
    upt_si = Ticket.objects.filter(unit__code="UPT-SI").count()
    # Their unit's tickets (three of which they asked for, listed once) and the seven
    # they asked other units for.
    page = selectors.ticket_list(viewer=staff, filters=ListFilter(), limit=100)
    assert page.count == upt_si + 7 and page.count_exact
    every = [t for p in by_cursor(staff, ListFilter(), limit=100) for t in p.tickets]
    assert len(every) == len({t.pk for t in every}) == upt_si + 7
    assert sum(t.unit.code != "UPT-SI" for t in every) == 7
    assert sum(t.requester_id == staff.pk and t.unit.code == "UPT-SI" for t in every) == 3
    # A requester's own requests and those from the contacts that are theirs.
    requester = viewers["requester"]
    from_contacts = set(Ticket.objects.filter(contact__user=requester).values_list("pk", flat=True))
    assert len(from_contacts) >= 5
    assert from_contacts <= {t.pk for t in listed(requester)}


def test_the_count_stops_at_its_bound(viewers, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "COUNT_BOUND", 50)
    page = selectors.ticket_list(viewer=viewers["auditor"], filters=ListFilter(), limit=10)
    assert (page.count, page.count_exact) == (50, False)
    small = selectors.ticket_list(viewer=viewers["requester"], filters=ListFilter(), limit=10)
    assert small.count_exact and small.count == len(expected(viewers["requester"], ListFilter()))


def test_the_api_hands_out_cursors_and_refuses_made_up_ones(viewers) -> None:
    client = client_for(viewers["head"])
    first = client.get(f"{API}/tickets", {"limit": 5}).json()
    assert first["count_exact"] and first["next"]
    second = client.get(f"{API}/tickets", {"limit": 5, "cursor": first["next"]}).json()
    want = expected(viewers["head"], ListFilter())
    assert [t["reference"] for t in first["items"] + second["items"]] == want[:10]
    for bad in ("nonsense", "MjAyNi0xMi0wMXwx", "x" * 101):
        response = client.get(f"{API}/tickets", {"cursor": bad})
        assert response.status_code == 422, bad
        assert "cursor" in response.content.decode()


@pytest.mark.parametrize("who", ["requester", "staff", "head", "auditor", "admin"])
def test_opening_a_ticket_follows_the_same_rule(viewers: dict[str, User], who: str) -> None:
    """A ticket page finds the ticket by its reference and then applies the rule to that
    one ticket: it opens exactly the tickets the list shows, and 404s the others."""
    viewer = viewers[who]
    visible = set(selectors.tickets_visible_to(viewer).values_list("reference", flat=True))
    opened = set()
    for ticket in Ticket.objects.select_related("contact"):
        assert can_read(viewer, ticket) == (ticket.reference in visible), ticket.reference
        try:
            selectors.ticket_get(viewer=viewer, reference=ticket.reference)
        except Http404:
            continue
        opened.add(ticket.reference)
    assert opened == visible
    assert 0 < len(visible) <= Ticket.objects.count()
