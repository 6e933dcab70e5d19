"""Writes to the register of digital-service accounts and to its credentials, each in
one transaction with its audit row; the audit rows never hold a credential.

Access (grants, their end, reviews) is in ``pintu.vault.grants``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.org.models import Unit
from pintu.vault import access, envelope
from pintu.vault.keys import KeyUnavailable, current_key
from pintu.vault.models import Classification, DigitalAccount, Grant, Reveal, Rotation
from pintu.vault.selectors import running


def _sealed(account: DigitalAccount, plain: str) -> str:
    try:
        return envelope.seal(plain, current_key(), context=account.context)
    except KeyUnavailable as error:
        raise ValidationError(str(error)) from None


def _opened(account: DigitalAccount) -> str:
    """The credential in clear, or a ValidationError that says why not (never garbage)."""
    try:
        return envelope.unseal(account.credential, current_key(), context=account.context)
    except (KeyUnavailable, envelope.EnvelopeError) as error:
        raise ValidationError(
            _("The credential cannot be opened: %(why)s") % {"why": error}
        ) from None


@transaction.atomic
def account_register(
    *,
    actor: Any,
    unit: Unit,
    service: str,
    account: str,
    url: str = "",
    steward: Any = None,
    classification: str = Classification.INTERNAL,
    credential: str = "",
    renews_on: date | None = None,
    expires_on: date | None = None,
    notes: str = "",
    ticket: Any = None,
    now: datetime,
) -> DigitalAccount:
    """Enter an account in ``unit``'s register; staff of the unit only, once per
    service and account (case does not make another account). The credential, when
    given, is sealed before it is stored."""
    if not access.keeps(actor, unit):
        raise PermissionDenied
    service, account = service.strip(), account.strip()
    if not service or not account:
        raise ValidationError(_("Name the digital service and the account."))
    if steward is not None and not access.keeps(steward, unit):
        raise ValidationError(_("The person in charge must work in the unit."))
    existing = DigitalAccount.objects.filter(
        unit=unit, service__iexact=service, account__iexact=account
    ).first()
    if existing is not None:
        raise ValidationError(
            _("%(account)s is in the register already (since %(when)s).")
            % {"account": existing, "when": f"{existing.registered_at:%Y-%m-%d}"}
        )
    entry = DigitalAccount.objects.create(
        unit=unit,
        service=service[:200],
        account=account[:200],
        url=url.strip(),
        steward=steward or actor,
        classification=classification,
        renews_on=renews_on,
        expires_on=expires_on,
        notes=notes.strip(),
        registered_at=now,
        registered_by=actor,
        ticket=ticket,
    )
    if credential:
        entry.credential = _sealed(entry, credential)
        entry.credential_changed_at = now
        entry.save(update_fields=["credential", "credential_changed_at"])
    audit_record(
        actor=actor,
        action="digital_account.register",
        obj=entry,
        unit=unit,
        after={
            "service": entry.service,
            "account": entry.account,
            "steward": str(entry.steward),
            "classification": entry.classification,
            "credential": bool(credential),
            "ticket": ticket.reference if ticket is not None else None,
        },
    )
    return entry


# The register's fields that staff may change afterwards (the credential has its own
# service, the unit and the service's name stay).
EDITABLE = ("url", "account", "steward", "classification", "renews_on", "expires_on", "notes")


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if hasattr(value, "pk") else value


@transaction.atomic
def account_update(
    *, actor: Any, account: DigitalAccount, changes: Mapping[str, Any], now: datetime
) -> DigitalAccount:
    """Change the register's entry (its address, login, person in charge, class,
    dates, notes), audited as before and after."""
    account = DigitalAccount.objects.select_for_update().get(pk=account.pk)
    if not access.keeps(actor, account.unit):
        raise PermissionDenied
    steward = changes.get("steward", account.steward)
    if steward is not None and not access.keeps(steward, account.unit):
        raise ValidationError(_("The person in charge must work in the unit."))
    before, after = {}, {}
    for name in EDITABLE:
        if name in changes and changes[name] != getattr(account, name):
            before[name] = _plain(getattr(account, name))
            setattr(account, name, changes[name])
            after[name] = _plain(changes[name])
    if not after:
        return account
    account.full_clean(exclude=["unit", "registered_by", "ticket", "steward"])
    account.save(update_fields=list(after))
    audit_record(
        actor=actor,
        action="digital_account.update",
        obj=account,
        unit=account.unit,
        before=before,
        after=after,
    )
    return account


@transaction.atomic
def credential_set(
    *, actor: Any, account: DigitalAccount, credential: str, now: datetime
) -> DigitalAccount:
    """Store a new credential, sealed; it closes the account's open rotation (the
    password that someone whose access ended knew is no longer the password)."""
    account = DigitalAccount.objects.select_for_update().get(pk=account.pk)
    if not access.keeps(actor, account.unit):
        raise PermissionDenied
    if not credential:
        raise ValidationError(_("Type the new credential."))
    account.credential = _sealed(account, credential)
    account.credential_changed_at = now
    account.save(update_fields=["credential", "credential_changed_at"])
    rotated = Rotation.objects.filter(account=account, done_at__isnull=True).update(
        done_at=now, done_by=actor
    )
    audit_record(
        actor=actor,
        action="digital_account.credential",
        obj=account,
        unit=account.unit,
        after={"credential": True, "rotation_done": bool(rotated)},
    )
    return account


def grant_covering(*, person: Any, account: DigitalAccount, now: datetime) -> Grant | None:
    """The current grant through which ``person`` may see ``account``, if any."""
    return (
        Grant.objects.filter(running(now), grantee=person, accounts=account)
        .order_by("-ends_at")
        .first()
    )


@transaction.atomic
def _reveal_refused(*, actor: Any, account: DigitalAccount, why: str) -> None:
    audit_record(
        actor=actor,
        action="digital_account.reveal_refused",
        obj=account,
        unit=account.unit,
        after={"why": why},
    )


def credential_reveal(
    *,
    actor: Any,
    account: DigitalAccount,
    password: str,
    now: datetime,
    address: str | None = None,
) -> str:
    """The credential in clear, for a current grantee who has just entered their own
    password again; each reveal is recorded (who, when, under which grant, from where)
    and so is each refusal. Never sent anywhere: the page shows it, once."""
    grant = grant_covering(person=actor, account=account, now=now)
    if grant is None:
        _reveal_refused(actor=actor, account=account, why="no current grant")
        raise PermissionDenied(_("You have no current access to this account."))
    if not actor.check_password(password):
        _reveal_refused(actor=actor, account=account, why="wrong password")
        raise ValidationError(_("That is not your password."))
    if not account.credential:
        raise ValidationError(_("No credential is stored for this account."))
    plain = _opened(account)
    with transaction.atomic():
        Reveal.objects.create(account=account, grant=grant, person=actor, at=now, address=address)
        audit_record(
            actor=actor,
            action="digital_account.reveal",
            obj=account,
            unit=account.unit,
            after={"grant": grant.pk, "address": address},
        )
    return plain


@transaction.atomic
def vault_key_rotate(*, old: bytes, new: bytes) -> int:
    """Seal every stored credential under ``new`` instead of ``old``, all or nothing:
    a credential that does not open under ``old`` stops the rotation with its name."""
    changed = 0
    accounts = DigitalAccount.objects.select_for_update().exclude(credential="")
    for account in accounts.order_by("pk"):
        try:
            account.credential = envelope.reseal(
                account.credential, old, new, context=account.context
            )
        except envelope.EnvelopeError as error:
            raise ValidationError(
                _("%(account)s: %(why)s") % {"account": account, "why": error}
            ) from None
        account.save(update_fields=["credential"])
        audit_record(
            actor=None,
            action="digital_account.rekey",
            obj=account,
            unit=account.unit,
            before={"key": envelope.key_id(old)},
            after={"key": envelope.key_id(new)},
        )
        changed += 1
    return changed
