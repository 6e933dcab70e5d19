"""The partnership records in the admin site, to read: every change goes through the
services, which audit it."""

from django.contrib import admin

from pintu.core.admin import ReadOnlyAdmin
from pintu.partners.models import (
    Agreement,
    AgreementVersion,
    Assessment,
    Monitoring,
    Partner,
    PartnerContact,
    SatisfactionSurvey,
)


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "level", "country"]
    list_filter = ["kind", "level"]
    search_fields = ["name"]


@admin.register(PartnerContact)
class PartnerContactAdmin(ReadOnlyAdmin):
    list_display = ["name", "partner", "email", "phone", "is_primary"]
    search_fields = ["name", "email", "partner__name"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "title", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "title"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "number", "filename", "uploaded_at", "uploaded_by"]


@admin.register(Monitoring)
class MonitoringAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "year", "updated_at", "updated_by"]
    list_filter = ["year"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["monitoring", "department", "aspect", "met"]
    list_filter = ["aspect", "met"]


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(ReadOnlyAdmin):
    list_display = ["partner", "year", "sent_to", "sent_at", "expires_at", "answered_at"]
    list_filter = ["year"]
    exclude = ["token_digest"]
