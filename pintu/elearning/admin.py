from django.contrib import admin

from pintu.core.admin import ReadOnlyAdmin
from pintu.elearning.models import (
    Announcement,
    Course,
    CourseChange,
    MoodleSite,
    Outage,
    Probe,
    ProbedService,
    Release,
)


@admin.register(MoodleSite)
class MoodleSiteAdmin(ReadOnlyAdmin):
    list_display = ["name", "url", "from_environment", "synced_at", "last_error"]
    exclude = ["token_sealed"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["shortname", "fullname", "idnumber", "category_name", "visible", "site"]
    list_filter = ["site", "visible"]
    search_fields = ["shortname", "fullname", "idnumber"]


@admin.register(CourseChange)
class CourseChangeAdmin(ReadOnlyAdmin):
    list_display = ["course_name", "ticket", "approved_by", "approved_at", "applied_at"]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["title", "ticket", "site", "publish_at", "approved_by"]


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["system", "published_at", "announce_due_at", "announced_at", "unit"]


# The addresses the availability probe watches (B.1.8.17.a) are the admins' to list.
@admin.register(ProbedService)
class ProbedServiceAdmin(admin.ModelAdmin[ProbedService]):
    list_display = ["name", "kind", "url", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(Probe)
class ProbeAdmin(ReadOnlyAdmin):
    list_display = ["service", "at", "up", "status", "latency_ms", "error"]
    list_filter = ["service", "up"]


@admin.register(Outage)
class OutageAdmin(ReadOnlyAdmin):
    list_display = ["service", "started_at", "ended_at", "ticket"]
