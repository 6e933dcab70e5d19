from django.contrib import admin

from pintu.core.admin import ReadOnlyAdmin
from pintu.vault.models import DigitalAccount, Grant, Reveal


@admin.register(DigitalAccount)
class DigitalAccountAdmin(ReadOnlyAdmin):
    list_display = ["service", "account", "unit", "classification", "steward", "registered_at"]
    list_filter = ["unit", "classification"]
    search_fields = ["service", "account"]
    exclude = ["credential"]  # sealed; shown to nobody here


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["grantee", "granted_at", "ends_at", "ended_at", "end", "ticket"]
    list_filter = ["end"]


@admin.register(Reveal)
class RevealAdmin(ReadOnlyAdmin):
    list_display = ["person", "account", "at", "address"]
