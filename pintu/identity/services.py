"""Writes of the campus accounts (PR.33.8): the master data imported, a request matched
to its record or its requester asked for more, accounts made, changed, given access,
disabled and moved aside, and an account's first sign-in. Each runs in one transaction
with its audit row and, for what the directory must do, its ``ldap`` outbox job, whose
idempotency key makes the same work asked twice one job.

The one-time links are in ``pintu.identity.handover``, the cohorts in
``pintu.identity.cohorts``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.core.moments import stamp
from pintu.desk import services as desk
from pintu.desk.models import Status, Ticket
from pintu.identity import access, directory, lifecycle, masterdata
from pintu.identity.models import AccountRequest, CampusAccount, MasterImport, MasterRecord
from pintu.identity.usernames import candidates, username_base
from pintu.org.models import Unit
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import job_queue
from pintu.sla.calendars import zone_for_unit

LDAP = "ldap"


# ---------------------------------------------------------------- master data


@dataclass(frozen=True)
class Imported:
    report: masterdata.Report
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    batch: MasterImport | None = None


def _unit_codes() -> dict[str, Unit]:
    return {unit.code: unit for unit in Unit.objects.filter(is_active=True)}


FIELDS = ("name", "email", "phone", "kind", "unit_id", "standing", "extra")


def master_import(
    *, actor: Any, filename: str, data: bytes, now: datetime, dry_run: bool = False
) -> Imported:
    """Check the file's every row; import it (add new people, change the others) only
    when no row has a problem and not ``dry_run``. People are known by their NIM, NIP
    or NIK; someone absent from the file is left as they are."""
    if actor is not None and not access.manages(actor):
        raise PermissionDenied
    try:
        table = masterdata.read_table(filename, data)
    except masterdata.UnreadableFile as error:
        problem = masterdata.Problem(0, "", str(error))
        return Imported(masterdata.Report((), (problem,)))
    units = _unit_codes()
    report = masterdata.check(table, units=units)
    if not report.ok or dry_run:
        existing = set(
            MasterRecord.objects.filter(
                id_number__in=[p.id_number for p in report.people]
            ).values_list("id_number", flat=True)
        )
        created = sum(1 for p in report.people if p.id_number not in existing)
        return Imported(report, created=created, updated=len(report.people) - created)
    return _import(actor, filename, data, report, units, now)


@transaction.atomic
def _import(
    actor: Any,
    filename: str,
    data: bytes,
    report: masterdata.Report,
    units: Mapping[str, Unit],
    now: datetime,
) -> Imported:
    batch = MasterImport.objects.create(
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(report.people),
        created=0,
        updated=0,
        imported_at=now,
        imported_by=actor,
    )
    known = {
        record.id_number: record
        for record in MasterRecord.objects.select_for_update().filter(
            id_number__in=[p.id_number for p in report.people]
        )
    }
    created: list[MasterRecord] = []
    changed: list[MasterRecord] = []
    for person in report.people:
        values = {
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "kind": person.kind,
            "unit_id": units[person.unit].pk,
            "standing": person.status,
            "extra": person.extra,
        }
        record = known.get(person.id_number)
        if record is None:
            created.append(
                MasterRecord(id_number=person.id_number, source=batch, updated_at=now, **values)
            )
        elif any(getattr(record, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(record, name, value)
            record.source, record.updated_at = batch, now
            changed.append(record)
    MasterRecord.objects.bulk_create(created, batch_size=500)
    MasterRecord.objects.bulk_update(changed, [*FIELDS, "source", "updated_at"], batch_size=500)
    batch.created, batch.updated = len(created), len(changed)
    batch.save(update_fields=["created", "updated"])
    audit_record(
        actor=actor,
        action="master_data.import",
        obj=batch,
        after={
            "filename": batch.filename,
            "sha256": batch.sha256,
            "rows": batch.rows,
            "created": batch.created,
            "updated": batch.updated,
        },
    )
    unchanged = len(report.people) - len(created) - len(changed)
    return Imported(report, len(created), len(changed), unchanged, batch)


# ---------------------------------------------------------------- requests


def record_for(ticket: Ticket) -> MasterRecord | None:
    """The master record a request names by its NIM/NIP/NIK, once identified or not."""
    identified = AccountRequest.objects.filter(ticket=ticket).select_related("record").first()
    if identified is not None:
        return identified.record
    number = masterdata.id_number_of(str(ticket.fields.get("nomor_induk", "")))
    return MasterRecord.objects.filter(id_number__iexact=number).first() if number else None


@transaction.atomic
def request_identify(
    *, actor: Any, ticket: Ticket, record: MasterRecord, now: datetime
) -> AccountRequest:
    """Step "Identifikasi permintaan akun": the request is this person's."""
    if not access.works_on(actor, ticket):
        raise PermissionDenied
    identified, _created = AccountRequest.objects.update_or_create(
        ticket=ticket,
        defaults={"record": record, "identified_at": now, "identified_by": actor},
    )
    audit_record(
        actor=actor,
        action="account_request.identify",
        obj=identified,
        unit=ticket.unit,
        after={"ticket": ticket.reference, "record": record.id_number},
    )
    return identified


