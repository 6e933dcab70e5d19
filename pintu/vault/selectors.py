"""Reads of the register of digital-service accounts, through who may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pintu.desk import access
from pintu.org import access as org_access
from pintu.vault.models import DigitalAccount


def accounts_visible_to(viewer: Any) -> QuerySet[DigitalAccount]:
    """The accounts of the units ``viewer`` works in; auditors and admins see all."""
    accounts = DigitalAccount.objects.select_related("unit", "registered_by", "ticket")
    if org_access.can_read_everything(viewer):
        return accounts
    return accounts.filter(unit_id__in=access.work_unit_ids(viewer))
