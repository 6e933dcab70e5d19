"""Cohort intake (PR.33.8 "Distribusi akun baru" for a whole intake at once): a list of
new students becomes their master records, their accounts (staged in the directory,
one outbox job each) and their one-time links, in a batch the worker runs, row by row,
so that the page can show its progress and each row's result.

The same file again is the same cohort (known by its digest) and makes nothing twice;
another file naming the same students finds their accounts and links and makes none.
A file with any bad row makes nothing at all.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from pintu.core.audit import audit_record
from pintu.identity import access, lifecycle
from pintu.identity.handover import handover_issue
from pintu.identity.models import CampusAccount, Cohort, CohortRow, Handover, MasterRecord
from pintu.identity.services import Imported, account_provision, master_import


def cohort_create(
    *, actor: Any, filename: str, data: bytes, send_messages: bool, now: datetime
) -> tuple[Cohort | None, Imported]:
    """Check and import the list, and queue its cohort (or find the one this file made
    before). Returns no cohort when the file has problems: they are in the report."""
    if actor is not None and not access.manages(actor):  # None: the command line
        raise PermissionDenied
    digest = hashlib.sha256(data).hexdigest()
    existing = Cohort.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, master_import(
            actor=actor, filename=filename, data=data, now=now, dry_run=True
        )
    with transaction.atomic():
        imported = master_import(actor=actor, filename=filename, data=data, now=now)
        if not imported.report.ok:
            return None, imported
        people = [[person.row, person.id_number] for person in imported.report.people]
        cohort = Cohort.objects.create(
            filename=filename[:255],
            sha256=digest,
            created_at=now,
            created_by=actor,
            people=people,
            total=len(people),
            send_messages=send_messages,
        )
        audit_record(
            actor=actor,
            action="cohort.create",
            obj=cohort,
            after={"filename": cohort.filename, "students": cohort.total, "sha256": digest},
        )
    return cohort, imported


def _open_handover(account: CampusAccount, now: datetime) -> Handover | None:
    return account.handovers.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).first()


def cohort_row(*, cohort: Cohort, row: int, id_number: str, now: datetime) -> CohortRow:
    """One student of the cohort: their account and link, made once."""
    with transaction.atomic():
        done = CohortRow.objects.filter(cohort=cohort, row=row).first()
        if done is not None:
            return done
        record = MasterRecord.objects.get(id_number=id_number)
        account, made = account_provision(
            actor=cohort.created_by, record=record, cohort=cohort, now=now
        )
        # A student who set their password already needs no link; one with a link
        # still open keeps it.
        if account.state == lifecycle.State.STAGED and _open_handover(account, now) is None:
            handover_issue(
                actor=cohort.created_by, account=account, now=now, notify=cohort.send_messages
            )
        line = CohortRow.objects.create(
            cohort=cohort,
            row=row,
            account=account,
            outcome=CohortRow.Outcome.CREATED if made else CohortRow.Outcome.EXISTING,
        )
        Cohort.objects.filter(pk=cohort.pk).update(done=F("done") + 1)
    return line


def cohort_run(*, cohort: Cohort, now: datetime) -> Cohort:
    """Work through the cohort's rows (each in its own transaction, so the page sees the
    progress and a run stopped half-way goes on where it stopped)."""
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.RUNNING)
    for row, id_number in cohort.people:
        cohort_row(cohort=cohort, row=row, id_number=id_number, now=now)
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.DONE, finished_at=now)
    cohort.refresh_from_db()
    return cohort


def letters_of(cohort: Cohort, now: datetime) -> list[tuple[CohortRow, Handover | None]]:
    """Each student of the cohort with their link still open (None: used or expired)."""
    rows = cohort.lines.select_related("account__record__unit").order_by("row")
    return [(line, _open_handover(line.account, now)) for line in rows]
