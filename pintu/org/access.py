"""Who may do what: every page and service asks these, never the role table directly.

A user's memberships are read once per request object and cached on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pintu.org.models import Role, Unit

_CACHE = "_pintu_memberships"


def _held(user: Any) -> frozenset[tuple[str, int | None, str | None]]:
    """(role, unit id, unit code) of every membership, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("role", "unit_id", "unit__code"))
        setattr(user, _CACHE, cached)
    return cached


def memberships(user: Any) -> frozenset[tuple[str, int | None]]:
    """The (role, unit id) pairs a user holds; unit id is None for institution roles."""
    return frozenset((role, unit_id) for role, unit_id, _ in _held(user))


def roles_in(user: Any, unit_code: str) -> frozenset[str]:
    """The roles a user holds in the unit with code ``unit_code``."""
    return frozenset(role for role, _, code in _held(user) if code == unit_code)


def forget(user: Any) -> None:
    """Drop the cached memberships after they changed."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def has_role(user: Any, role: Role) -> bool:
    return any(held == role for held, _ in memberships(user))


def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or has_role(user, Role.ADMIN)))


def is_auditor(user: Any) -> bool:
    return has_role(user, Role.AUDITOR)


def unit_ids_with(user: Any, roles: Iterable[Role]) -> frozenset[int]:
    wanted = set(roles)
    return frozenset(
        unit_id for role, unit_id in memberships(user) if role in wanted and unit_id is not None
    )


def works_in(user: Any, unit: Unit) -> bool:
    """Staff, sub-coordinator or head of ``unit``."""
    return unit.pk in unit_ids_with(user, (Role.STAFF, Role.SUPERVISOR, Role.HEAD))


def can_read_audit_log(user: Any) -> bool:
    return is_admin(user) or is_auditor(user)


def can_manage_calendar(user: Any, unit: Unit) -> bool:
    """Admins for every unit; a unit head for their own unit."""
    return is_admin(user) or unit.pk in unit_ids_with(user, (Role.HEAD,))


def can_read_everything(user: Any) -> bool:
    """Auditors read all units (read-only); admins read and manage all units."""
    return is_admin(user) or is_auditor(user)
