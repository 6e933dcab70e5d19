from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pintu.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "actor", "action", "object_repr", "unit"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action"]

    # The audit log is written by services only; nobody edits or deletes it by hand.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
