"""A campus account from the request to its holder's first sign-in, against a real
slapd: the request is identified in the master data, the account made in the directory
(an outbox job), its one-time link sent the way the request came, opened with a code
sent to the registered contact, the holder's own password set, and the holder's first
bind seen by the worker, which resolves the request. Also: what the link refuses, and
the other kinds of request (reset, change, access, leaving)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pintu.conftest import Personas, service
from pintu.core.models import AuditEvent
from pintu.desk import services as desk
from pintu.desk.models import Door, Status, Step, Ticket
from pintu.doors.tests.slapd_peer import BASE_DN, SlapdPeer
from pintu.identity import handover as links
from pintu.identity.models import CampusAccount, Handover, HandoverView
from pintu.identity.services import account_provision, request_ask
from pintu.identity.tasks import first_sign_ins
from pintu.identity.tests.records import master_record, posted
from pintu.outbox.delivery import deliver_due
from pintu.outbox.models import OutboxItem, of_source

pytestmark = pytest.mark.django_db
PEOPLE = f"ou=people,{BASE_DN}"
NEW_PASSWORD = "Kampus-Baru-2026!"


def request(personas: Personas, key: str = "akun-kampus", **fields: str) -> Ticket:
    svc = service("PR.33.8", key)
    values = {"nomor_induk": "4321250001", "status": "Mahasiswa", "sistem": "SIAKAD", **fields}
    return desk.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=desk.Opening(subject="Akun kampus", body="Saya mahasiswa baru."),
        door=Door.WEB,
        fields=values,
    ).ticket


def complete(personas: Personas, ticket: Ticket, key: str, **data: Any) -> Step:
    step = ticket.steps.get(activity__key=key)
    return desk.ticket_complete_step(actor=personas.staff, step=step, data=posted(**data))


def deliver() -> None:
    deliver_due(timezone.now() + timedelta(seconds=1))


def code_sent(handover: Handover) -> str:
    message = OutboxItem.objects.filter(of_source(handover), transport="email").latest("id")
    found = re.search(r"\b([0-9]{6})\b", message.body_text)
    assert found, message.body_text
    return found.group(1)


def link_of(ticket: Ticket) -> str:
    """The one-time link's token, as the requester reads it in the conversation."""
    reply = ticket.articles.filter(body__contains="/akun/").latest("id")
    found = re.search(r"/akun/([^/\s]+)/", reply.body)
    assert found, reply.body
    return found.group(1)


def test_a_new_account_reaches_its_holder_and_their_first_sign_in_closes_the_request(
    directory: SlapdPeer, sops: None, personas: Personas
) -> None:
    master_record()
    ticket = request(personas)
    complete(personas, ticket, "identifikasi-permintaan", id_number="4321 250001")
    complete(personas, ticket, "pengelolaan-akun")
    account = CampusAccount.objects.get()
    assert (account.username, account.state, account.ticket) == ("siti.aminah", "staged", ticket)
    deliver()
    job = OutboxItem.objects.get(transport="ldap", payload__op="provision")
    assert job.status == OutboxItem.Status.SENT and job.cause == ticket, job.last_error
    entry = directory.entry(f"uid=siti.aminah,{PEOPLE}")
    assert entry is not None and entry["employeeNumber"] == ["4321250001"]
    assert "userPassword" not in entry  # staged: nobody can sign in yet

    complete(personas, ticket, "distribusi-akun", send_link="on")
    handover = Handover.objects.get()
    assert handover.sent_to == ticket.reference
    token = link_of(ticket)
    assert links.handover_from(token) == handover
    assert links.handover_from(token[:-2] + "xx") is None  # a forged link opens nothing

    now = timezone.now()
    assert links.handover_open(handover=handover, now=now, address="10.0.0.7") == ""
    links.handover_send_code(handover=handover, now=now)
    message = OutboxItem.objects.filter(of_source(handover)).get()
    assert message.recipient == "siti@mahasiswa.test"  # the registered contact
    assert not links.handover_check_code(handover=handover, code="000000x", now=now)
    assert links.handover_check_code(handover=handover, code=code_sent(handover), now=now)
    links.handover_set_password(handover=handover, password=NEW_PASSWORD, now=now)
    password_job = OutboxItem.objects.get(payload__op="set_password")
    assert NEW_PASSWORD not in str(password_job.payload)  # sealed, not in clear
    deliver()
    password_job.refresh_from_db()
    assert password_job.status == OutboxItem.Status.SENT, password_job.last_error
    account.refresh_from_db()
    assert account.state == "active" and account.first_sign_in_at is None
    # The password is nowhere in clear: not in the conversation, not in an outbox row.
    assert not ticket.articles.filter(body__contains=NEW_PASSWORD).exists()
    assert not OutboxItem.objects.filter(body_text__contains=NEW_PASSWORD).exists()

    # Not signed in yet: the worker finds nothing and the request stays open.
    assert first_sign_ins.call() == 0
    assert directory.bind_as("siti.aminah", NEW_PASSWORD)  # e.g. SIAKAD's login
    assert first_sign_ins.call() == 1
    account.refresh_from_db()
    ticket.refresh_from_db()
    assert account.first_sign_in_at is not None
    assert ticket.status == Status.RESOLVED and ticket.resolved_at == max(
        account.first_sign_in_at, ticket.received_at
    )
    assert ticket.articles.filter(body__contains="siti.aminah").exists()
    assert AuditEvent.objects.filter(action="campus_account.signed_in").count() == 1
    # Every look at the link is on record, the wrong code too.
    assert list(HandoverView.objects.values_list("what", flat=True)) == [
        "opened",
        "code_sent",
        "code_wrong",
        "unlocked",
        "password_set",
    ]
    # The link is spent: opening it again is refused, and recorded.
    handover.refresh_from_db()
    assert "sudah dipakai" in links.handover_open(handover=handover, now=timezone.now())
    assert HandoverView.objects.last().what == "refused"
    assert first_sign_ins.call() == 0  # seen once


