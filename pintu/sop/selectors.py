"""Reads of the SOP catalogue: the current revision of each SOP and its definition."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pintu.sop.models import Activity, Sop


def sop_current(code: str) -> Sop | None:
    """The current revision of SOP ``code``, or None if it was never loaded."""
    return Sop.objects.select_related("unit").filter(code=code, is_current=True).first()


def sop_list() -> QuerySet[Sop]:
    """The current revision of every loaded SOP, by code."""
    return Sop.objects.select_related("unit").filter(is_current=True).order_by("code")


def sop_as_json(sop: Sop) -> dict[str, Any]:
    """The definition as loaded, with the revision and when it was loaded."""
    return {**sop.definition, "revision": sop.revision, "loaded_at": sop.loaded_at.isoformat()}


def activity_keys_by_sop() -> dict[str, set[str]]:
    """Every activity key each loaded SOP has had, over all its revisions."""
    found: dict[str, set[str]] = {}
    for code, key in Activity.objects.values_list("sop__code", "key").distinct():
        found.setdefault(code, set()).add(key)
    return found
