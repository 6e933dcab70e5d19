"""Who may use the content calendar: Humas dan Kerjasama's people work on it (PR.27.4);
its sub-coordinator and head review the year's activity report; auditors and admins read
it."""

from __future__ import annotations

from typing import Any

from pintu.desk.access import WORKING_ROLES
from pintu.org import access as org_access
from pintu.org.models import Role, Unit

MEDIA_UNIT = "PHK"  # the unit of SOP PR.27.4


def can_work(user: Any) -> bool:
    return org_access.is_admin(user) or MEDIA_UNIT in org_access.unit_codes_with(
        user, WORKING_ROLES
    )


def can_read(user: Any) -> bool:
    return org_access.can_read_everything(user) or can_work(user)


def can_review_reports(user: Any, unit: Unit) -> bool:
    """SOP PR.27.4: "Sub Koordinator Humas dan Kerjasama, mereviu laporan kegiatan dan
    evaluasi" (the unit's head may too)."""
    return org_access.is_admin(user) or unit.pk in org_access.unit_ids_with(
        user, (Role.SUPERVISOR, Role.HEAD)
    )
