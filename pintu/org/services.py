"""Changes to the organisation. Each runs in one transaction with its audit row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record, changes
from pintu.org import access
from pintu.org.holidays import national_holidays
from pintu.org.models import INSTITUTION_ROLES, Closure, Holiday, Membership, Role, Unit, User


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        after={"username": username, "full_name": full_name, "email": email, "phone": phone},
    )
    return user


@transaction.atomic
def membership_grant(*, actor: Any, user: User, role: Role, unit: Unit | None) -> Membership:
    """Give ``user`` a role in ``unit`` (no unit for auditors and admins)."""
    if (role in INSTITUTION_ROLES) != (unit is None):
        raise ValidationError(
            _("Auditors and administrators hold their role for all units; other roles need a unit.")
        )
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        if role == Role.ADMIN and not user.is_staff:
            # Admins also manage the data through Django's admin site.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        audit_record(
            actor=actor,
            action="membership.grant",
            obj=membership,
            unit=unit,
            after={"user": user.username, "role": role.value, "unit": unit.code if unit else None},
        )
    access.forget(user)
    return membership


def _require_calendar_manager(actor: Any, unit: Unit | None) -> None:
    """Admins for every unit and the whole institution; a unit head for their own unit."""
    if unit is None and not access.is_admin(actor):
        raise PermissionDenied
    if unit is not None and not access.can_manage_calendar(actor, unit):
        raise PermissionDenied


def _checked_reason(start_date: date, end_date: date, reason: str) -> str:
    if end_date < start_date:
        raise ValidationError(_("The last day comes before the first day."))
    if not reason.strip():
        raise ValidationError(_("Say why the unit is closed."))
    return reason.strip()


def _closure_shown(closure: Closure) -> dict[str, Any]:
    return {
        "from": closure.start_date.isoformat(),
        "to": closure.end_date.isoformat(),
        "reason": closure.reason,
    }


@transaction.atomic
def closure_add(
    *, actor: Any, unit: Unit | None, start_date: date, end_date: date, reason: str
) -> Closure:
    """Close a unit (or, with no unit, the institution) on the given days."""
    _require_calendar_manager(actor, unit)
    closure = Closure.objects.create(
        unit=unit,
        start_date=start_date,
        end_date=end_date,
        reason=_checked_reason(start_date, end_date, reason),
        created_by=actor,
    )
    audit_record(
        actor=actor, action="closure.add", obj=closure, unit=unit, after=_closure_shown(closure)
    )
    return closure


@transaction.atomic
def closure_update(
    *, actor: Any, closure: Closure, start_date: date, end_date: date, reason: str
) -> Closure:
    """Change a closure's days or reason; it stays with its unit. Who may: as for adding."""
    _require_calendar_manager(actor, closure.unit)
    reason = _checked_reason(start_date, end_date, reason)
    closure = Closure.objects.select_for_update().get(pk=closure.pk)
    shown_before = _closure_shown(closure)
    closure.start_date, closure.end_date, closure.reason = start_date, end_date, reason
    closure.save(update_fields=["start_date", "end_date", "reason"])
    before, after = changes(shown_before, _closure_shown(closure))
    if after:
        audit_record(
            actor=actor,
            action="closure.update",
            obj=closure,
            unit=closure.unit,
            before=before,
            after=after,
        )
    return closure


@transaction.atomic
def closure_delete(*, actor: Any, closure: Closure) -> None:
    """Open the unit again on a closure's days. Who may: as for adding."""
    _require_calendar_manager(actor, closure.unit)
    # The audit row keeps what the closure was, since the row itself goes.
    audit_record(
        actor=actor,
        action="closure.delete",
        obj=closure,
        unit=closure.unit,
        before=_closure_shown(closure),
    )
    closure.delete()


@transaction.atomic
def holidays_sync(*, actor: Any, years: Iterable[int]) -> int:
    """Load national holidays and cuti bersama for ``years`` from the `holidays` package.

    Rows already present (including admins' corrections) are left alone, so a re-sync
    never undoes a correction. Returns how many rows were added.
    """
    added = 0
    for day, (name, category) in sorted(national_holidays(years).items()):
        holiday, created = Holiday.objects.get_or_create(
            date=day,
            name=name,
            defaults={"category": category, "source": Holiday.Source.PACKAGE},
        )
        if created:
            added += 1
            audit_record(
                actor=actor,
                action="holiday.sync",
                obj=holiday,
                after={"date": day.isoformat(), "name": name, "category": category},
            )
    return added
