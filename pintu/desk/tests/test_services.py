"""The ticket lifecycle through the desk's services: clock, steps, replies, visibility."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from pintu.conftest import Personas, fields_for, service
from pintu.core.models import AuditEvent
from pintu.desk import selectors, services
from pintu.desk.models import Article, Door, Status, Step, Ticket, TicketEvent
from pintu.desk.tests.files import PNG
from pintu.org.services import user_create
from pintu.outbox.models import OutboxItem
from pintu.vault.services import account_register

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def open_ticket(
    personas: Personas, *, at: datetime, key: str = "layanan-ringan", sop: str = "PR.33.8", **extra
) -> Ticket:
    svc = service(sop, key)
    extra.setdefault("fields", fields_for(svc))
    return services.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=services.Opening(
            subject="Wi-Fi lab mati",
            body="Wi-Fi di lab 3 tidak tersambung sejak pagi.",
            uploads=extra.pop("uploads", ()),
        ),
        now=at,
        **extra,
    ).ticket


def test_a_new_ticket_gets_its_reference_and_both_deadlines(sops, personas) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 25, 15, 55))
    assert ticket.reference == "SI-26-00001"
    assert ticket.status == Status.NEW
    # DESIGN.md's worked example: Wed 15:55 + 15m = Thu 07:40.
    assert ticket.first_response_due_at == wib(2026, 11, 26, 7, 40)
    # Light work (B.4.6.4.b): 3 working days.
    assert ticket.resolution_due_at == wib(2026, 11, 30, 15, 55)
    assert ticket.next_due_at == ticket.first_response_due_at
    assert ticket.articles.get().kind == Article.Kind.INBOUND
    event = AuditEvent.objects.get(action="ticket.create")
    assert event.after["reference"] == "SI-26-00001"


def test_references_count_per_unit_and_year(sops, personas) -> None:
    refs = [open_ticket(personas, at=wib(2026, 11, 25, 9)).reference for _ in range(2)]
    other = open_ticket(
        personas, at=wib(2026, 11, 25, 9), sop="PR.13.2", key="publikasi-pengumuman"
    )
    next_year = open_ticket(personas, at=wib(2027, 1, 4, 9))
    assert refs == ["SI-26-00001", "SI-26-00002"]
    assert other.reference == "P4M-26-00001"
    assert next_year.reference == "SI-27-00001"


def test_staff_may_enter_a_walk_in_that_arrived_earlier_and_it_is_audited(sops, personas) -> None:
    install = service("PR.33.8", "instalasi-perangkat-lunak")
    ticket = services.ticket_create(
        actor=personas.staff,
        service_type=install,
        requester=personas.requester,
        opening=services.Opening(subject="Instal SPSS", body="Datang ke loket"),
        fields=fields_for(install),
        door=Door.WALK_IN,
        received_at=wib(2026, 11, 25, 9, 0),
        now=wib(2026, 11, 25, 10, 30),
    ).ticket
    assert ticket.received_at == wib(2026, 11, 25, 9, 0)
    assert ticket.first_response_due_at == wib(2026, 11, 25, 9, 15)
    event = AuditEvent.objects.get(action="ticket.create")
    assert datetime.fromisoformat(event.after["received_at"]) == wib(2026, 11, 25, 9, 0)
    assert datetime.fromisoformat(event.after["entered_at"]) == wib(2026, 11, 25, 10, 30)


def test_a_requester_cannot_backdate_a_request(sops, personas) -> None:
    with pytest.raises(PermissionDenied):
        open_ticket(personas, at=wib(2026, 11, 25, 10), received_at=wib(2026, 11, 20, 9))


def test_the_first_public_reply_is_the_first_response_and_leaves_through_the_outbox(
    sops, personas
) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 25, 9))
    services.ticket_note(
        actor=personas.staff, ticket=ticket, body="cek AP lab 3", now=wib(2026, 11, 25, 9, 5)
    )
    ticket.refresh_from_db()
    assert ticket.first_response_at is None  # a note never counts
    assert not OutboxItem.objects.exists()
    services.ticket_reply(
        actor=personas.staff, ticket=ticket, body="Kami cek sekarang.", now=wib(2026, 11, 25, 9, 10)
    )
    ticket.refresh_from_db()
    assert ticket.first_response_at == wib(2026, 11, 25, 9, 10)
    assert ticket.status == Status.OPEN
    assert ticket.next_due_at == ticket.resolution_due_at
    message = OutboxItem.objects.get()
    assert message.recipient == personas.requester.email
    assert message.subject.startswith(f"[{ticket.reference}]")
    assert message.purpose == "reply"
    # A second reply does not move the first response.
    services.ticket_reply(
        actor=personas.staff, ticket=ticket, body="Sudah normal?", now=wib(2026, 11, 25, 11)
    )
    ticket.refresh_from_db()
    assert ticket.first_response_at == wib(2026, 11, 25, 9, 10)


def test_staff_of_another_unit_cannot_reply(sops, personas) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 25, 9))
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=personas.other_staff, ticket=ticket, body="x")
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=personas.auditor, ticket=ticket, body="x")


def test_waiting_for_the_requester_pauses_the_clock(sops, personas) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 23, 9))  # Monday
    services.ticket_reply(
        actor=personas.staff,
        ticket=ticket,
        body="Nomor inventaris?",
        status=Status.WAITING_REQUESTER,
        now=wib(2026, 11, 23, 10),
    )
    ticket.refresh_from_db()
    due_before = ticket.resolution_due_at
    assert ticket.status == Status.WAITING_REQUESTER
    assert ticket.next_warn_at is None and ticket.next_escalate_at is None
    # The requester answers two working hours later: the deadline moves two hours.
    services.ticket_requester_message(
        ticket=ticket,
        body="INV-0042",
        door=Door.WEB,
        author=personas.requester,
        now=wib(2026, 11, 23, 12),
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert (ticket.resolution_due_at - due_before).total_seconds() == 2 * 3600
    assert ticket.next_escalate_at == ticket.resolution_due_at


def test_resolving_asks_for_a_rating_and_only_the_requester_rates(sops, personas) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 25, 9))
    services.ticket_reply(
        actor=personas.staff,
        ticket=ticket,
        body="Selesai.",
        status=Status.RESOLVED,
        now=wib(2026, 11, 25, 9, 30),
    )
    ticket.refresh_from_db()
    assert ticket.resolved_at == wib(2026, 11, 25, 9, 30)
    assert ticket.next_due_at is None
    assert OutboxItem.objects.filter(purpose="notification").count() == 1
    with pytest.raises(PermissionDenied):
        services.ticket_rate(actor=personas.staff, ticket=ticket, score=5)
    with pytest.raises(ValidationError):
        services.ticket_rate(actor=personas.requester, ticket=ticket, score=6)
    services.ticket_rate(actor=personas.requester, ticket=ticket, score=4, comment="Cepat")
    ticket.refresh_from_db()
    assert (ticket.csat_score, ticket.csat_comment) == (4, "Cepat")
    with pytest.raises(ValidationError, match="sudah dinilai"):
        services.ticket_rate(actor=personas.requester, ticket=ticket, score=1)


def test_a_reply_from_the_requester_reopens_a_resolved_ticket(sops, personas) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 25, 9))
    services.ticket_set_status(
        actor=personas.staff, ticket=ticket, status=Status.RESOLVED, now=wib(2026, 11, 25, 10)
    )
    services.ticket_requester_message(
        ticket=ticket,
        body="Mati lagi",
        door=Door.WEB,
        author=personas.requester,
        now=wib(2026, 11, 25, 11),
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.resolved_at is None
    assert ticket.next_due_at is not None


def test_impossible_moves_are_refused(sops, personas) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 25, 9))
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.CLOSED)
    with pytest.raises(ValidationError, match="dari Ditutup ke Menunggu pemohon"):
        services.ticket_set_status(
            actor=personas.staff, ticket=ticket, status=Status.WAITING_REQUESTER
        )


def test_steps_follow_the_sop_and_branch_to_grant_or_refuse(sops, personas) -> None:
    svc = service("SDM.5.OT.02.02-5068", "pemberian-akses")
    # Access is granted to a person who signs in (pintu.vault): the cadet has an account.
    user_create(actor=None, username="taruna", password=None, phone="6281200000009")
    ticket = services.ticket_create(
        actor=None,
        service_type=svc,
        requester=services.contact_for(name="Taruna A", phone="6281200000009"),
        opening=services.Opening(subject="Akses akun Zoom", body="Mohon akses akun Zoom institusi"),
        door=Door.WHATSAPP,
        fields=fields_for(svc),
        now=wib(2026, 11, 24, 9),
    ).ticket
    steps = list(ticket.steps.select_related("activity"))
    assert [s.activity.key for s in steps][:2] == ["b1-kirim-pesan", "b2-terima-pesan"]
    # The requester's own first step is done on arrival; the office's step is running.
    assert steps[0].state == Step.State.DONE and steps[0].finished_at == wib(2026, 11, 24, 9)
    assert steps[1].state == Step.State.ACTIVE
    staff = personas.staff
    from pintu.org.models import Role, Unit
    from pintu.org.services import membership_grant

    membership_grant(actor=None, user=staff, role=Role.STAFF, unit=Unit.objects.get(code="BAA"))
    minute = 10
    for key in ("b2-terima-pesan", "b3-terima-tanggapan", "b4-jawaban"):
        step = ticket.steps.get(activity__key=key)
        services.ticket_complete_step(actor=staff, step=step, now=wib(2026, 11, 24, 9, minute))
        minute += 10
    classify = ticket.steps.get(activity__key="b5-klasifikasi")
    branches = "Pilih kelanjutannya: Jawaban Pengirim diterima; Permohonan tidak sesuai"
    with pytest.raises(ValidationError, match=branches):
        services.ticket_complete_step(actor=staff, step=classify, now=wib(2026, 11, 24, 10))
    services.ticket_complete_step(
        actor=staff,
        step=classify,
        branch="b6-akses-diberikan",
        output="Akun Zoom: klasifikasi dosen",
        now=wib(2026, 11, 24, 10, 30),
    )
    grant = ticket.steps.get(activity__key="b6-akses-diberikan")
    refuse = ticket.steps.get(activity__key="b7-akses-ditolak")
    assert grant.state == Step.State.ACTIVE and refuse.state == Step.State.SKIPPED
    classify.refresh_from_db()
    # Started 09:30 when b4 finished, done 10:30: an hour against a 15-minute Mutu Baku.
    assert classify.elapsed_minutes == 60 and classify.within_standard is False
    zoom = account_register(
        actor=staff, unit=ticket.unit, service="Zoom", account="prodi", now=wib(2026, 11, 24, 9)
    )
    services.ticket_complete_step(
        actor=staff,
        step=grant,
        data={"action-accounts": [zoom.pk], "action-until": "2026-12-24"},
        now=wib(2026, 11, 24, 10, 40),
    )
    grant.refresh_from_db()
    assert grant.within_standard is True and grant.elapsed_minutes == 10
    assert not ticket.steps.filter(state=Step.State.ACTIVE).exists()


def test_custom_fields_are_checked_against_the_service(sops, personas) -> None:
    svc = service("PR.13.2", "perubahan-data-mata-kuliah")
    with pytest.raises(ValidationError, match="Kode mata kuliah wajib diisi"):
        services.ticket_create(
            actor=personas.requester,
            service_type=svc,
            requester=personas.requester,
            opening=services.Opening(subject="Ubah SKS", body="b"),
            fields={},
        )
    assert not Ticket.objects.exists()


def test_visibility_per_role(sops, personas) -> None:
    mine = open_ticket(personas, at=wib(2026, 11, 25, 9))
    announcement = service("PR.13.2", "publikasi-pengumuman")
    other = services.ticket_create(
        actor=personas.other_staff,
        service_type=announcement,
        requester=services.contact_for(name="Dosen Luar", email="dosen@example.ac.id"),
        opening=services.Opening(subject="Pengumuman UAS", body="Mohon diumumkan"),
        fields=fields_for(announcement),
    ).ticket

    def visible(user) -> set[str]:
        return set(selectors.tickets_visible_to(user).values_list("reference", flat=True))

    assert visible(personas.requester) == {mine.reference}
    assert visible(personas.staff) == {mine.reference}
    assert visible(personas.supervisor) == {mine.reference}
    assert visible(personas.other_staff) == {other.reference}
    assert visible(personas.auditor) == {mine.reference, other.reference}
    with pytest.raises(Http404):
        selectors.ticket_get(viewer=personas.other_staff, reference=mine.reference)


def test_requesters_never_read_internal_notes(sops, personas) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 25, 9))
    services.ticket_note(
        actor=personas.staff, ticket=ticket, body="rahasia", now=wib(2026, 11, 25, 9, 1)
    )
    for_requester = selectors.ticket_conversation(viewer=personas.requester, ticket=ticket)
    for_staff = selectors.ticket_conversation(viewer=personas.staff, ticket=ticket)
    assert [a.kind for a in for_requester] == ["inbound"]
    assert [a.kind for a in for_staff] == ["inbound", "note"]


def test_merge_moves_the_conversation_and_closes_the_duplicate(sops, personas) -> None:
    first = open_ticket(personas, at=wib(2026, 11, 25, 9))
    duplicate = open_ticket(personas, at=wib(2026, 11, 25, 9, 5))
    services.ticket_merge(actor=personas.staff, source=duplicate, target=first)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED and duplicate.merged_into == first
    assert first.articles.count() == 2
    assert TicketEvent.objects.filter(ticket=first, kind="merged").exists()


def test_split_moves_chosen_messages_to_a_new_ticket(sops, personas) -> None:
    ticket = open_ticket(personas, at=wib(2026, 11, 25, 9))
    extra = services.ticket_requester_message(
        ticket=ticket,
        body="Juga printer rusak",
        door=Door.WEB,
        author=personas.requester,
        now=wib(2026, 11, 25, 9, 30),
    )
    new = services.ticket_split(
        actor=personas.staff,
        ticket=ticket,
        article_ids=[extra.pk],
        subject="Printer rusak",
        now=wib(2026, 11, 25, 10),
    )
    assert list(new.articles.values_list("body", flat=True)) == ["Juga printer rusak"]
    assert new.received_at == wib(2026, 11, 25, 9, 30)
    assert ticket.articles.count() == 1


def test_attachments_have_a_size_limit_and_a_type_allow_list(sops, personas, settings) -> None:
    settings.PINTU_ATTACHMENT_MAX_BYTES = len(PNG)
    with pytest.raises(ValidationError, match="lebih besar dari"):
        open_ticket(
            personas,
            at=wib(2026, 11, 25, 9),
            uploads=[services.Upload("foto.png", "image/png", PNG + b"x")],
        )
    with pytest.raises(ValidationError, match="jenis berkas ini tidak diterima"):
        open_ticket(
            personas,
            at=wib(2026, 11, 25, 9),
            uploads=[services.Upload("virus.exe", "application/x-msdos", b"MZ")],
        )
    assert not Ticket.objects.exists()  # nothing half-written
    ticket = open_ticket(
        personas,
        at=wib(2026, 11, 25, 9),
        uploads=[services.Upload("foto.png", "image/png", PNG)],
    )
    attachment = ticket.articles.get().attachments.get()
    assert attachment.filename == "foto.png" and attachment.file.read() == PNG


def test_an_email_request_is_acknowledged_but_that_is_no_first_response(sops, personas) -> None:
    svc = service("PR.33.8", "layanan-ringan")
    contact = services.contact_for(name="Dosen Tamu", email="tamu@example.ac.id")
    ticket = services.ticket_create(
        actor=None,
        service_type=svc,
        requester=contact,
        opening=services.Opening(subject="Proyektor", body="Proyektor R.101 mati"),
        door=Door.EMAIL,
        fields=fields_for(svc),
        now=wib(2026, 11, 25, 15, 55),
    ).ticket
    ack = ticket.articles.get(kind=Article.Kind.ACKNOWLEDGEMENT)
    assert ticket.reference in ack.body and "26 Nov 2026 07.40 WIB" in ack.body
    message = OutboxItem.objects.get(purpose="ack")
    assert (message.recipient, message.transport) == ("tamu@example.ac.id", Door.EMAIL)
    ticket.refresh_from_db()
    assert ticket.first_response_at is None and ticket.status == Status.NEW


def test_bulk_mail_and_portal_requests_get_no_acknowledgement(sops, personas) -> None:
    svc = service("PR.33.8", "layanan-ringan")
    contact = services.contact_for(email="newsletter@example.com")
    services.ticket_create(
        actor=None,
        service_type=svc,
        requester=contact,
        opening=services.Opening(subject="Buletin", body="..."),
        door=Door.EMAIL,
        fields=fields_for(svc),
        acknowledge_receipt=False,
    )
    open_ticket(personas, at=wib(2026, 11, 25, 9))  # the portal shows a confirmation page
    assert not Article.objects.filter(kind=Article.Kind.ACKNOWLEDGEMENT).exists()
    assert not OutboxItem.objects.exists()
