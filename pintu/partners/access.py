"""Who may use the partnership pages.

The SOP PR.KS belongs to Unit Kerjasama (KS); its actors are the staff and the
sub-coordinator of Humas dan Kerjasama (Koor.PHK, the unit above it). People who work in
either keep the register, run the activities and fill in the monitoring form; auditors
and admins read everything (admins also write). The answers are read from the roles
cached on the user, so the menu item costs no query per page.
"""

from __future__ import annotations

from typing import Any

from pintu.desk.access import WORKING_ROLES
from pintu.org import access as org_access
from pintu.org.models import Unit

UNIT = "KS"  # the unit of SOP PR.KS
SOP = "PR.KS"

# The units whose people work on partnerships: the SOP names the staff of Unit Kerjasama
# and Koor.PHK, the sub-coordinator of Humas dan Kerjasama above it.
PARTNERSHIP_UNITS = frozenset({UNIT, "PHK"})


def partnership_unit() -> Unit:
    """The unit that keeps the agreements and whose records the audit rows file under."""
    return Unit.objects.get(code=UNIT)


def can_work(user: Any) -> bool:
    """Keep the register, run activities, monitor, send surveys, import."""
    if org_access.is_admin(user):
        return True
    return bool(org_access.unit_codes_with(user, WORKING_ROLES) & PARTNERSHIP_UNITS)


def can_read(user: Any) -> bool:
    """Open the partnership pages (auditors read them without changing anything)."""
    if not user.is_authenticated:
        return False
    return org_access.can_read_everything(user) or can_work(user)
