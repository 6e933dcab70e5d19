"""Who may do what with the register of digital-service accounts.

Staff of a unit keep its register (enter accounts, set credentials, grant access);
auditors and admins read every register. Nobody reads a credential but a current
grantee (SOP SDM.5.OT.02.02-5068 flow b: "akses diberikan"), in the page, after
entering their password again.
"""

from __future__ import annotations

from typing import Any

from pintu.desk import access as desk_access
from pintu.org import access as org_access
from pintu.org.models import Unit


def keeps(user: Any, unit: Unit) -> bool:
    """Staff (sub-coordinators, heads) of ``unit`` and admins."""
    return desk_access.can_work_in(user, unit)


def reads_registers(user: Any) -> bool:
    """Who the register's pages are for: staff of a unit, auditors and admins. Read
    from the memberships cached on the user, so the menu costs no query."""
    return org_access.can_read_everything(user) or bool(desk_access.work_unit_ids(user))
