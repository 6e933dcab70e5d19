from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pintu.vault.models import DigitalAccount


@admin.register(DigitalAccount)
class DigitalAccountAdmin(admin.ModelAdmin[DigitalAccount]):
    list_display = ["service", "account", "unit", "registered_at", "registered_by", "ticket"]
    list_filter = ["unit"]
    search_fields = ["service", "account"]

    # Entries are made through the register's step, which audits them.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
