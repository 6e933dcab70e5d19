"""A kind of record on the retention schedule, as each app declares its own: the
records app (``pintu.records``) archives and destroys them, and a module on a lower
floor names its kinds in its ``retention.py`` as ``RETENTION = [RecordKind(...)]``
without importing the records app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile


def no_parts(obj: models.Model) -> list[models.Model]:
    return []


def own_files(obj: models.Model) -> list[FieldFile]:
    return [
        getattr(obj, f.name)
        for f in obj._meta.fields
        if isinstance(f, models.FileField) and getattr(obj, f.name)
    ]


def delete_all(obj: models.Model, parts: list[models.Model]) -> dict[str, Any]:
    """Destroy the record and its parts: nothing stays but the tombstone."""
    for part in reversed(parts):
        if part.pk is not None and type(part)._default_manager.filter(pk=part.pk).exists():
            part.delete()
    obj.delete()
    return {}


@dataclass(frozen=True)
class RecordKind:
    """One kind of record on the schedule."""

    name: str  # e.g. "desk.ticket"; what proposals and tombstones call it
    label: Any  # its name for people
    model: str  # "app_label.Model"
    sop_records: tuple[str, ...]  # the SOP records (by name) this data holds
    moment: Any  # the field (or expression) its period runs from
    unit: str | None = "unit"  # the path to its unit; None: an admin approves
    ticket: str | None = None  # the path to its request, for holds on a request
    partner: str | None = None  # the path to its partner's id, for holds on a partner
    eligible: Q = field(default_factory=Q)  # only these may go (e.g. a request closed)
    # A chain (the audit log) loses only its oldest rows: none after the first kept one.
    prefix_of: str | None = None
    parts: Callable[[models.Model], list[models.Model]] = no_parts
    files: Callable[[models.Model], list[FieldFile]] = own_files
    reference: Callable[[models.Model], str] = str
    # Destroys the record and its parts; returns the facts its tombstone keeps.
    destroy: Callable[[models.Model, list[models.Model]], dict[str, Any]] = delete_all

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)
