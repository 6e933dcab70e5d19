"""Who may see and work on which ticket.

Requesters see their own tickets; staff, sub-coordinators and heads their unit's;
auditors read everything; admins read and work everywhere. Pages answer 404 for a
ticket the viewer may not see (``selectors.ticket_visible_to``), so its existence
does not leak.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from pintu.org import access as org_access
from pintu.org.models import Role, Unit

WORKING_ROLES = (Role.STAFF, Role.SUPERVISOR, Role.HEAD)


def can_work_in(user: Any, unit: Unit) -> bool:
    return org_access.is_admin(user) or org_access.works_in(user, unit)


def work_unit_ids(user: Any) -> frozenset[int]:
    return org_access.unit_ids_with(user, WORKING_ROLES)


def is_requester_of(user: Any, ticket: Any) -> bool:
    if not user.is_authenticated:
        return False
    if ticket.requester_id == user.pk:
        return True
    return bool(ticket.contact_id and ticket.contact.user_id == user.pk)


def require_work(user: Any, ticket: Any) -> None:
    if not can_work_in(user, ticket.unit):
        raise PermissionDenied


def visibility_filter(user: Any) -> Q | None:
    """The tickets ``user`` may read as a filter; None means every ticket."""
    if org_access.can_read_everything(user):
        return None
    own = Q(requester=user) | Q(contact__user=user)
    units = work_unit_ids(user)
    return own | Q(unit_id__in=units) if units else own


def is_supervisor_of(user: Any, unit: Unit) -> bool:
    return unit.pk in org_access.unit_ids_with(user, (Role.SUPERVISOR, Role.HEAD))
