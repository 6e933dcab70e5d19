"""Who works on campus accounts: the staff of the unit that runs PR.33.8 (UPT-SI as the
SOP says) and admins; auditors read. Asked of the memberships cached on the user, so
the menu costs no query; the unit is looked up once and forgotten when an SOP or a
unit changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from pintu.desk import access as desk_access
from pintu.org import access as org_access
from pintu.org.models import Unit
from pintu.sop.models import Sop

SOP = "PR.33.8"
_UNIT: dict[str, int | None] = {}


def unit_id() -> int | None:
    """The unit of PR.33.8's current revision (None while it is not loaded)."""
    if "id" not in _UNIT:
        _UNIT["id"] = (
            Sop.objects.filter(code=SOP, is_current=True).values_list("unit_id", flat=True).first()
        )
    return _UNIT["id"]


def _forget(**kwargs: Any) -> None:
    _UNIT.clear()


for _model in (Sop, Unit):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"identity-unit-{_model.__name__}")
    post_delete.connect(_forget, sender=_model, dispatch_uid=f"identity-unit-d-{_model.__name__}")


def manages(user: Any) -> bool:
    """May import master data, make, change and disable accounts."""
    if org_access.is_admin(user):
        return True
    units = desk_access.work_unit_ids(user)
    return bool(units) and unit_id() in units


def reads(user: Any) -> bool:
    return manages(user) or org_access.can_read_everything(user)


def works_on(user: Any, ticket: Any) -> bool:
    return desk_access.can_work_in(user, ticket.unit)
