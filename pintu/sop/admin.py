from django.contrib import admin

from pintu.sop.models import Kpi, ServiceType, Sop


@admin.register(Sop)
class SopAdmin(admin.ModelAdmin):
    list_display = ["code", "revision", "version", "title", "unit", "is_current", "loaded_at"]
    list_filter = ["is_current", "unit"]
    readonly_fields = [f.name for f in Sop._meta.fields]


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "sop", "first_response", "resolution", "kpi_code"]


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["code", "sop", "measure", "target"]
    search_fields = ["code", "text"]
