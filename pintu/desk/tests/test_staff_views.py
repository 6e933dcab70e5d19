"""The staff workspace through its pages: the queue, the ticket page and its actions,
who may see and do what, and a fixed number of queries whatever the data size."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pintu.conftest import Personas, fields_for, make_user, screenshot, service, sign_in
from pintu.core.models import AuditEvent
from pintu.desk import services
from pintu.desk.models import Article, Door, SavedFilter, Status, Step, Ticket
from pintu.desk.tests.files import PNG
from pintu.identity.tests.records import identified
from pintu.org.models import Role
from pintu.outbox.models import OutboxItem, of_source

WIB = ZoneInfo("Asia/Jakarta")
# Wednesday 25 November 2026, 10:00 WIB: a working morning.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)


def in_indonesian(text: str) -> str:
    """What the pages say for ``text`` (the site speaks Indonesian by default)."""
    with translation.override("id"):
        return translation.gettext(text)


def wib(hour: int, minute: int = 0, day: int = 25) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every ``timezone.now()`` (pages and services alike) answers NOW."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def open_ticket(
    personas: Personas,
    *,
    received: datetime,
    sop: str = "PR.33.8",
    key: str = "layanan-ringan",
    subject: str = "Wi-Fi lab mati",
    **extra: Any,
) -> Ticket:
    svc = service(sop, key)
    extra.setdefault("fields", fields_for(svc))
    person = extra.pop("requester", personas.requester)
    requester = extra.pop("contact", None) or person
    staff = personas.staff if svc.sop.unit.code == "UPT-SI" else personas.other_staff
    return services.ticket_create(
        actor=staff,
        service_type=svc,
        requester=requester,
        opening=services.Opening(
            subject=subject,
            body="Wi-Fi di lab 3 tidak tersambung sejak pagi.",
            uploads=extra.pop("uploads", ()),
        ),
        received_at=received,
        **extra,
    ).ticket


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queue_refs(response: Any) -> list[str]:
    return [entry.row.ticket.reference for entry in response.context["rows"]]


@pytest.fixture
def queue_tickets(sops: None, personas: Personas, frozen: datetime) -> dict[str, Ticket]:
    """At 10:00: one breached (due 09:15), one at risk (due 10:05), one on track (due
    10:13), one resolved, and one of P4M."""
    tickets = {
        "at_risk": open_ticket(personas, received=wib(9, 50), subject="Proyektor lab"),
        "breached": open_ticket(personas, received=wib(9, 0), subject="Printer macet"),
        "on_track": open_ticket(personas, received=wib(9, 58), subject="Kabel LAN putus"),
        "resolved": open_ticket(personas, received=wib(8, 0), subject="Sudah beres"),
        "other_unit": open_ticket(
            personas, received=wib(9, 30), sop="PR.13.2", key="publikasi-pengumuman"
        ),
    }
    services.ticket_set_status(
        actor=personas.staff, ticket=tickets["resolved"], status=Status.RESOLVED
    )
    return tickets


# ---------------------------------------------------------------- the queue


def test_the_queue_lists_the_units_active_tickets_by_next_deadline(
    queue_tickets: dict[str, Ticket], personas: Personas
) -> None:
    response = client_for(personas.staff).get(reverse("desk-queue"))
    assert response.status_code == 200
    assert response.context["unit"].code == "UPT-SI"
    assert queue_refs(response) == [
        queue_tickets["breached"].reference,
        queue_tickets["at_risk"].reference,
        queue_tickets["on_track"].reference,
    ]
    page = response.content.decode()
    # Every badge says its state in words, next to its colour.
    assert 'class="badge sla sla-breached"' in page
    assert 'class="badge status status-new"' in page
    assert 'class="badge door door-web"' in page
    # The countdown carries its deadline for the script.
    due = timezone.localtime(queue_tickets["breached"].next_due_at).isoformat()
    assert f'data-due="{due}"' in page
    # New requests arrive without reloading: the rows poll their own URL.
    assert 'hx-trigger="every 10s"' in page
    assert queue_tickets["other_unit"].reference not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=all", ["resolved", "breached", "at_risk", "on_track"]),
        ("status=resolved", ["resolved"]),
        ("sla=breached", ["breached"]),
        ("sla=at_risk", ["at_risk"]),
        ("sla=on_track", ["on_track"]),
        ("q=printer", ["breached"]),
        ("door=email", ["email"]),
        ("service=instalasi-perangkat-lunak", ["software"]),
        ("assignee=me", ["at_risk"]),
        ("assignee=none&sla=on_track", ["on_track"]),
    ],
)
def test_queue_filters(
    queue_tickets: dict[str, Ticket], personas: Personas, query: str, expected: list[str]
) -> None:
    contact = services.contact_for(name="Mitra", email="mitra@contoh.id")
    queue_tickets["email"] = open_ticket(
        personas, received=wib(7, 30, day=24), door=Door.EMAIL, contact=contact
    )
    queue_tickets["software"] = open_ticket(
        personas, received=wib(8, 0, day=24), key="instalasi-perangkat-lunak"
    )
    services.ticket_assign(
        actor=personas.staff, ticket=queue_tickets["at_risk"], assignee=personas.staff
    )
    if expected in (["breached"], ["at_risk"], ["on_track"]) and "q=" not in query:
        # The two older tickets are breached as well; keep them out of the SLA cases.
        for name in ("email", "software"):
            services.ticket_set_status(
                actor=personas.staff, ticket=queue_tickets[name], status=Status.CLOSED
            )
    response = client_for(personas.staff).get(f"{reverse('desk-queue')}?{query}")
    refs = queue_refs(response)
    wanted = [queue_tickets[name].reference for name in expected]
    if query == "status=all":
        assert set(wanted) <= set(refs) and queue_tickets["other_unit"].reference not in refs
    else:
        assert refs == wanted


def test_a_supervisor_of_several_units_chooses_the_unit(
    queue_tickets: dict[str, Ticket], personas: Personas
) -> None:
    from pintu.org import services as org_services
    from pintu.org.models import Unit

    org_services.membership_grant(
        actor=None, user=personas.staff, role=Role.STAFF, unit=Unit.objects.get(code="P4M")
    )
    response = client_for(personas.staff).get(f"{reverse('desk-queue')}?unit=P4M")
    assert queue_refs(response) == [queue_tickets["other_unit"].reference]
    assert [u.code for u in response.context["units"]] == ["P4M", "UPT-SI"]


def test_the_rows_fragment_shows_requests_that_arrived_since_the_page_opened(
    queue_tickets: dict[str, Ticket], personas: Personas
) -> None:
    client = client_for(personas.staff)
    opened = client.get(reverse("desk-queue"))
    poll_url = opened.context["poll_url"]
    quiet = client.get(poll_url)
    assert quiet.status_code == 200
    assert 'data-new="0"' in quiet.content.decode()
    # Someone files a request a minute after the page opened.
    later = NOW + timedelta(minutes=1)
    fresh = services.ticket_create(
        actor=personas.requester,
        service_type=service("PR.33.8", "layanan-ringan"),
        requester=personas.requester,
        opening=services.Opening(subject="Monitor mati", body="Monitor di ruang dosen mati."),
        fields=fields_for(service("PR.33.8", "layanan-ringan")),
        now=later,
    ).ticket
    polled = client.get(poll_url).content.decode()
    assert fresh.reference in polled
    assert 'data-new="1"' in polled
    assert "badge-arrived" in polled
    assert polled.lstrip().startswith("<tbody")


def test_the_rows_fragment_asks_for_a_reload_when_signed_out(sops: None) -> None:
    response = Client().get(reverse("desk-queue-rows"))
    assert response["HX-Refresh"] == "true"


def test_the_queue_shows_at_most_its_limit(
    sops: None, personas: Personas, frozen: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pintu.desk.views.queue.QUEUE_LIMIT", 2)
    for minute in range(3):
        open_ticket(personas, received=wib(9, minute))
    response = client_for(personas.staff).get(reverse("desk-queue"))
    assert len(response.context["rows"]) == 2
    assert 'class="desk-more"' in response.content.decode()


def test_bulk_assign_and_bulk_close(queue_tickets: dict[str, Ticket], personas: Personas) -> None:
    client = client_for(personas.staff)
    chosen = [queue_tickets["breached"].reference, queue_tickets["at_risk"].reference]
    back = f"{reverse('desk-queue')}?unit=UPT-SI&sla=breached"
    response = client.post(
        reverse("desk-bulk"),
        {
            "unit": "UPT-SI",
            "tickets": chosen,
            "action": "assign",
            "assignee": personas.supervisor.pk,
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    assert set(
        Ticket.objects.filter(assignee=personas.supervisor).values_list("reference", flat=True)
    ) == set(chosen)
    client.post(
        reverse("desk-bulk"),
        {"unit": "UPT-SI", "tickets": chosen, "action": "close", "confirmed": "1"},
    )
    assert set(Ticket.objects.filter(reference__in=chosen).values_list("status", flat=True)) == {
        Status.CLOSED
    }
    # Tickets of another unit are never touched, whatever is posted.
    client.post(
        reverse("desk-bulk"),
        {
            "unit": "UPT-SI",
            "tickets": [queue_tickets["other_unit"].reference],
            "action": "close",
            "confirmed": "1",
        },
    )
    queue_tickets["other_unit"].refresh_from_db()
    assert queue_tickets["other_unit"].status == Status.NEW


def test_bulk_close_asks_first_naming_how_many(
    queue_tickets: dict[str, Ticket], personas: Personas
) -> None:
    client = client_for(personas.staff)
    chosen = [queue_tickets[name].reference for name in ("breached", "at_risk", "on_track")]
    back = f"{reverse('desk-queue')}?unit=UPT-SI&sla=breached"
    asked = client.post(
        reverse("desk-bulk"),
        {"unit": "UPT-SI", "tickets": chosen, "action": "close", "next": back},
    )
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "<h1>Tutup 3 permintaan?</h1>" in html
    for name in ("breached", "at_risk", "on_track"):
        ticket = queue_tickets[name]
        assert f'<input type="hidden" name="tickets" value="{ticket.reference}">' in html
        assert ticket.subject in html
    assert '<input type="hidden" name="confirmed" value="1">' in html
    assert f'<a href="{back}">{in_indonesian("Cancel")}</a>' in html.replace("&amp;", "&")
    # Nothing is closed until the question is answered.
    assert not Ticket.objects.filter(status=Status.CLOSED).exists()

    # The page's own form says yes: the requests close and the queue comes back.
    form = html.split('<form method="post" action="', 1)[1].split("</form>", 1)[0]
    data: dict[str, Any] = {"action": "close", "tickets": []}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form):
        if name == "tickets":
            data["tickets"].append(value)
        elif name != "csrfmiddlewaretoken":
            data[name] = value.replace("&amp;", "&")
    done = client.post(reverse("desk-bulk"), data)
    assert done.status_code == 302 and done["Location"] == back
    closed = Ticket.objects.filter(status=Status.CLOSED).values_list("reference", flat=True)
    assert sorted(closed) == sorted(chosen)


def test_one_request_is_asked_about_in_the_singular(
    queue_tickets: dict[str, Ticket], personas: Personas
) -> None:
    client = client_for(personas.staff)
    html = client.post(
        reverse("desk-bulk"),
        {"unit": "UPT-SI", "tickets": [queue_tickets["on_track"].reference], "action": "close"},
        headers={"Accept-Language": "en"},
    ).content.decode()
    assert "<h1>Close 1 request?</h1>" in html
    assert ">Close 1 request</button>" in html


def test_bulk_assign_needs_a_person(queue_tickets: dict[str, Ticket], personas: Personas) -> None:
    response = client_for(personas.staff).post(
        reverse("desk-bulk"),
        {"unit": "UPT-SI", "tickets": [queue_tickets["breached"].reference], "action": "assign"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Ticket.objects.filter(assignee__isnull=False).exists()


def test_saved_filters_are_saved_listed_and_deleted_per_user(
    queue_tickets: dict[str, Ticket], personas: Personas
) -> None:
    client = client_for(personas.staff)
    response = client.post(
        reverse("desk-filter-save"),
        {"name": "Antrean pagi", "query": "unit=UPT-SI&sla=breached&junk=1&q="},
    )
    saved = SavedFilter.objects.get(user=personas.staff)
    assert saved.query == "unit=UPT-SI&sla=breached"
    assert response["Location"] == f"{reverse('desk-queue')}?unit=UPT-SI&sla=breached"
    # The same name again replaces the query.
    client.post(reverse("desk-filter-save"), {"name": "Antrean pagi", "query": "unit=UPT-SI"})
    assert SavedFilter.objects.get(user=personas.staff).query == "unit=UPT-SI"
    page = client.get(f"{reverse('desk-queue')}?unit=UPT-SI")
    assert page.context["current_saved"] == SavedFilter.objects.get()
    assert "Antrean pagi" in page.content.decode()
    # Nobody else sees or deletes it.
    assert (
        "Antrean pagi"
        not in client_for(personas.supervisor).get(reverse("desk-queue")).content.decode()
    )
    other = client_for(personas.supervisor).post(reverse("desk-filter-delete", args=[saved.pk]))
    assert other.status_code == 404
    client.post(reverse("desk-filter-delete", args=[saved.pk]))
    assert not SavedFilter.objects.exists()


# ---------------------------------------------------------------- who sees the queue


def test_queue_visibility(queue_tickets: dict[str, Ticket], personas: Personas) -> None:
    url = reverse("desk-queue")
    assert client_for(personas.requester).get(url).status_code == 403
    assert client_for(personas.other_staff).get(f"{url}?unit=UPT-SI").status_code == 404
    assert client_for(personas.other_staff).get(url).context["unit"].code == "P4M"
    for boss in (personas.supervisor, personas.head, personas.admin):
        assert client_for(boss).get(f"{url}?unit=UPT-SI").status_code == 200
    auditor = client_for(personas.auditor).get(f"{url}?unit=UPT-SI")
    assert auditor.status_code == 200
    assert queue_tickets["breached"].reference in auditor.content.decode()
    assert 'action="/desk/bulk/"' not in auditor.content.decode()  # no bulk actions
    assert 'name="tickets"' not in auditor.content.decode()
    denied = client_for(personas.auditor).post(
        reverse("desk-bulk"),
        {"unit": "UPT-SI", "tickets": [queue_tickets["breached"].reference], "action": "close"},
    )
    assert denied.status_code == 403


# ---------------------------------------------------------------- the ticket page


@pytest.fixture
def ticket(sops: None, personas: Personas, frozen: datetime) -> Ticket:
    return open_ticket(personas, received=wib(9, 50))


def ticket_url(ticket: Ticket, action: str = "") -> str:
    name = f"desk-ticket-{action}" if action else "desk-ticket"
    return reverse(name, args=[ticket.reference])


def test_the_ticket_page_shows_everything_staff_need(ticket: Ticket, personas: Personas) -> None:
    services.ticket_note(actor=personas.staff, ticket=ticket, body="Cek AP di lantai 3")
    response = client_for(personas.staff).get(ticket_url(ticket))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        ticket.reference,
        ticket.subject,
        "PR.33.8",
        "Layanan kategori ringan",
        "mahasiswa@pintu.test",
        "Lokasi/perangkat",  # a custom field's label from the SOP
        "isi Lokasi/perangkat",
        "Cek AP di lantai 3",
        "article-note",
        "sla-at_risk",
        "15 menit",
    ):
        assert text in page, text
    assert "mahasiswa@pintu.test" in response.context["reply_route"]  # where the reply goes
    assert response.context["history"][0].what == in_indonesian("Internal note")


def rated(personas: Personas, ticket: Ticket, score: int, comment: str = "") -> Ticket:
    """``ticket`` resolved and rated by its requester, as the portal does it."""
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    return services.ticket_rate(
        actor=personas.requester, ticket=ticket, score=score, comment=comment
    )


def test_the_ticket_page_shows_the_rating_at_the_top(ticket: Ticket, personas: Personas) -> None:
    unrated = client_for(personas.staff).get(ticket_url(ticket)).content.decode()
    assert "ticket-rating" not in unrated
    rated(personas, ticket, 4, "Cepat, tapi teknisi datang\ntanpa kabel cadangan.")
    page = client_for(personas.staff).get(ticket_url(ticket)).content.decode()
    rating = page.split('<div class="ticket-rating">', 1)[1].split("</div>", 1)[0]
    assert '<span class="stars" aria-hidden="true">★★★★☆</span>' in rating
    assert in_indonesian("%(score)s of 5 stars") % {"score": 4} in rating
    assert "Cepat, tapi teknisi datang<br>tanpa kabel cadangan." in rating
    # In the header, above the conversation; not only deep in the history.
    assert page.index('class="ticket-rating"') < page.index('id="conversation-title"')
    assert page.index('class="ticket-rating"') < page.index('id="history-title"')
    # Auditors read it too.
    assert "ticket-rating" in client_for(personas.auditor).get(ticket_url(ticket)).content.decode()


def test_the_queue_row_shows_the_rating(
    queue_tickets: dict[str, Ticket], personas: Personas
) -> None:
    rated(personas, queue_tickets["on_track"], 2, "Lama sekali " + "menunggu " * 20)
    response = client_for(personas.staff).get(reverse("desk-queue"), {"status": "resolved"})
    rows = response.content.decode().split('<tbody id="queue-rows"', 1)[1]
    rated_row = rows.split(queue_tickets["on_track"].reference, 1)[1].split("</tr>", 1)[0]
    assert '<span class="stars" aria-hidden="true">★★☆☆☆</span>' in rated_row
    assert in_indonesian("%(score)s of 5 stars") % {"score": 2} in rated_row
    assert "<q>Lama sekali menunggu" in rated_row and "…</q>" in rated_row  # cut short
    other_row = rows.split(queue_tickets["resolved"].reference, 1)[1].split("</tr>", 1)[0]
    assert "desk-rating" not in other_row  # resolved, not rated


def test_reply_sets_the_first_response_and_queues_the_message(
    ticket: Ticket, personas: Personas
) -> None:
    response = client_for(personas.staff).post(
        ticket_url(ticket, "reply"),
        {"body": "Kami cek sekarang.", "status": Status.WAITING_REQUESTER},
    )
    assert response.status_code == 302 and response["Location"] == ticket_url(ticket)
    ticket.refresh_from_db()
    assert ticket.first_response_at == NOW
    assert ticket.status == Status.WAITING_REQUESTER
    reply = ticket.articles.get(kind=Article.Kind.REPLY)
    assert reply.body == "Kami cek sekarang." and reply.author == personas.staff
    assert OutboxItem.objects.get(of_source(reply)).recipient == "mahasiswa@pintu.test"


def test_a_refused_reply_keeps_what_was_typed(
    ticket: Ticket, personas: Personas, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = client_for(personas.staff).post(
        ticket_url(ticket, "reply"),
        {
            "body": "Silakan jalankan berkas ini.",
            "attachments": [SimpleUploadedFile("alat.exe", b"MZ", "application/octet-stream")],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Silakan jalankan berkas ini." in page
    assert "alat.exe" in page  # the error names the file
    assert not ticket.articles.filter(kind=Article.Kind.REPLY).exists()


def test_note_with_an_attachment(
    ticket: Ticket, personas: Personas, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client_for(personas.staff).post(
        ticket_url(ticket, "note"),
        {"body": "Foto AP", "attachments": [SimpleUploadedFile("ap.png", PNG, "image/png")]},
    )
    note = ticket.articles.get(kind=Article.Kind.NOTE)
    assert note.attachments.get().filename == "ap.png"
    assert not OutboxItem.objects.exists()


def test_an_empty_note_is_refused_and_the_page_says_why(ticket: Ticket, personas: Personas) -> None:
    response = client_for(personas.staff).post(ticket_url(ticket, "note"), {"body": ""})
    assert response.status_code == 200
    assert response.context["note_form"].errors
    assert not ticket.articles.filter(kind=Article.Kind.NOTE).exists()


def test_assign_and_unassign(ticket: Ticket, personas: Personas) -> None:
    client = client_for(personas.staff)
    client.post(ticket_url(ticket, "assign"), {"assignee": personas.head.pk})
    ticket.refresh_from_db()
    assert ticket.assignee == personas.head
    # Someone from another unit is not on the list.
    refused = client.post(ticket_url(ticket, "assign"), {"assignee": personas.other_staff.pk})
    assert refused.status_code == 200 and refused.context["assign_form"].errors
    client.post(ticket_url(ticket, "assign"), {"assignee": ""})
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_status_changes_offer_only_allowed_moves(ticket: Ticket, personas: Personas) -> None:
    client = client_for(personas.staff)
    client.post(ticket_url(ticket, "status"), {"status": Status.RESOLVED})
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolved_at == NOW
    page = client.get(ticket_url(ticket))
    offered = [value for value, _label in page.context["status_form"].fields["status"].choices]
    assert offered == ["", Status.OPEN, Status.CLOSED]
    refused = client.post(ticket_url(ticket, "status"), {"status": Status.WAITING_REQUESTER})
    assert refused.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


@pytest.fixture
def baa_staff(personas: Personas) -> Any:
    return make_user("staf-baa", Role.STAFF, "BAA")


def test_steps_are_completed_with_their_output_and_branch(
    sops: None, personas: Personas, frozen: datetime, baa_staff: Any
) -> None:
    svc = service("SDM.5.OT.02.02-5068", "pemberian-akses")
    ticket = services.ticket_create(
        actor=baa_staff,
        service_type=svc,
        requester=services.contact_for(name="Taruna", phone="6281234567890"),
        opening=services.Opening(subject="Akses SIAKAD", body="Mohon akses SIAKAD."),
        fields=fields_for(svc),
        door=Door.WHATSAPP,
        received_at=wib(9, 0),
    ).ticket
    client = client_for(baa_staff)
    response = client.get(ticket_url(ticket))
    assert "+6281234567890" in response.context["reply_route"]
    for _position in (2, 3, 4):
        active = ticket.steps.get(state=Step.State.ACTIVE)
        client.post(ticket_url(ticket, "step"), {"step": active.pk, "output": "dicatat"})
    classify = ticket.steps.get(state=Step.State.ACTIVE)
    assert classify.activity.key == "b5-klasifikasi"
    page = client.get(ticket_url(ticket)).content.decode()
    assert "Jawaban Pengirim diterima" in page and "Permohonan tidak sesuai" in page
    # The branch must be chosen; the step is a module's (pintu.vault), whose form comes back.
    refused = client.post(ticket_url(ticket, "step"), {"step": classify.pk, "output": "lengkap"})
    assert refused.status_code == 200 and "Klasifikasi permohonan" in refused.content.decode()
    client.post(
        ticket_url(ticket, "step"),
        {"step": classify.pk, "output": "lengkap", "branch": "b6-akses-diberikan"},
    )
    classify.refresh_from_db()
    assert classify.state == Step.State.DONE and classify.branch == "b6-akses-diberikan"
    assert classify.output.startswith("Diklasifikasi") and classify.done_by == baa_staff
    assert ticket.steps.get(activity__key="b7-akses-ditolak").state == Step.State.SKIPPED
    page = client.get(ticket_url(ticket)).content.decode()
    assert 'class="badge within"' in page or 'class="badge over"' in page
    assert 'class="timer"' in page  # the granted step runs now


def test_merge_into_another_request(ticket: Ticket, personas: Personas) -> None:
    target = open_ticket(personas, received=wib(9, 40))
    client = client_for(personas.staff)
    missing = client.post(ticket_url(ticket, "merge"), {"into": "SI-26-09999"})
    assert missing.status_code == 200 and "SI-26-09999" in missing.content.decode()
    client.post(ticket_url(ticket, "merge"), {"into": target.reference.lower()})
    ticket.refresh_from_db()
    assert ticket.merged_into == target and ticket.status == Status.CLOSED
    assert target.articles.count() == 2


def test_split_chosen_messages_into_a_new_request(ticket: Ticket, personas: Personas) -> None:
    extra = services.ticket_requester_message(
        ticket=ticket, body="Juga printer rusak", door=Door.WEB, author=personas.requester
    )
    client = client_for(personas.staff)
    refused = client.post(ticket_url(ticket, "split"), {"subject": "Printer rusak"})
    assert refused.status_code == 200 and "Printer rusak" in refused.content.decode()
    client.post(ticket_url(ticket, "split"), {"subject": "Printer rusak", "articles": [extra.pk]})
    new = Ticket.objects.get(subject="Printer rusak")
    assert list(new.articles.values_list("body", flat=True)) == ["Juga printer rusak"]
    assert ticket.articles.count() == 1


def test_the_ticket_history_lists_audit_rows_newest_first(
    ticket: Ticket, personas: Personas
) -> None:
    services.ticket_assign(actor=personas.staff, ticket=ticket, assignee=personas.staff)
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.OPEN)
    history = client_for(personas.staff).get(ticket_url(ticket)).context["history"]
    assert [entry.what for entry in history] == [
        in_indonesian("Status changed"),
        in_indonesian("Assigned"),
        in_indonesian("Request received"),
    ]
    assert history[0].details[0].endswith("Baru → Dibuka")


# ---------------------------------------------------------------- who sees a ticket


def test_ticket_page_visibility(ticket: Ticket, personas: Personas) -> None:
    url = ticket_url(ticket)
    assert client_for(personas.other_staff).get(url).status_code == 404
    assert client_for(personas.requester).get(url).status_code == 404  # the portal is theirs
    for person in (personas.supervisor, personas.head, personas.admin):
        assert client_for(person).get(url).status_code == 200
    other = client_for(personas.other_staff).post(ticket_url(ticket, "reply"), {"body": "x"})
    assert other.status_code == 404


def test_auditors_read_the_ticket_page_without_forms_and_cannot_post(
    ticket: Ticket, personas: Personas
) -> None:
    auditor = client_for(personas.auditor)
    page = auditor.get(ticket_url(ticket))
    assert page.status_code == 200
    assert '<form method="post" action="/desk/t/' not in page.content.decode()
    for action, data in (
        ("reply", {"body": "x"}),
        ("note", {"body": "x"}),
        ("assign", {"assignee": ""}),
        ("status", {"status": Status.CLOSED}),
        ("step", {"step": "1"}),
        ("merge", {"into": ticket.reference}),
        ("split", {"subject": "x"}),
    ):
        assert auditor.post(ticket_url(ticket, action), data).status_code == 403, action
    assert not ticket.articles.exclude(kind=Article.Kind.INBOUND).exists()


def test_attachment_download_follows_ticket_visibility(
    sops: None, personas: Personas, frozen: datetime, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    ticket = open_ticket(
        personas,
        received=wib(9, 50),
        uploads=[services.Upload("foto.png", "image/png", PNG)],
    )
    note = services.ticket_note(
        actor=personas.staff,
        ticket=ticket,
        body="log",
        uploads=[services.Upload("log.txt", "text/plain", b"rahasia")],
    )
    photo = ticket.articles.get(kind=Article.Kind.INBOUND).attachments.get()
    secret = note.attachments.get()
    download = client_for(personas.requester).get(reverse("desk-attachment", args=[photo.pk]))
    assert download.status_code == 200
    assert download.getvalue() == PNG
    assert "attachment" in download["Content-Disposition"]
    assert (
        client_for(personas.requester).get(reverse("desk-attachment", args=[secret.pk])).status_code
        == 404
    )
    assert (
        client_for(personas.staff).get(reverse("desk-attachment", args=[secret.pk])).status_code
        == 200
    )
    assert (
        client_for(personas.auditor).get(reverse("desk-attachment", args=[secret.pk])).status_code
        == 200
    )
    assert (
        client_for(personas.other_staff)
        .get(reverse("desk-attachment", args=[photo.pk]))
        .status_code
        == 404
    )


# ---------------------------------------------------------------- query counts

QUEUE_QUERIES = 12
# Includes the dead letters shown in the warning box and the calendars' token in the
# shared cache (pintu.sla.calendars).
TICKET_QUERIES = 15


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_runs_a_fixed_number_of_queries(
    sops: None,
    personas: Personas,
    frozen: datetime,
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    contact = services.contact_for(name="Mitra", email="mitra@contoh.id")
    for number in range(count):
        outside: dict[str, Any] = {"requester": None, "contact": contact} if number % 2 else {}
        ticket = open_ticket(personas, received=NOW - timedelta(minutes=number), **outside)
        if number % 3 == 0:
            services.ticket_assign(actor=personas.staff, ticket=ticket, assignee=personas.staff)
    SavedFilter.objects.create(user=personas.staff, name="Semua", query="unit=UPT-SI")
    client = client_for(personas.staff)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("desk-queue"))
    assert len(response.context["rows"]) == count
    with django_assert_max_num_queries(QUEUE_QUERIES):
        client.get(response.context["poll_url"])


@pytest.mark.parametrize("count", [2, 20])
def test_the_queue_with_ratings_runs_a_fixed_number_of_queries(
    sops: None,
    personas: Personas,
    frozen: datetime,
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(count):
        ticket = open_ticket(personas, received=NOW - timedelta(minutes=number))
        rated(personas, ticket, 1 + number % 5, f"Komentar {number}")
    client = client_for(personas.staff)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("desk-queue"), {"status": "all"})
    assert response.content.decode().count('class="desk-rating"') == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_ticket_page_runs_a_fixed_number_of_queries(
    sops: None,
    personas: Personas,
    frozen: datetime,
    count: int,
    settings: Any,
    tmp_path: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    ticket = open_ticket(personas, received=wib(9, 0), key="akun-kampus")
    for number in range(count):
        upload = services.Upload(f"b{number}.txt", "text/plain", b"x")
        services.ticket_note(actor=personas.staff, ticket=ticket, body="n", uploads=[upload])
        services.ticket_reply(actor=personas.staff, ticket=ticket, body="r")
    for step in ticket.steps.order_by("position")[:2]:
        services.ticket_complete_step(
            actor=personas.staff, step=step, output="ok", data=identified(ticket)
        )
    assert AuditEvent.objects.filter(object_id=str(ticket.pk)).count() > count
    client = client_for(personas.staff)
    with django_assert_max_num_queries(TICKET_QUERIES):
        response = client.get(ticket_url(ticket))
    assert len(response.context["conversation"]) == 2 * count + 1


# ---------------------------------------------------------------- in the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_queue_and_a_ticket_in_chromium(
    page: Any, personas: Personas, settings: Any, tmp_path: Any
) -> None:
    from pintu.org import services as org_services
    from pintu.org.models import Unit
    from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir

    settings.MEDIA_ROOT = tmp_path
    sop_load_dir(actor=None, directory=DEFINITIONS_DIR)
    now = timezone.now()
    open_ticket(personas, received=now - timedelta(minutes=5), subject="Proyektor lab")
    contact = services.contact_for(name="Pak Budi", phone="6281234567890")
    open_ticket(
        personas,
        received=now - timedelta(days=3),
        subject="VPS jurnal tidak bisa diakses",
        door=Door.WHATSAPP,
        requester=None,
        contact=contact,
    )
    account = open_ticket(
        personas, received=now - timedelta(minutes=1), key="akun-kampus", subject="Akun email"
    )
    services.ticket_assign(actor=personas.staff, ticket=account, assignee=personas.staff)
    # A request of the academic office (BAA), whose SOP times each step and branches.
    baa = Unit.objects.get(code="BAA")
    org_services.membership_grant(actor=None, user=personas.staff, role=Role.STAFF, unit=baa)
    access = service("SDM.5.OT.02.02-5068", "pemberian-akses")
    friday = datetime(2026, 11, 20, 9, 0, tzinfo=WIB)
    ticket = services.ticket_create(
        actor=personas.staff,
        service_type=access,
        requester=contact,
        opening=services.Opening(
            subject="Akses akun Zoom Pro",
            body="Mohon akses akun Zoom Pro untuk kuliah daring.",
            uploads=[services.Upload("surat-permohonan.pdf", "application/pdf", b"%PDF-1.4")],
        ),
        fields={"akun": "Zoom Pro prodi", "keperluan": "Kuliah daring semester ganjil"},
        door=Door.WHATSAPP,
        received_at=friday,
        now=friday + timedelta(minutes=2),
    ).ticket
    for minutes in (10, 40, 45):
        step = ticket.steps.get(state=Step.State.ACTIVE)
        services.ticket_complete_step(
            actor=personas.staff, step=step, now=friday + timedelta(minutes=minutes)
        )
    services.ticket_note(
        actor=personas.staff,
        ticket=ticket,
        body="Lisensi Zoom Pro tersisa 2.",
        now=friday + timedelta(minutes=46),
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "staf-si")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/desk/?unit=UPT-SI")
    assert page.locator("#queue-rows tr").count() == 3
    # The countdown is live: the oldest request says how late it is, in words.
    late = in_indonesian("%(time)s late").replace("%(time)s", "").strip()
    page.wait_for_function(
        "word => document.querySelector('time.countdown').textContent.includes(word)", arg=late
    )
    # Sound and notification are opt-in; the choice is remembered in the browser.
    page.evaluate(
        "() => { window.beeps = 0; const make = AudioContext.prototype.createOscillator;"
        " AudioContext.prototype.createOscillator = function () {"
        " window.beeps += 1; return make.call(this); }; }"
    )
    page.click("#desk-alerts")
    assert page.get_attribute("#desk-alerts", "aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('pintu.desk.alerts')") == "1"
    # A request filed now shows up without a reload (the rows poll every 10 s), with a beep.
    services.ticket_create(
        actor=personas.requester,
        service_type=service("PR.33.8", "layanan-ringan"),
        requester=personas.requester,
        opening=services.Opening(subject="Monitor ruang dosen mati", body="Mati total."),
        fields=fields_for(service("PR.33.8", "layanan-ringan")),
    )
    page.locator("text=Monitor ruang dosen mati").wait_for(timeout=30_000)
    assert page.locator(".badge-arrived").count() == 1
    page.wait_for_function("window.beeps === 1")
    assert page.title().startswith("(1) ")
    screenshot(page, "desk-queue")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "desk-queue-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/desk/t/{ticket.reference}/")
    page.fill("#reply-body", "Permohonan kami terima, sedang kami periksa.")
    page.click(".composer-reply button[type=submit]")
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    assert page.locator(".article-reply").count() == 1
    assert page.locator("time.timer").count() == 1  # the step in progress runs
    screenshot(page, "desk-ticket")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "desk-ticket-phone")

    page.check("input[value=b6-akses-diberikan]")
    page.click(".step-form button[type=submit]")
    page.wait_for_url(f"**/desk/t/{ticket.reference}/")
    granted = ticket.steps.get(activity__key="b5-klasifikasi")
    assert granted.state == Step.State.DONE and granted.branch == "b6-akses-diberikan"
    assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_bulk_close_asks_once_naming_how_many_in_chromium(
    page: Any, chromium: Any, live_server: Any, personas: Personas
) -> None:
    from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir

    sop_load_dir(actor=None, directory=DEFINITIONS_DIR)
    now = timezone.now()
    subjects = ["Proyektor lab", "Printer macet", "Kabel LAN putus", "Monitor mati", "Mouse"]
    tickets = [
        open_ticket(personas, received=now - timedelta(minutes=5 * number), subject=subject)
        for number, subject in enumerate(subjects)
    ]
    liked = rated(personas, open_ticket(personas, received=now, subject="Akun e-mail"), 5, "Cepat!")

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "staf-si")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/desk/?unit=UPT-SI")
    for ticket in tickets[:3]:
        page.check(f"input[name=tickets][value='{ticket.reference}']")
    questions: list[str] = []

    def answer(accept: bool) -> Any:
        def handle(dialog: Any) -> None:
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    # "No": nothing is sent, the choice stays.
    page.once("dialog", answer(False))
    page.click("#bulk button[value=close]")
    page.wait_for_timeout(500)
    assert questions == ["Tutup 3 permintaan?"]
    assert not Ticket.objects.filter(status=Status.CLOSED).exists()
    assert page.locator("#queue-rows input[name=tickets]:checked").count() == 3
    # "Yes": closed at once, without a second question on a page.
    page.once("dialog", answer(True))
    with page.expect_navigation():
        page.click("#bulk button[value=close]")
    assert questions == ["Tutup 3 permintaan?", "Tutup 3 permintaan?"]
    assert page.inner_text(".messages") == "3 permintaan ditutup."
    closed = set(Ticket.objects.filter(status=Status.CLOSED).values_list("reference", flat=True))
    assert closed == {ticket.reference for ticket in tickets[:3]}
    # One request is asked about as one.
    page.check(f"input[name=tickets][value='{tickets[3].reference}']")
    page.once("dialog", answer(False))
    page.click("#bulk button[value=close]")
    page.wait_for_timeout(300)
    assert questions[-1] == "Tutup 1 permintaan?"
    screenshot(page, "desk-queue-bulk-closed")

    # The rating, at the top of its request and in its row.
    page.goto(f"/desk/t/{liked.reference}/")
    assert "Cepat!" in page.inner_text(".ticket-head .ticket-rating")
    screenshot(page, "desk-ticket-rating")
    page.goto("/desk/?unit=UPT-SI&status=resolved")
    assert "5 dari 5 bintang" in page.inner_text(".desk-rating")
    screenshot(page, "desk-queue-rating")
    assert errors == []

    # Without script the server asks, on a page of its own.
    context = chromium.new_context(
        base_url=live_server.url, locale="id-ID", java_script_enabled=False
    )
    bare = context.new_page()
    bare.set_default_timeout(15_000)
    bare.set_viewport_size({"width": 390, "height": 844})
    sign_in(bare, "staf-si")
    bare.goto("/desk/?unit=UPT-SI")
    bare.check(f"input[name=tickets][value='{tickets[3].reference}']")
    bare.check(f"input[name=tickets][value='{tickets[4].reference}']")
    bare.click("#bulk button[value=close]")
    bare.wait_for_selector("h1:text('Tutup 2 permintaan?')")
    assert Ticket.objects.filter(status=Status.CLOSED).count() == 3
    assert bare.locator(".desk-confirm-list li").all_inner_texts() == [
        f"{tickets[3].reference} Monitor mati",
        f"{tickets[4].reference} Mouse",
    ]
    assert bare.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(bare, "desk-bulk-close-confirm-noscript")
    bare.click("button:text('Tutup 2 permintaan')")
    bare.wait_for_selector(".messages")
    assert bare.inner_text(".messages") == "2 permintaan ditutup."
    assert Ticket.objects.filter(status=Status.CLOSED).count() == 5
    context.close()