@transaction.atomic
def request_ask(*, actor: Any, ticket: Ticket, question: str, now: datetime) -> None:
    """The request does not match the master data: ask the requester, through the
    conversation, and wait for them (their time, off the unit's clock)."""
    if not access.works_on(actor, ticket):
        raise PermissionDenied
    if not question.strip():
        raise ValidationError(_("Write what the requester should tell you."))
    desk.ticket_reply(
        actor=actor,
        ticket=ticket,
        body=question.strip(),
        status=Status.WAITING_REQUESTER,
        now=now,
    )


# ---------------------------------------------------------------- accounts


def person_of(account: CampusAccount, record: MasterRecord | None = None) -> directory.Person:
    record = record or account.record
    assert account.uid_number is not None  # set when the account is made
    return directory.Person(
        username=account.username,
        uid_number=account.uid_number,
        name=record.name,
        email=record.email,
        phone=record.phone,
        id_number=record.id_number,
        kind=record.kind,
        unit=record.unit.code,
    )


def username_proposed(record: MasterRecord) -> str:
    """The username the pattern gives ``record``, past those already in use."""
    base = username_base(
        settings.PINTU_IDENTITY_USERNAME_PATTERN,
        full_name=record.name,
        id_number=record.id_number,
        kind=record.kind,
    )
    taken = set(
        CampusAccount.objects.filter(username__startswith=base[:20]).values_list(
            "username", flat=True
        )
    )
    return next(candidate for candidate in candidates(base) if candidate not in taken)


def _job(
    payload: dict[str, Any], key: str, cause: models.Model | None, source: Any, now: datetime
) -> OutboxItem:
    return job_queue(
        transport=LDAP, payload=payload, idempotency_key=key, cause=cause, source=source, at=now
    )


def _audit(actor: Any, action: str, account: CampusAccount, **after: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=account,
        unit=account.record.unit,
        after={"username": account.username, **after},
    )


@transaction.atomic
def account_provision(
    *,
    actor: Any,
    record: MasterRecord,
    now: datetime,
    ticket: Ticket | None = None,
    cohort: Any = None,
    step: Any = None,
) -> tuple[CampusAccount, bool]:
    """Make ``record``'s account, staged (no password yet), and queue its entry in the
    directory; returns it and whether it is new. A person has one account: asking
    again returns the one they have."""
    if actor is not None and not access.manages(actor):
        raise PermissionDenied
    if record.standing != "aktif":
        raise ValidationError(
            _("%(person)s is no longer active in the master data (%(standing)s).")
            % {"person": record, "standing": record.get_standing_display()}
        )
    existing = CampusAccount.objects.filter(record=record).first()
    if existing is not None:
        return existing, False
    account = CampusAccount.objects.create(
        record=record,
        username=username_proposed(record),
        staged_at=now,
        ticket=ticket,
        cohort=cohort,
    )
    account.uid_number = settings.PINTU_IDENTITY_UID_START + account.pk
    person = person_of(account, record)
    account.entry = person.__dict__
    account.save(update_fields=["uid_number", "entry"])
    _job(
        directory.provision_job(person),
        f"identity:provision:{account.pk}",
        ticket or cohort,
        step,
        now,
    )
    _audit(actor, "campus_account.provision", account, record=record.id_number)
    return account, True


def _moved(account: CampusAccount, event: lifecycle.Event) -> lifecycle.State:
    try:
        return lifecycle.next_state(lifecycle.State(account.state), event)
    except lifecycle.LifecycleError:
        raise ValidationError(
            _("The account %(account)s is %(state)s: it cannot be changed so.")
            % {"account": account, "state": account.get_state_display()}
        ) from None


@transaction.atomic
def account_change(
    *,
    actor: Any,
    account: CampusAccount,
    record: MasterRecord,
    ticket: Ticket,
    step: Any,
    now: datetime,
) -> CampusAccount:
    """Bring the entry in line with the master data as it is now (a new name, kind or
    unit); the directory's change is queued."""
    account = CampusAccount.objects.select_for_update().get(pk=account.pk)
    before = directory.Person(**account.entry)
    after = person_of(account, record)
    job = directory.change_job(before, after)
    if not job["replace"]:
        raise ValidationError(_("The directory already holds what the master data says."))
    account.entry = after.__dict__
    account.save(update_fields=["entry"])
    _job(job, f"identity:change:step:{step.pk}", ticket, step, now)
    _audit(actor, "campus_account.change", account, changes=sorted(job["replace"]))
    return account


