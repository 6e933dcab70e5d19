"""The outbox for admins: every message, why it failed, and a way to send it again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pintu.outbox.models import OutboundMessage
from pintu.outbox.services import message_retry


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin[OutboundMessage]):
    list_display = [
        "created_at",
        "door",
        "purpose",
        "recipient",
        "ticket",
        "status",
        "attempts",
        "next_attempt_at",
    ]
    list_filter = ["status", "door", "purpose"]
    search_fields = ["recipient", "external_id", "ticket__reference", "subject"]
    list_select_related = ["ticket"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]
    actions = ["send_again"]

    # Rows are written by services and the worker; here they are read, and retried
    # through the same audited service the ticket page uses.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the selected failed messages again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        retried = skipped = 0
        for message in queryset.filter(
            status__in=[OutboundMessage.Status.DEAD, OutboundMessage.Status.FAILED]
        ):
            try:
                message_retry(actor=request.user, message=message)
            except (PermissionDenied, ValidationError):
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
                    "%(count)d message was left alone: it has not failed, or it belongs "
                    "to a unit you do not work in.",
                    "%(count)d messages were left alone: they have not failed, or they "
                    "belong to a unit you do not work in.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
