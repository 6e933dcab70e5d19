"""The partnership records in the admin site, to read: every change goes through the
services, which audit it."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pintu.partners.models import Agreement, AgreementVersion, Partner, PartnerContact


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(ReadOnly):
    list_display = ["name", "kind", "level", "country"]
    list_filter = ["kind", "level"]
    search_fields = ["name"]


@admin.register(PartnerContact)
class PartnerContactAdmin(ReadOnly):
    list_display = ["name", "partner", "email", "phone", "is_primary"]
    search_fields = ["name", "email", "partner__name"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnly):
    list_display = ["number", "kind", "title", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "title"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnly):
    list_display = ["agreement", "number", "filename", "uploaded_at", "uploaded_by"]
