"""Writes to the register of digital-service accounts, each in one transaction with its
audit row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk import access
from pintu.org.models import Unit
from pintu.vault.models import DigitalAccount


@transaction.atomic
def account_register(
    *,
    actor: Any,
    unit: Unit,
    service: str,
    account: str,
    notes: str = "",
    ticket: Any = None,
    now: datetime,
) -> DigitalAccount:
    """Enter an account in ``unit``'s register; staff of the unit only, once per
    service and account (case does not make another account)."""
    if not access.can_work_in(actor, unit):
        raise PermissionDenied
    service, account = service.strip(), account.strip()
    if not service or not account:
        raise ValidationError(_("Name the digital service and the account."))
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
        notes=notes.strip(),
        registered_at=now,
        registered_by=actor,
        ticket=ticket,
    )
    audit_record(
        actor=actor,
        action="digital_account.register",
        obj=entry,
        unit=unit,
        after={
            "service": entry.service,
            "account": entry.account,
            "ticket": ticket.reference if ticket is not None else None,
        },
    )
    return entry
