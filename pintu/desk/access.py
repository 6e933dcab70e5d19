"""Who may see and work on which ticket.

Requesters see their own tickets; staff, sub-coordinators and heads their unit's;
auditors read everything; admins read and work everywhere. Pages answer 404 for a
ticket the viewer may not see (``selectors.ticket_visible_to``), so its existence
does not leak.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
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


def can_read_in(user: Any, unit: Unit) -> bool:
    """Whether ``user`` reads ``unit``'s work: its people, auditors and admins."""
    return can_work_in(user, unit) or org_access.can_read_everything(user)


def can_read(user: Any, ticket: Any) -> bool:
    """Whether ``user`` may read ``ticket``: the rule of ``visibility_parts`` for one
    ticket already loaded (with its contact), without asking the database again."""
    if org_access.can_read_everything(user):
        return True
    return is_requester_of(user, ticket) or ticket.unit_id in work_unit_ids(user)


def visibility_parts(user: Any) -> list[Q] | None:
    """The tickets ``user`` may read, as the filters whose union they are: their own,
    those from their address, each of their units' (one filter each, so that a list can
    walk one index per part); None means every ticket."""
    if org_access.can_read_everything(user):
        return None
    return own_parts(user) + [Q(unit_id=unit_id) for unit_id in sorted(work_unit_ids(user))]


def own_parts(user: Any) -> list[Q]:
    """The person's own tickets, as the parts of ``visibility_parts`` they are: those
    they asked for, and those from an address (a contact) of theirs."""
    return [Q(requester=user), Q(contact__user=user)]


def visibility_filter(user: Any) -> Q | None:
    """The tickets ``user`` may read as one filter; None means every ticket."""
    parts = visibility_parts(user)
    return None if parts is None else reduce(or_, parts)


def is_supervisor_of(user: Any, unit: Unit) -> bool:
    return unit.pk in org_access.unit_ids_with(user, (Role.SUPERVISOR, Role.HEAD))
