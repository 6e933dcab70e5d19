"""Writes of the records app: legal holds, the head's decision on a proposal, and the
retention run that archives, verifies and only then destroys what was approved.

The run sends nothing: a purge destroys rows and files directly, never through a
service that would tell a requester or write to the outbox.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk.models import Ticket
from pintu.org.models import Unit
from pintu.records import selectors
from pintu.records.archive import ArchiveContent, write_archive
from pintu.records.models import (
    Archive,
    DestructionProposal,
    LegalHold,
    ProposalItem,
    RetentionRun,
    Tombstone,
)
from pintu.records.schedule import kinds

OPEN_STATES = (DestructionProposal.State.PENDING, DestructionProposal.State.APPROVED)


# ---------------------------------------------------------------- legal holds


@transaction.atomic(durable=True)
def hold_place(
    *,
    actor: Any,
    scope: str,
    reason: str,
    now: datetime,
    ticket: Ticket | None = None,
    unit: Unit | None = None,
    partner_id: str = "",
) -> LegalHold:
    """Stop the purge of a request, a partner's records or a whole unit."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the records must be kept.")})
    if scope == LegalHold.Scope.TICKET and ticket is None:
        raise ValidationError({"ticket": _("Name the request to hold.")})
    if scope == LegalHold.Scope.UNIT and unit is None:
        raise ValidationError({"unit": _("Name the unit to hold.")})
    if scope == LegalHold.Scope.PARTNER and not partner_id.strip():
        raise ValidationError({"partner_id": _("Name the partner to hold.")})
    held_unit = ticket.unit if ticket is not None else unit
    if not selectors.can_hold(actor, held_unit if scope != LegalHold.Scope.PARTNER else None):
        raise PermissionDenied
    hold = LegalHold.objects.create(
        scope=scope,
        ticket=ticket if scope == LegalHold.Scope.TICKET else None,
        unit=unit if scope == LegalHold.Scope.UNIT else None,
        partner_id=partner_id.strip() if scope == LegalHold.Scope.PARTNER else "",
        reason=reason.strip(),
        placed_by=actor,
        placed_at=now,
    )
    audit_record(
        actor=actor,
        action="legal_hold.place",
        obj=hold,
        unit=held_unit,
        after={"scope": scope, "reason": hold.reason},
    )
    return hold


@transaction.atomic(durable=True)
def hold_lift(*, actor: Any, hold: LegalHold, now: datetime) -> LegalHold:
    held_unit = hold.ticket.unit if hold.ticket is not None else hold.unit
    if not selectors.can_hold(actor, held_unit):
        raise PermissionDenied
    if hold.lifted_at is not None:
        raise ValidationError(_("This hold was already lifted."))
    hold.lifted_by, hold.lifted_at = actor, now
    hold.save(update_fields=["lifted_by", "lifted_at"])
    audit_record(actor=actor, action="legal_hold.lift", obj=hold, unit=held_unit)
    return hold


# ---------------------------------------------------------------- the head's decision


@transaction.atomic(durable=True)
def proposal_decide(
    *, actor: Any, proposal: DestructionProposal, approve: bool, now: datetime
) -> DestructionProposal:
    """The unit head approves the list (it is destroyed at the next run) or rejects it
    (kept; a hold keeps records for longer)."""
    proposal = DestructionProposal.objects.select_for_update().get(pk=proposal.pk)
    if not selectors.can_decide(actor, proposal):
        raise PermissionDenied
    if proposal.state != DestructionProposal.State.PENDING:
        raise ValidationError(_("This proposal was already decided."))
    proposal.state = (
        DestructionProposal.State.APPROVED if approve else DestructionProposal.State.REJECTED
    )
    proposal.decided_by, proposal.decided_at = actor, now
    proposal.save(update_fields=["state", "decided_by", "decided_at"])
    if not approve:
        proposal.items.update(outcome=ProposalItem.Outcome.HELD)
    audit_record(
        actor=actor,
        action="retention.approve" if approve else "retention.reject",
        obj=proposal,
        unit=proposal.unit,
        after={"records": proposal.items.count()},
    )
    return proposal


# ---------------------------------------------------------------- the run


@dataclass
class RunResult:
    run: RetentionRun
    due: list[selectors.Due] = field(default_factory=list)
    proposals: list[DestructionProposal] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def retention_run(*, now: datetime, dry_run: bool = False) -> RunResult:
    """Destroy what the heads approved (archived and verified first), then propose
    what else is past its period. A dry run lists what is due and changes nothing but
    its own log row."""
    if dry_run:
        due = list(selectors.due_records(now=now))
        run = RetentionRun.objects.create(
            started_at=now,
            finished_at=now,
            dry_run=True,
            proposed=sum(not d.held for d in due),
            held=sum(d.held for d in due),
            summary=_summary(due),
        )
        return RunResult(run=run, due=due)
    run = RetentionRun.objects.create(started_at=now)
    result = RunResult(run=run)
    approved = DestructionProposal.objects.filter(state=DestructionProposal.State.APPROVED)
    for proposal in approved.select_related("unit").order_by("created_at", "id"):
        _execute(proposal, run, now, result)
    result.due = list(selectors.due_records(now=now))
    result.proposals = _propose(result.due, run, now)
    run.finished_at = now
    run.proposed = sum(p.items.count() for p in result.proposals)
    run.held = sum(d.held for d in result.due)
    run.failures = "\n".join(result.failures)
    run.summary = _summary(result.due)
    run.save()
    return result


