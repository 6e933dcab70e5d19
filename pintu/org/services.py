"""Changes to the organisation. Each runs in one transaction with its audit row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
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


@transaction.atomic
def closure_add(
    *, actor: Any, unit: Unit | None, start_date: date, end_date: date, reason: str
) -> Closure:
    """Close a unit (or, with no unit, the institution) on the given days."""
    if unit is None and not access.is_admin(actor):
        raise PermissionDenied
    if unit is not None and not access.can_manage_calendar(actor, unit):
        raise PermissionDenied
    if end_date < start_date:
        raise ValidationError(_("The last day comes before the first day."))
    if not reason.strip():
        raise ValidationError(_("Say why the unit is closed."))
    closure = Closure.objects.create(
        unit=unit,
        start_date=start_date,
        end_date=end_date,
        reason=reason.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="closure.add",
        obj=closure,
        unit=unit,
        after={"from": start_date.isoformat(), "to": end_date.isoformat(), "reason": reason},
    )
    return closure


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
