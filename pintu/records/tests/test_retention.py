"""The retention run: archive first (read back and verified), then destroy without a
word to anyone, leaving tombstones; legal holds and the head's approval stop it."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from pintu.conftest import Personas, fields_for, service
from pintu.core.audit import audit_verify
from pintu.core.models import AuditEvent
from pintu.desk import services as desk
from pintu.desk.models import Article, Attachment, Status, Ticket
from pintu.desk.tests.files import PNG
from pintu.doors.email.ingest import ingest_email
from pintu.doors.models import InboundMessage
from pintu.kpi.engine import unit_kpis
from pintu.org.models import Unit
from pintu.outbox.models import OutboxItem
from pintu.records.archive import MANIFEST, RECORDS, archive_storage, verify_archive_bytes
from pintu.records.models import (
    Archive,
    DestructionProposal,
    LegalHold,
    ProposalItem,
    RetentionRun,
    Tombstone,
    UnitRetention,
)
from pintu.records.services import hold_lift, hold_place, proposal_decide, retention_run
from pintu.sop.measurement import Period

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2032, 12, 1, 10, 0))


def old_ticket(personas: Personas, *, years_ago: float, subject: str = "Printer lab") -> Ticket:
    """A request with a reply and an attachment, resolved ``years_ago`` before NOW."""
    svc = service("PR.33.8", "layanan-ringan")
    ticket = desk.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=desk.Opening(
            subject=subject, body="Macet.", uploads=[desk.Upload("a.png", "", PNG)]
        ),
        fields=fields_for(svc),
    ).ticket
    desk.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
    desk.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    ticket.refresh_from_db()
    shift = (NOW - timedelta(days=365.25 * years_ago)) - ticket.received_at
    Ticket.objects.filter(pk=ticket.pk).update(
        received_at=ticket.received_at + shift,
        first_response_at=F("first_response_at") + shift,
        first_response_due_at=ticket.first_response_due_at + shift,
        resolved_at=F("resolved_at") + shift,
        resolution_due_at=ticket.resolution_due_at + shift,
    )
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def approve_all(personas: Personas) -> None:
    for proposal in DestructionProposal.objects.filter(state="pending"):
        decider = personas.head if proposal.unit_id else personas.admin
        proposal_decide(actor=decider, proposal=proposal, approve=True, now=NOW)


def test_the_dry_run_lists_what_is_due_and_changes_nothing(sops, personas, media) -> None:
    old = old_ticket(personas, years_ago=6)
    old_ticket(personas, years_ago=2, subject="Baru")
    out = StringIO()
    with timezone.override("UTC"):
        result = retention_run(now=NOW, dry_run=True)
    assert [d.reference for d in result.due if d.kind == "desk.ticket"] == [old.reference]
    assert not DestructionProposal.objects.exists()
    assert Article.objects.filter(ticket=old).exists()
    assert RetentionRun.objects.get().dry_run
    call_command("retention", "run", "--dry-run", stdout=out)
    # Today is years before NOW: nothing is due yet.
    assert "dry run" in out.getvalue() and old.reference not in out.getvalue()


def test_a_run_proposes_first_and_destroys_only_after_the_head_approves(
    sops, personas, media
) -> None:
    old = old_ticket(personas, years_ago=6)
    attachment = Attachment.objects.get(article__ticket=old)
    stored = str(attachment.file.name)
    retention_run(now=NOW)
    proposal = DestructionProposal.objects.get(unit=old.unit)
    assert proposal.state == "pending"
    assert list(proposal.items.values_list("reference", flat=True)) == [old.reference]
    # Not approved: a second run destroys nothing and proposes nothing again.
    retention_run(now=NOW)
    assert Article.objects.filter(ticket=old).exists()
    assert DestructionProposal.objects.filter(unit=old.unit).count() == 1
    proposal_decide(actor=personas.head, proposal=proposal, approve=True, now=NOW)
    # The request's own outbox rows go with it: what matters is that nothing new is queued.
    last_row = OutboxItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mails_before = len(mail.outbox)
    result = retention_run(now=NOW)
    assert result.failures == []
    assert not Article.objects.filter(ticket=old).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not attachment.file.storage.exists(stored)
    # Destroyed without a word to anyone.
    assert not OutboxItem.objects.filter(pk__gt=last_row).exists()
    assert len(mail.outbox) == mails_before
    proposal.refresh_from_db()
    assert proposal.state == "done"
    tombstone = Tombstone.objects.get(kind="desk.ticket", object_id=str(old.pk))
    assert tombstone.reference == old.reference
    assert tombstone.facts["received_at"] == old.received_at.isoformat()
    assert tombstone.facts["service"] == "PR.33.8/layanan-ringan"
    skeleton = Ticket.objects.get(pk=old.pk)
    assert skeleton.requester_id is None and skeleton.subject == old.reference
    assert skeleton.fields == {}
    # It is not proposed again.
    retention_run(now=NOW + timedelta(days=1))
    assert not ProposalItem.objects.filter(
        outcome="proposed", kind="desk.ticket", object_id=str(old.pk)
    ).exists()
    assert audit_verify().ok


def test_the_archive_holds_the_records_and_files_and_its_manifest(sops, personas, media) -> None:
    old = old_ticket(personas, years_ago=6)
    retention_run(now=NOW)
    approve_all(personas)
    retention_run(now=NOW)
    archive = Archive.objects.get(proposal__unit=old.unit)
    assert archive.verified
    with archive_storage().open(archive.name, "rb") as handle:
        data = handle.read()
    assert verify_archive_bytes(data) == []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        names = tar.getnames()
        records = tar.extractfile(RECORDS).read().decode().splitlines()
        files = [n for n in names if n.startswith("files/")]
        png = tar.extractfile(files[0]).read()
    assert MANIFEST in names and png == PNG
    models = [json.loads(line)["model"] for line in records]
    assert models[0] == "desk.ticket"
    assert {"desk.article", "desk.attachment"} <= set(models)
    ticket_row = json.loads(records[0])
    assert ticket_row["fields"]["subject"] == "Printer lab"


def test_an_altered_archive_fails_verification() -> None:
    from pintu.records.archive import ArchiveContent, _members

    content = ArchiveContent(items=[{"kind": "x"}], files={"a.txt": b"isi"})
    data = io.BytesIO()
    members = _members(content)
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        manifest = "".join(
            f"{__import__('hashlib').sha256(v).hexdigest()}  {k}\n" for k, v in members.items()
        )
        members["files/a.txt"] = b"ISI"
        for name, value in [*members.items(), (MANIFEST, manifest.encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(value)
            tar.addfile(info, io.BytesIO(value))
    problems = verify_archive_bytes(data.getvalue())
    assert problems == ["files/a.txt: its SHA-256 differs from the manifest"]
    assert verify_archive_bytes(b"not a tar") != []


class CorruptingStorage(FileSystemStorage):
    """A store that loses a byte of what it is given: the archive read back differs."""

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        data = bytearray(content.read())
        data[len(data) // 2] ^= 0xFF
        return super().save(name, ContentFile(bytes(data)), max_length=max_length)


def test_nothing_is_destroyed_when_its_archive_does_not_verify(
    sops, personas, media, settings
) -> None:
    old = old_ticket(personas, years_ago=6)
    retention_run(now=NOW)
    approve_all(personas)
    settings.STORAGES = {
        **settings.STORAGES,
        "archive": {
            "BACKEND": f"{__name__}.CorruptingStorage",
            "OPTIONS": {"location": str(media / "archive")},
        },
    }
    result = retention_run(now=NOW)
    assert result.failures and "did not verify" in result.failures[0]
    assert Article.objects.filter(ticket=old).exists()
    assert not Tombstone.objects.exists()
    assert DestructionProposal.objects.get(unit=old.unit).state == "approved"
    assert not Archive.objects.get(proposal__unit=old.unit).verified
    assert "did not verify" in RetentionRun.objects.order_by("id").last().failures


@pytest.mark.parametrize("scope", ["ticket", "unit"])
def test_a_legal_hold_stops_the_purge_until_it_is_lifted(sops, personas, media, scope) -> None:
    old = old_ticket(personas, years_ago=6)
    retention_run(now=NOW)
    approve_all(personas)
    hold = hold_place(
        actor=personas.head,
        scope=scope,
        ticket=old if scope == "ticket" else None,
        unit=old.unit if scope == "unit" else None,
        reason="Siklus akreditasi 2033",
        now=NOW,
    )
    result = retention_run(now=NOW)
    assert Article.objects.filter(ticket=old).exists()
    assert ProposalItem.objects.get(kind="desk.ticket", object_id=str(old.pk)).outcome == "held"
    assert [d.held for d in result.due if d.kind == "desk.ticket"] == [True]
    hold_lift(actor=personas.head, hold=hold, now=NOW)
    retention_run(now=NOW)  # proposed again, on a new list
    approve_all(personas)
    retention_run(now=NOW)
    assert not Article.objects.filter(ticket=old).exists()


def test_holds_and_decisions_need_the_unit_head(sops, personas, media) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    old = old_ticket(personas, years_ago=6)
    with pytest.raises(PermissionDenied):
        hold_place(actor=personas.staff, scope="ticket", ticket=old, reason="x", now=NOW)
    with pytest.raises(ValidationError) as error:
        hold_place(actor=personas.head, scope="ticket", ticket=old, reason=" ", now=NOW)
    assert "reason" in error.value.message_dict
    retention_run(now=NOW)
    proposal = DestructionProposal.objects.get(unit=old.unit)
    for outsider in (personas.staff, personas.supervisor, personas.other_staff):
        with pytest.raises(PermissionDenied):
            proposal_decide(actor=outsider, proposal=proposal, approve=True, now=NOW)
    proposal_decide(actor=personas.head, proposal=proposal, approve=False, now=NOW)
    retention_run(now=NOW)
    assert Article.objects.filter(ticket=old).exists()
    assert LegalHold.objects.count() == 0


def test_old_kpi_figures_are_the_same_after_the_purge(sops, personas, media) -> None:
    for years in (6, 6.1, 6.2):
        old_ticket(personas, years_ago=years)
    unit = Unit.objects.get(code="UPT-SI")
    year = (NOW - timedelta(days=365 * 6)).year
    period = Period.year(year)

    def figures() -> list[tuple[str, float, float]]:
        return [
            (r.kpi.code, r.measurement.numerator, r.measurement.denominator)
            for r in unit_kpis(unit, period, NOW)
            if r.measurement is not None
        ]

    before = figures()
    assert any(denominator > 0 for _code, _n, denominator in before)
    retention_run(now=NOW)
    approve_all(personas)
    retention_run(now=NOW)
    assert Tombstone.objects.filter(kind="desk.ticket").count() == 3
    assert figures() == before


def test_a_unit_that_keeps_longer_is_not_proposed(sops, personas, media) -> None:
    old = old_ticket(personas, years_ago=6)
    UnitRetention.objects.create(unit=old.unit, years=10)
    result = retention_run(now=NOW, dry_run=True)
    assert not [d for d in result.due if d.kind == "desk.ticket"]


def test_a_raw_mail_that_opened_no_request_goes_on_the_admins_list_by_its_unit(
    sops, personas, media
) -> None:
    unit = Unit.objects.get(code="UPT-SI")
    ingest_email(b"not a mail at all", unit=unit)
    InboundMessage.objects.update(received_at=NOW - timedelta(days=365 * 6))
    due = [d for d in retention_run(now=NOW, dry_run=True).due if d.kind == "doors.inboundmessage"]
    assert len(due) == 1


def test_old_audit_rows_go_oldest_first_and_the_chain_still_verifies(sops, personas, media) -> None:
    old_ticket(personas, years_ago=1)
    total = AuditEvent.objects.count()
    # The oldest half of the log is past its period.
    oldest = list(AuditEvent.objects.order_by("seq")[: total // 2].values_list("pk", flat=True))
    AuditEvent.objects.filter(pk__in=oldest).update(at=NOW - timedelta(days=365 * 7))
    retention_run(now=NOW)
    approve_all(personas)
    result = retention_run(now=NOW)
    assert result.failures == []
    assert not AuditEvent.objects.filter(pk__in=oldest).exists()
    assert AuditEvent.objects.exists()
    verdict = audit_verify()
    assert verdict.ok, verdict.problem


def test_the_command_lists_the_schedule_from_the_sops(sops) -> None:
    out = StringIO()
    call_command("retention", "schedule", stdout=out)
    text = out.getvalue()
    assert "PR.33.8" in text and "Tiket" in text and "desk.ticket" in text
    assert "unit UPT-SI: kept 5 years" in text


def test_any_flipped_byte_of_an_archive_is_found_and_never_raises(media: Any) -> None:
    from pintu.records.archive import ArchiveContent, write_archive

    content = ArchiveContent(items=[{"kind": "x"}], files={"a.txt": b"isi " * 500})
    written = write_archive("a.tar.gz", content)
    assert written.verified
    data = (media / written.name).read_bytes()
    # After the gzip header (its time stamp and flags do not cover the content).
    for position in range(10, len(data), max(1, len(data) // 97)):
        damaged = bytearray(data)
        damaged[position] ^= 0x55
        assert verify_archive_bytes(bytes(damaged)) != [], position
