from __future__ import annotations

from django.contrib import admin

from pintu.core.admin import ReadOnlyAdmin
from pintu.records.models import RetentionRun, Tombstone, UnitRetention


@admin.register(UnitRetention)
class UnitRetentionAdmin(admin.ModelAdmin[UnitRetention]):
    list_display = ["unit", "years"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "dry_run", "proposed", "purged", "held"]


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyAdmin):
    list_display = ["purged_at", "kind", "reference", "unit"]
    list_filter = ["kind"]
