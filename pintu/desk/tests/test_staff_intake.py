"""Walk-in and phone intake by staff: the "new request" form, its person search, the
received time that starts the clock, and who may use it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, screenshot, service
from pintu.core.models import AuditEvent
from pintu.desk import services
from pintu.desk.models import Contact, Door, Ticket
from pintu.desk.tests.test_staff_views import (
    NOW,
    client_for,
    frozen,  # noqa: F401 (fixture)
    in_indonesian,
    sign_in,
    wib,
)
from pintu.outbox.models import OutboxItem
from pintu.sop.models import ServiceType

URL = "/desk/new/"
NOBODY_FOUND = "Nobody found. Check the spelling, or record the requester as an outside contact."


def light_service() -> ServiceType:
    """UPT-SI's light service: answer within 15 working minutes; fields Jenis layanan
    (a choice) and Lokasi/perangkat, both required in the portal."""
    return service("PR.33.8", "layanan-ringan")


def walk_in(**changes: Any) -> dict[str, Any]:
    data = {
        "service": light_service().pk,
        "door": Door.WALK_IN,
        "received_at": "2026-11-25T09:00",
        "requester_kind": "contact",
        "contact_name": "Pak Budi",
        "contact_email": "",
        "contact_phone": "0812-3456-7890",
        "subject": "Proyektor ruang rapat mati",
        "body": "Datang ke loket: proyektor ruang rapat lantai 2 tidak menyala.",
        "field_jenis": "Perbaikan/instalasi perangkat keras TI",
        "field_lokasi": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff(sops: None, personas: Personas, request: pytest.FixtureRequest) -> Any:
    """A signed-in staff member of UPT-SI, at NOW (the browser test runs on real time)."""
    request.getfixturevalue("frozen")
    return client_for(personas.staff)


def test_a_walk_in_received_earlier_starts_the_clock_when_it_arrived(
    staff: Any, personas: Personas
) -> None:
    response = staff.post(URL, walk_in())
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk-ticket", args=[ticket.reference])
    assert ticket.door == Door.WALK_IN
    assert ticket.received_at == wib(9, 0)
    # 15 working minutes from 09:00, not from when it was typed in (10:00).
    assert ticket.first_response_due_at == wib(9, 15)
    assert ticket.created_at == NOW
    # Staff may leave a field for later: only what was given is kept.
    assert ticket.fields == {"jenis": "Perbaikan/instalasi perangkat keras TI"}
    assert ticket.requester is None
    assert (ticket.contact.name, ticket.contact.phone) == ("Pak Budi", "6281234567890")
    assert ticket.articles.get().body.startswith("Datang ke loket")
    created = AuditEvent.objects.get(action="ticket.create", object_id=str(ticket.pk))
    assert created.actor == personas.staff
    assert created.after["received_at"] == wib(9, 0).isoformat()
    assert created.after["entered_at"] == NOW.isoformat()
    assert not OutboxItem.objects.exists()  # a walk-in has no channel back


def test_received_in_the_current_minute_is_received_now(staff: Any) -> None:
    staff.post(URL, walk_in(received_at="2026-11-25T10:00"))
    ticket = Ticket.objects.get()
    assert ticket.received_at == NOW
    created = AuditEvent.objects.get(action="ticket.create")
    assert "entered_at" not in (created.after or {})


def test_a_future_time_is_refused_and_what_was_typed_is_kept(staff: Any) -> None:
    response = staff.post(URL, walk_in(received_at="2026-11-25T11:30", field_lokasi="Lt. 2"))
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    page = response.content.decode()
    assert response.context["form"].non_field_errors() == [
        in_indonesian("A request cannot arrive in the future.")
    ]
    for typed in (
        'value="2026-11-25T11:30"',
        "Proyektor ruang rapat mati",
        "Datang ke loket",
        'value="Pak Budi"',
        'value="Lt. 2"',
    ):
        assert typed in page, typed
    assert "portal-error-summary" in page


def test_an_outside_contact_is_matched_by_email_or_number_not_duplicated(
    staff: Any,
) -> None:
    known = services.contact_for(name="Bu Sari", email="sari@mitra.id")
    staff.post(
        URL,
        walk_in(
            door=Door.EMAIL,
            contact_name="Sari",
            contact_email="Sari@Mitra.id",
            contact_phone="",
        ),
    )
    staff.post(URL, walk_in(contact_name="Budi", contact_phone="+62 812 3456 7890"))
    staff.post(URL, walk_in(door=Door.PHONE, contact_name="", contact_phone="081234567890"))
    first, second, third = Ticket.objects.order_by("pk")
    assert first.contact == known and first.door == Door.EMAIL
    assert second.contact == third.contact
    assert Contact.objects.count() == 2
    # A request copied in from an e-mail is acknowledged by e-mail like one that came in.
    assert OutboxItem.objects.get().recipient == "sari@mitra.id"


def test_a_door_that_needs_an_address_asks_for_it(staff: Any) -> None:
    response = staff.post(
        URL, walk_in(door=Door.WHATSAPP, contact_phone="", contact_email="a@b.id")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["door"]
    response = staff.post(URL, walk_in(contact_name="", contact_phone=""))
    assert response.context["form"].errors["contact_name"]
    assert not Ticket.objects.exists()


def test_a_known_person_is_found_by_name_email_or_number(staff: Any, personas: Personas) -> None:
    personas.requester.phone = "6285700001111"
    personas.requester.save(update_fields=["phone"])
    people = reverse("desk-new-people")
    for query in ("mahasis", "MAHASISWA@pintu", "0857 0000 1111"):
        found = staff.get(people, {"person_query": query}).content.decode()
        assert f'value="{personas.requester.pk}"' in found, query
    nobody = staff.get(people, {"person_query": "zzz"}).content.decode()
    assert 'name="person"' not in nobody
    assert in_indonesian(NOBODY_FOUND) in nobody
    staff.post(
        URL,
        walk_in(
            door=Door.PHONE,
            requester_kind="person",
            person=personas.requester.pk,
            contact_name="",
            contact_phone="",
        ),
    )
    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.contact, ticket.door) == (
        personas.requester,
        None,
        Door.PHONE,
    )


def test_without_the_live_search_one_match_is_taken_and_several_are_listed(
    staff: Any, personas: Personas
) -> None:
    person = {"requester_kind": "person", "contact_name": "", "contact_phone": ""}
    several = staff.post(URL, walk_in(person_query="si", **person))
    assert several.status_code == 200
    assert several.context["form"].errors["person_query"]
    listed = {candidate.username for candidate in several.context["candidates"]}
    assert {"staf-si", "subkoor-si", "kepala-si"} <= listed
    staff.post(URL, walk_in(person_query="mahasiswa@pintu.test", **person))
    assert Ticket.objects.get().requester == personas.requester


def test_the_form_offers_only_the_services_of_the_units_one_works_in(
    staff: Any, personas: Personas
) -> None:
    page = staff.get(URL, {"unit": "UPT-SI"})
    offered = {t.sop.unit.code for t in page.context["form"].fields["service"].queryset}
    assert offered == {"UPT-SI"}
    assert page.context["form"].service_type.sop.unit.code == "UPT-SI"
    # Received now, to the minute, unless changed.
    assert 'value="2026-11-25T10:00"' in page.content.decode()
    other = service("PR.13.2", "publikasi-pengumuman")
    refused = staff.post(URL, walk_in(service=other.pk))
    assert refused.context["form"].errors["service"]
    p4m = client_for(personas.other_staff).get(URL)
    assert {t.sop.unit.code for t in p4m.context["form"].fields["service"].queryset} == {"P4M"}
    for outsider in (personas.auditor, personas.requester):
        assert client_for(outsider).get(URL).status_code == 403
        assert client_for(outsider).post(URL, walk_in()).status_code == 403
        assert (
            client_for(outsider).get(reverse("desk-new-people"), {"person_query": "ma"}).status_code
            == 403
        )
    assert not Ticket.objects.exists()


def test_the_services_own_fields_follow_the_choice(staff: Any) -> None:
    account = service("PR.33.8", "akun-kampus")
    fragment = staff.get(reverse("desk-new-fields"), {"service": account.pk}).content.decode()
    assert "NIM/NIP/NIK" in fragment and "field_nomor_induk" in fragment
    assert "Lokasi/perangkat" not in fragment
    # Without scripts, the form shown again for another service keeps what was typed.
    page = staff.get(URL, {"service": account.pk, "subject": "Akun baru"}).content.decode()
    assert "NIM/NIP/NIK" in page and 'value="Akun baru"' in page


def test_the_queue_links_to_the_form_for_those_who_work_there(
    staff: Any, personas: Personas
) -> None:
    assert f'href="{URL}?unit=UPT-SI"' in staff.get(reverse("desk-queue")).content.decode()
    auditor = client_for(personas.auditor).get(reverse("desk-queue"), {"unit": "UPT-SI"})
    assert URL not in auditor.content.decode()


def test_an_attachment_comes_with_the_request(staff: Any, settings: Any, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    staff.post(
        URL,
        {**walk_in(), "attachments": [SimpleUploadedFile("surat.pdf", b"%PDF", "application/pdf")]},
    )
    assert Ticket.objects.get().articles.get().attachments.get().filename == "surat.pdf"


# ---------------------------------------------------------------- in the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_new_request_form_in_chromium(page: Any, personas: Personas) -> None:
    from pintu.desk.tests.test_staff_ticket_extras import dead_letter
    from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir

    sop_load_dir(actor=None, directory=DEFINITIONS_DIR)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "staf-si")
    page.goto("/desk/?unit=UPT-SI")
    page.click("a.desk-new")
    page.wait_for_url("**/desk/new/?unit=UPT-SI")
    # The outside contact's fields hide while a person is being looked up.
    assert page.is_hidden("#id_contact_name")
    page.fill("#id_person_query", "mahasis")
    page.locator(f"input[name=person][value='{personas.requester.pk}']").check()
    page.check("input[name=door][value=phone]")
    earlier = timezone.localtime() - timedelta(minutes=40)
    page.fill("#id_received_at", earlier.strftime("%Y-%m-%dT%H:%M"))
    # Answered on the phone ten minutes in: that is the first response.
    page.check("#id_answered_in_person")
    page.fill("#id_answered_at", (earlier + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_service", label="Layanan kategori ringan")
    # The first service has a "lokasi" field too: wait for the chosen service's fields,
    # or the value typed next may go into the field that is about to be replaced.
    page.locator("#service-fields legend", has_text="Layanan kategori ringan").wait_for()
    page.fill("#id_subject", "Printer lab 2 macet")
    page.fill("#id_body", "Menelepon: printer lab 2 macet sejak pagi.")
    page.fill("#id_field_lokasi", "Lab 2")
    screenshot(page, "desk-new-request")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "desk-new-request-phone")
    page.click("button.portal-submit")
    page.wait_for_url("**/desk/t/**")
    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.door) == (personas.requester, Door.PHONE)
    assert ticket.received_at == earlier.replace(second=0, microsecond=0)
    assert ticket.fields == {"lokasi": "Lab 2"}
    assert ticket.first_response_at == earlier.replace(second=0, microsecond=0) + timedelta(
        minutes=10
    )
    # A message that never arrived shows on the ticket page above everything else.
    dead_letter(
        ticket,
        transport=Door.EMAIL,
        recipient="mahasiswa@pintu.test",
        last_error="550 5.1.1 <mahasiswa@pintu.test>: Recipient address rejected",
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    assert page.locator(".desk-dead button").count() == 1
    screenshot(page, "desk-ticket-dead-letter")
    page.click(".desk-dead button")
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    assert page.locator(".desk-dead").count() == 0
    assert errors == []
