"""Write audit rows. Services call ``audit_record`` inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from pintu.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit: Any = None,
) -> AuditEvent:
    """Record that ``actor`` (None for the system) did ``action`` to ``obj``.

    Must run inside the caller's atomic block, so that the change and its audit row
    commit or roll back together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        before=before,
        after=after,
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the fields whose value changed, for a compact before/after pair."""
    changed = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}
