from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pintu.records.models import RetentionRun, Tombstone, UnitRetention


@admin.register(UnitRetention)
class UnitRetentionAdmin(admin.ModelAdmin[UnitRetention]):
    list_display = ["unit", "years"]


class ReadOnly:
    # Written by the retention run only.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnly, admin.ModelAdmin[RetentionRun]):
    list_display = ["started_at", "dry_run", "proposed", "purged", "held"]


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnly, admin.ModelAdmin[Tombstone]):
    list_display = ["purged_at", "kind", "reference", "unit"]
    list_filter = ["kind"]
