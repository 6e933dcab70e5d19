from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pintu.identity.models import CampusAccount, Cohort, Handover, MasterImport, MasterRecord


class ReadOnly(admin.ModelAdmin):
    """Made through the imports, the steps and the cohorts, which audit them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MasterRecord)
class MasterRecordAdmin(ReadOnly):
    list_display = ["id_number", "name", "kind", "unit", "standing"]
    list_filter = ["kind", "standing"]
    search_fields = ["id_number", "name", "email"]


@admin.register(MasterImport)
class MasterImportAdmin(ReadOnly):
    list_display = ["filename", "imported_at", "imported_by", "rows", "created", "updated"]


@admin.register(CampusAccount)
class CampusAccountAdmin(ReadOnly):
    list_display = ["username", "record", "state", "first_sign_in_at", "disabled_at"]
    list_filter = ["state"]
    search_fields = ["username", "record__name", "record__id_number"]


@admin.register(Handover)
class HandoverAdmin(ReadOnly):
    list_display = ["account", "issued_at", "expires_at", "opened_at", "used_at", "revoked_at"]
    exclude = ["key", "code_digest"]


@admin.register(Cohort)
class CohortAdmin(ReadOnly):
    list_display = ["filename", "created_at", "status", "done", "total"]
