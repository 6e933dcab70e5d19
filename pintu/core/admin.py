from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pintu.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Rows that Pintu's services write, each with its audit row: the admin site shows
    them and neither adds, changes nor deletes one (a deletion is the retention run's)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_repr", "unit"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action"]
