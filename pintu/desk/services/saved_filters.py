"""Named views of the queue that staff save for themselves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk.models import SavedFilter
from pintu.org.models import User


@transaction.atomic
def saved_filter_save(*, user: User, name: str, query: str) -> SavedFilter:
    """Save a view of the queue under a name; a view of the same name is replaced."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the view a name."))
    existing = SavedFilter.objects.select_for_update().filter(user=user, name=name).first()
    before = {"name": name, "query": existing.query} if existing else None
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, name=name, defaults={"query": query}
    )
    audit_record(
        actor=user,
        action="saved_filter.save",
        obj=saved,
        before=before,
        after={"name": name, "query": query},
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, user: User, saved_filter: SavedFilter) -> None:
    """Only its owner deletes a saved view."""
    if saved_filter.user_id != user.pk:
        raise PermissionDenied
    audit_record(
        actor=user,
        action="saved_filter.delete",
        obj=saved_filter,
        before={"name": saved_filter.name, "query": saved_filter.query},
    )
    saved_filter.delete()
