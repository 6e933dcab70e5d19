"""The outbox for admins: every message and job, why it failed, and a way to send it
again (through the same audited service the ticket page uses)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pintu.outbox.models import OutboxItem
from pintu.outbox.services import item_retry


@admin.register(OutboxItem)
class OutboxItemAdmin(admin.ModelAdmin[OutboxItem]):
    list_display = [
        "created_at",
        "transport",
        "purpose",
        "recipient",
        "cause",
        "status",
        "attempts",
        "next_attempt_at",
    ]
    list_filter = ["status", "transport", "purpose"]
    search_fields = ["recipient", "external_id", "idempotency_key", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxItem._meta.fields]
    actions = ["send_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxItem]:
        # One query per kind of cause, not one per row.
        return super().get_queryset(request).prefetch_related("cause")

    # Rows are written by services and the worker; here they are read, and retried
    # through the same audited service the ticket page uses.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the selected failed messages again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxItem]) -> None:
        retried = skipped = 0
        for message in queryset.filter(
            status__in=[OutboxItem.Status.DEAD, OutboxItem.Status.FAILED]
        ):
            try:
                item_retry(
                    actor=request.user, item=message, unit=getattr(message.cause, "unit", None)
                )
            except ValidationError:
                skipped += 1
            else:
                retried += 1
        skipped += queryset.count() - retried - skipped
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message will be sent again.",
                    "%(count)d messages will be sent again.",
                    retried,
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was left alone: it has not failed.",
                    "%(count)d messages were left alone: they have not failed.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
