from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from pintu.org.models import BusinessCalendar, Closure, Holiday, Membership, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class PintuUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Pintu", {"fields": ("full_name", "phone", "identifier")}),
    )
    list_display = ["username", "full_name", "email", "phone", "is_active"]
    search_fields = ["username", "full_name", "email", "phone", "identifier"]
    inlines = [MembershipInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["unit", "time_zone"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "category", "source", "observed"]
    list_filter = ["category", "source", "observed"]
    list_editable = ["observed"]
    date_hierarchy = "date"


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["start_date", "end_date", "unit", "reason"]
