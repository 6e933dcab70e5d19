"""Who may use the e-learning module's pages.

PR.13.2 is P4M's: its staff review and apply course changes and announcements. The
register of information-system releases is UPT-SI's (B.4.6.4.g, SOP PR.33.8). Auditors
and admins read everything; admins also keep the list of probed services.
"""

from __future__ import annotations

from typing import Any

from pintu.desk.access import WORKING_ROLES
from pintu.org import access as org_access

LEARNING_UNIT = "P4M"  # the unit of SOP PR.13.2
RELEASES_UNIT = "UPT-SI"  # the unit of SOP PR.33.8, whose KPI B.4.6.4.g the register serves


def _works_in(user: Any, code: str) -> bool:
    return code in org_access.unit_codes_with(user, WORKING_ROLES)


def can_work_on_learning(user: Any) -> bool:
    return org_access.is_admin(user) or _works_in(user, LEARNING_UNIT)


def can_work_on_releases(user: Any) -> bool:
    return org_access.is_admin(user) or _works_in(user, RELEASES_UNIT)


def can_read(user: Any) -> bool:
    """The module's pages open (read-only for auditors)."""
    return (
        org_access.can_read_everything(user)
        or can_work_on_learning(user)
        or can_work_on_releases(user)
    )
