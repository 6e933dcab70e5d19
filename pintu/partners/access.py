"""Who may use the partnership pages.

The SOP PR.KS belongs to Unit Kerjasama (KS); its actors are the staff and the
sub-coordinator of Humas dan Kerjasama (Koor.PHK, the unit above it). People who work in
either keep the register, run the activities and fill in the monitoring form; auditors
and admins read everything (admins also write). The answers are read from the roles
cached on the user, so the menu item costs no query per page.
"""

from __future__ import annotations

import time
from typing import Any

from django.db.models.signals import post_delete, post_save

from pintu.desk.access import WORKING_ROLES
from pintu.org import access as org_access
from pintu.org.models import Unit

UNIT = "KS"  # the unit of SOP PR.KS
SOP = "PR.KS"

# Unit ids change only when units are made or removed: read them once a minute (or
# again at once, after a unit was saved in this process), not once per page.
SHARED_SECONDS = 60.0
_units: list[tuple[float, frozenset[int]]] = []


def partnership_unit_ids() -> frozenset[int]:
    """Unit Kerjasama and the unit it belongs to."""
    now = time.monotonic()
    if _units and now - _units[0][0] < SHARED_SECONDS:
        return _units[0][1]
    ids = frozenset(
        pk
        for row in Unit.objects.filter(code=UNIT).values_list("pk", "parent_id")
        for pk in row
        if pk is not None
    )
    _units[:] = [(now, ids)]
    return ids


def units_changed(**_: object) -> None:
    _units.clear()


def connect_signals() -> None:
    post_save.connect(units_changed, sender=Unit, dispatch_uid="partners-units-saved")
    post_delete.connect(units_changed, sender=Unit, dispatch_uid="partners-units-deleted")


def partnership_unit() -> Unit:
    """The unit that keeps the agreements and whose records the audit rows file under."""
    return Unit.objects.get(code=UNIT)


def can_work(user: Any) -> bool:
    """Keep the register, run activities, monitor, send surveys, import."""
    if org_access.is_admin(user):
        return True
    units = org_access.unit_ids_with(user, WORKING_ROLES)
    return bool(units) and bool(units & partnership_unit_ids())


def can_read(user: Any) -> bool:
    """Open the partnership pages (auditors read them without changing anything)."""
    if not user.is_authenticated:
        return False
    return org_access.can_read_everything(user) or can_work(user)