def _summary(due: list[selectors.Due]) -> dict[str, Any]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in due:
        unit = str(record.unit_id or "-")
        counts[unit][f"{record.kind}{' held' if record.held else ''}"] += 1
    return {unit: dict(by_kind) for unit, by_kind in counts.items()}


def _propose(
    due: list[selectors.Due], run: RetentionRun, now: datetime
) -> list[DestructionProposal]:
    on_a_list = set(
        ProposalItem.objects.filter(
            proposal__state__in=OPEN_STATES, outcome=ProposalItem.Outcome.PROPOSED
        ).values_list("kind", "object_id")
    )
    by_unit: dict[int | None, list[selectors.Due]] = defaultdict(list)
    for record in due:
        if not record.held and (record.kind, record.object_id) not in on_a_list:
            by_unit[record.unit_id].append(record)
    proposals = []
    for unit_id, records in by_unit.items():
        with transaction.atomic():
            proposal = DestructionProposal.objects.create(
                unit_id=unit_id, proposed_by_run=run, created_at=now
            )
            ProposalItem.objects.bulk_create(
                ProposalItem(
                    proposal=proposal,
                    kind=r.kind,
                    object_id=r.object_id,
                    reference=r.reference,
                    kept_since=r.kept_since,
                )
                for r in records
            )
            audit_record(
                actor=None,
                action="retention.propose",
                obj=proposal,
                unit=proposal.unit,
                after={"records": len(records)},
            )
        proposals.append(proposal)
    return proposals


def _execute(
    proposal: DestructionProposal, run: RetentionRun, now: datetime, result: RunResult
) -> None:
    schedule = kinds()
    due = {
        (d.kind, d.object_id): d
        for d in selectors.due_records(now=now)
        if d.unit_id == proposal.unit_id
    }
    items = list(proposal.items.filter(outcome=ProposalItem.Outcome.PROPOSED))
    going: list[tuple[ProposalItem, Any, list[Any]]] = []
    content = ArchiveContent()
    for item in items:
        record = due.get((item.kind, item.object_id))
        if record is None or record.held:
            item.outcome = (
                ProposalItem.Outcome.HELD if record is not None else ProposalItem.Outcome.GONE
            )
            item.save(update_fields=["outcome"])
            continue
        kind = schedule[item.kind]
        obj = kind.model_class._default_manager.get(pk=item.object_id)
        parts = kind.parts(obj)
        content.add(
            {"kind": item.kind, "id": item.object_id, "reference": item.reference,
             "kept_since": item.kept_since.isoformat()},
            [obj, *parts],
            kind.files(obj),
        )  # fmt: skip
        going.append((item, obj, parts))
    if going:
        folder = proposal.unit.code if proposal.unit else "umum"
        name = f"retention/{folder}/{now:%Y%m%d-%H%M%S}-p{proposal.pk}.tar.gz"
        written = write_archive(name, content)
        archive = Archive.objects.create(
            run=run,
            proposal=proposal,
            name=written.name,
            sha256=written.sha256,
            size=written.size,
            records=len(going),
            verified=written.verified,
            created_at=now,
        )
        if not written.verified:
            result.failures.append(
                f"proposal {proposal.pk}: archive {written.name} did not verify, nothing "
                f"destroyed: {'; '.join(written.problems)}"
            )
            return
        _destroy(proposal, archive, going, run, now)
        run.archived += len(going)
        run.purged += len(going)
    else:
        with transaction.atomic():
            DestructionProposal.objects.filter(pk=proposal.pk).update(
                state=DestructionProposal.State.DONE, purged_by_run=run
            )


@transaction.atomic(durable=True)
def _destroy(
    proposal: DestructionProposal,
    archive: Archive,
    going: list[tuple[ProposalItem, Any, list[Any]]],
    run: RetentionRun,
    now: datetime,
) -> None:
    schedule = kinds()
    for item, obj, parts in going:
        facts = schedule[item.kind].destroy(obj, parts)
        Tombstone.objects.create(
            kind=item.kind,
            object_id=item.object_id,
            reference=item.reference,
            unit=proposal.unit,
            facts=facts,
            archive=archive,
            purged_at=now,
        )
        item.outcome = ProposalItem.Outcome.PURGED
        item.save(update_fields=["outcome"])
    proposal.state, proposal.purged_by_run = DestructionProposal.State.DONE, run
    proposal.save(update_fields=["state", "purged_by_run"])
    audit_record(
        actor=None,
        action="retention.purge",
        obj=proposal,
        unit=proposal.unit,
        after={"records": len(going), "archive": archive.name, "sha256": archive.sha256},
    )
