from django.contrib import admin

from pintu.core.admin import ReadOnlyAdmin
from pintu.identity.models import CampusAccount, Cohort, Handover, MasterImport, MasterRecord


@admin.register(MasterRecord)
class MasterRecordAdmin(ReadOnlyAdmin):
    list_display = ["id_number", "name", "kind", "unit", "standing"]
    list_filter = ["kind", "standing"]
    search_fields = ["id_number", "name", "email"]


@admin.register(MasterImport)
class MasterImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "imported_at", "imported_by", "rows", "created", "updated"]


@admin.register(CampusAccount)
class CampusAccountAdmin(ReadOnlyAdmin):
    list_display = ["username", "record", "state", "first_sign_in_at", "disabled_at"]
    list_filter = ["state"]
    search_fields = ["username", "record__name", "record__id_number"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["account", "issued_at", "expires_at", "opened_at", "used_at", "revoked_at"]
    exclude = ["key", "code_digest"]


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ["filename", "created_at", "status", "done", "total"]