def test_a_request_that_matches_no_master_record_asks_the_requester(
    sops: None, personas: Personas
) -> None:
    ticket = request(personas, nomor_induk="999")
    step = ticket.steps.get(activity__key="identifikasi-permintaan")
    with pytest.raises(ValidationError, match="999"):
        desk.ticket_complete_step(actor=personas.staff, step=step, data=posted(id_number="999"))
    request_ask(actor=personas.staff, ticket=ticket, question="NIM Anda?", now=timezone.now())
    ticket.refresh_from_db()
    step.refresh_from_db()
    assert ticket.status == Status.WAITING_REQUESTER and step.state == Step.State.ACTIVE
    assert ticket.articles.filter(body="NIM Anda?", kind="reply").exists()
    assert not CampusAccount.objects.exists()


def test_a_link_expires_refuses_after_five_wrong_codes_and_a_new_one_withdraws_the_old(
    sops: None, personas: Personas, settings: Any
) -> None:
    record = master_record()
    account, _made = account_provision(actor=personas.admin, record=record, now=timezone.now())
    now = timezone.now()
    first = links.handover_issue(actor=personas.admin, account=account, now=now)
    assert first.expires_at == now + timedelta(hours=settings.PINTU_IDENTITY_LINK_HOURS)
    later = first.expires_at + timedelta(seconds=1)
    assert "kedaluwarsa" in links.handover_open(handover=first, now=later)
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        links.handover_send_code(handover=first, now=later)

    second = links.handover_issue(actor=personas.admin, account=account, now=now)
    first.refresh_from_db()
    assert first.revoked_at == now  # one open link per account
    links.handover_send_code(handover=second, now=now)
    for _ in range(links.MAX_WRONG):
        assert not links.handover_check_code(handover=second, code="12345x", now=now)
    second.refresh_from_db()
    assert second.revoked_at is not None
    with pytest.raises(ValidationError, match="ditarik"):
        links.handover_check_code(handover=second, code=code_sent(second), now=now)
    with pytest.raises(ValidationError):
        links.handover_set_password(handover=second, password=NEW_PASSWORD, now=now)
    account.refresh_from_db()
    assert account.state == "staged"


def _account(directory: SlapdPeer, personas: Personas, **record: Any) -> CampusAccount:
    made, _new = account_provision(
        actor=personas.admin, record=master_record(**record), now=timezone.now()
    )
    deliver()
    assert directory.entry(f"uid={made.username},{PEOPLE}") is not None
    return made


def test_access_to_a_system_joins_its_group_and_leaving_disables_without_deleting(
    directory: SlapdPeer, sops: None, personas: Personas
) -> None:
    account = _account(directory, personas)
    ticket = request(personas, "akses-sistem", sistem="VPN", keperluan="Jurnal")
    complete(personas, ticket, "identifikasi-permintaan", id_number="4321250001")
    complete(personas, ticket, "pengelolaan-akun", system="VPN")
    deliver()
    group = directory.entry(f"cn=vpn,ou=groups,{BASE_DN}", "memberUid")
    assert group is not None and group["memberUid"] == [account.username]

    leaving = request(
        personas, "penonaktifan-akun", alasan="Lulus", tanggal=timezone.localdate().isoformat()
    )
    complete(personas, leaving, "identifikasi-permintaan", id_number="4321250001")
    complete(personas, leaving, "pengelolaan-akun", on=timezone.localdate().isoformat())
    deliver()
    account.refresh_from_db()
    assert account.state == "disabled"
    entry = directory.entry(f"uid={account.username},{PEOPLE}")
    assert entry is not None and entry["loginShell"] == ["/usr/sbin/nologin"]  # kept
    with pytest.raises(ValidationError, match="dinonaktifkan"):
        links.handover_issue(actor=personas.admin, account=account, now=timezone.now())


def test_a_change_brings_the_entry_in_line_with_the_master_data(
    directory: SlapdPeer, sops: None, personas: Personas
) -> None:
    account = _account(directory, personas)
    account.record.name = "Siti Aminah Putri"
    account.record.save(update_fields=["name"])
    ticket = request(personas, "perubahan-akun", perubahan="Nama", keterangan="")
    complete(personas, ticket, "identifikasi-permintaan", id_number="4321250001")
    complete(personas, ticket, "pengelolaan-akun")
    deliver()
    entry = directory.entry(f"uid={account.username},{PEOPLE}", "cn", "sn")
    assert entry == {"cn": ["Siti Aminah Putri"], "sn": ["Putri"]}
    # Asked again with nothing new: refused, nothing queued.
    again = request(personas, "perubahan-akun", perubahan="Nama", keterangan="")
    complete(personas, again, "identifikasi-permintaan", id_number="4321250001")
    with pytest.raises(ValidationError, match="sudah sesuai"):
        complete(personas, again, "pengelolaan-akun")
    assert OutboxItem.objects.filter(payload__op="change").count() == 1
