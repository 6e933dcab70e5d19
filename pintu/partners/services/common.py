"""What the partnership services share: who may write, the audit row filed under Unit
Kerjasama, saving a record's changed fields with their audit difference, and storing a
checked document."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record, changes
from pintu.desk.services import Upload, validate_upload
from pintu.partners import access

M = TypeVar("M", bound=models.Model)


def require_work(actor: Any) -> None:
    if not access.can_work(actor):
        raise PermissionDenied


def audit(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        unit=access.partnership_unit(),
    )


def save_changes(
    obj: M,
    values: Mapping[str, Any],
    shown: Callable[[M], dict[str, Any]],
    *,
    exclude: Collection[str] = (),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set ``values`` on ``obj``, check it as a whole (its constraints too), save only
    those fields, and return what changed as ``shown`` writes it (before, after)."""
    was = shown(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=list(exclude))
    obj.save(update_fields=list(values))
    return changes(was, shown(obj))


def create_checked(obj: M, values: Mapping[str, Any]) -> M:
    """A new row with ``values``, checked as a whole (its constraints too), then saved."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def checked_document(upload: Upload, extensions: Collection[str]) -> tuple[Upload, str]:
    """An upload that is one of ``extensions`` and passes the desk's checks (size,
    allowed types, content that is what the name says), with its SHA-256."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in extensions:
        raise ValidationError(
            _("%(name)s: only %(kinds)s files are accepted here.")
            % {"name": upload.name, "kinds": ", ".join(e.upper() for e in extensions)}
        )
    checked = validate_upload(upload)
    return checked, hashlib.sha256(checked.data).hexdigest()
