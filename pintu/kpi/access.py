"""Who reads a unit's KPIs and who keeps their evidence.

A unit's own people (staff, sub-coordinators, heads) read its figures; the quality unit
(``PINTU_QUALITY_UNIT``, P4M), auditors and admins read every unit's. A unit's
sub-coordinators and heads upload evidence and record evaluations; the quality unit's
sub-coordinators and heads (and admins) judge evidence.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from pintu.org import access as org_access
from pintu.org.models import Role, Unit

_LEADS = (Role.SUPERVISOR, Role.HEAD)
_WORKING = (Role.STAFF, Role.SUPERVISOR, Role.HEAD)


def _quality(user: Any, roles: tuple[Role, ...]) -> bool:
    return bool(org_access.roles_in(user, settings.PINTU_QUALITY_UNIT) & set(roles))


def reads_every_unit(user: Any) -> bool:
    return org_access.can_read_everything(user) or _quality(user, _WORKING)


def can_read(user: Any, unit: Unit) -> bool:
    return reads_every_unit(user) or unit.pk in org_access.unit_ids_with(user, _WORKING)


def can_keep_evidence(user: Any, unit: Unit) -> bool:
    return org_access.is_admin(user) or unit.pk in org_access.unit_ids_with(user, _LEADS)


def can_judge(user: Any) -> bool:
    return org_access.is_admin(user) or _quality(user, _LEADS)


def sees_dashboards(user: Any) -> bool:
    """Whether the navigation offers the KPI pages: leads of a unit, the quality unit,
    auditors and admins; requesters and staff without a lead role do not see it."""
    return reads_every_unit(user) or bool(org_access.unit_ids_with(user, _LEADS))