@transaction.atomic
def account_access(
    *, actor: Any, account: CampusAccount, system: str, ticket: Ticket, step: Any, now: datetime
) -> CampusAccount:
    """Give the account access to a named system (its group in the directory)."""
    if system not in directory.SYSTEM_GROUPS:
        raise ValidationError(_("Pintu does not know the system %(system)s.") % {"system": system})
    if account.state not in (lifecycle.State.STAGED, lifecycle.State.ACTIVE):
        raise ValidationError(_("A disabled account gets no access."))
    job = {"op": "change", "uid": account.username, "join": [directory.system_group(system)]}
    _job(job, f"identity:access:step:{step.pk}", ticket, step, now)
    _audit(actor, "campus_account.access", account, system=system)
    return account


@transaction.atomic
def account_password_policy(
    *, actor: Any, account: CampusAccount, what: str, ticket: Ticket, step: Any, now: datetime
) -> CampusAccount:
    """Lift a lockout (``unlock``), or make the holder choose a new password at their
    next sign-in (``force_change``), where the directory has a password policy."""
    if what not in ("unlock", "force_change"):
        raise ValueError(what)
    _job(
        {"op": what, "uid": account.username},
        f"identity:{what}:step:{step.pk}",
        ticket,
        step,
        now,
    )
    if what == "unlock":
        _audit(actor, "campus_account.unlock", account)
    else:
        _audit(actor, "campus_account.force_change", account)
    return account


@transaction.atomic
def account_disable(
    *,
    actor: Any,
    account: CampusAccount,
    now: datetime,
    on: date | None = None,
    ticket: Ticket | None = None,
    step: Any = None,
) -> CampusAccount:
    """Disable the account now, or on the day ``on`` (the worker does it then). It is
    never deleted: it stays, unusable, and is moved aside later."""
    account = (
        CampusAccount.objects.select_for_update().select_related("record__unit").get(pk=account.pk)
    )
    # The day in the institution's zone, as the worker that disables on it reads it (the
    # UTC date lagged a day behind from midnight to 07:00 WIB).
    if on is not None and on > timezone.localdate(now):
        account.disable_on = on
        account.save(update_fields=["disable_on"])
        _audit(actor, "campus_account.schedule_disable", account, on=on.isoformat())
        return account
    account.state = _moved(account, lifecycle.Event.DISABLE)
    account.disabled_at, account.disable_on = now, None
    account.save(update_fields=["state", "disabled_at", "disable_on"])
    _job(
        {"op": "disable", "uid": account.username},
        f"identity:disable:{account.pk}",
        ticket or account.ticket,
        step,
        now,
    )
    _audit(actor, "campus_account.disable", account)
    return account


@transaction.atomic
def account_move_aside(*, account: CampusAccount, now: datetime) -> CampusAccount:
    account = (
        CampusAccount.objects.select_for_update().select_related("record__unit").get(pk=account.pk)
    )
    account.state = _moved(account, lifecycle.Event.MOVE)
    account.moved_at = now
    account.save(update_fields=["state", "moved_at"])
    _job(
        {"op": "move_aside", "uid": account.username},
        f"identity:move:{account.pk}",
        account.ticket,
        None,
        now,
    )
    _audit(None, "campus_account.move", account)
    return account


@transaction.atomic
def account_signed_in(*, account: CampusAccount, at: datetime) -> CampusAccount:
    """The directory recorded the holder's first sign-in (its ``authTimestamp``): that
    moment is the evidence that the account reached its holder, and the request that
    asked for it is resolved then."""
    account = (
        CampusAccount.objects.select_for_update().select_related("record__unit").get(pk=account.pk)
    )
    if account.first_sign_in_at is not None:
        return account
    account.first_sign_in_at = at
    account.save(update_fields=["first_sign_in_at"])
    _audit(None, "campus_account.signed_in", account, at=at.isoformat())
    handover = account.handovers.filter(used_at__isnull=False).order_by("-used_at").first()
    ticket = handover.ticket if handover is not None and handover.ticket else None
    if ticket is not None and ticket.status not in (Status.RESOLVED, Status.CLOSED):
        if handover is not None and handover.issued_by is not None:
            desk.ticket_note(
                actor=handover.issued_by,
                ticket=ticket,
                body=_(
                    "%(account)s signed in for the first time at %(when)s (the directory's "
                    "record): the account reached its holder."
                )
                % {"account": account, "when": stamp(at, zone_for_unit(ticket.unit))},
                now=max(at, ticket.received_at),
            )
        desk.ticket_set_status(
            actor=None,
            ticket=ticket,
            status=Status.RESOLVED,
            now=max(at, ticket.received_at),
            by_requester=True,
        )
    return account
