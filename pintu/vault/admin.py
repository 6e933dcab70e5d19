from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pintu.vault.models import DigitalAccount, Grant, Reveal


class ReadOnly(admin.ModelAdmin):
    """Made through the register's steps and pages, which audit them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DigitalAccount)
class DigitalAccountAdmin(ReadOnly):
    list_display = ["service", "account", "unit", "classification", "steward", "registered_at"]
    list_filter = ["unit", "classification"]
    search_fields = ["service", "account"]
    exclude = ["credential"]  # sealed; shown to nobody here


@admin.register(Grant)
class GrantAdmin(ReadOnly):
    list_display = ["grantee", "granted_at", "ends_at", "ended_at", "end", "ticket"]
    list_filter = ["end"]


@admin.register(Reveal)
class RevealAdmin(ReadOnly):
    list_display = ["person", "account", "at", "address"]
