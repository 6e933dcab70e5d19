from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pintu.elearning.models import Course, MoodleSite


class ReadOnly(admin.ModelAdmin[Any]):
    """Rows that Pintu's services and synchronisation write, with their audit rows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MoodleSite)
class MoodleSiteAdmin(ReadOnly):
    list_display = ["name", "url", "from_environment", "synced_at", "last_error"]
    exclude = ["token_sealed"]


@admin.register(Course)
class CourseAdmin(ReadOnly):
    list_display = ["shortname", "fullname", "idnumber", "category_name", "visible", "site"]
    list_filter = ["site", "visible"]
    search_fields = ["shortname", "fullname", "idnumber"]
