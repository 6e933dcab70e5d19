"""A ticket's history in words: its audit rows and the SLA sweep's warnings and
escalations, newest first, each with what changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.core.audit import changes
from pintu.core.models import AuditEvent
from pintu.desk.models import Door, Status, Ticket, TicketEvent
from pintu.desk.views.common import when

ACTION_WORDS = {
    "ticket.create": gettext_lazy("Request received"),
    "ticket.message": gettext_lazy("Message from the requester"),
    "ticket.reply": gettext_lazy("Public reply"),
    "ticket.note": gettext_lazy("Internal note"),
    "ticket.status": gettext_lazy("Status changed"),
    "ticket.assign": gettext_lazy("Assigned"),
    "ticket.step": gettext_lazy("Step completed"),
    "ticket.merge": gettext_lazy("Merged"),
    "ticket.split": gettext_lazy("Split"),
    "ticket.rate": gettext_lazy("Rated"),
    "ticket.fields": gettext_lazy("Details changed"),
    "ticket.answered": gettext_lazy("Answered in person"),
}
# Keys of an audit row that name things already shown by the row itself.
HISTORY_HIDDEN = {"activity", "article", "reference", "unit"}
HISTORY_WORDS = {
    "entered_at": gettext_lazy("entered"),
    "step": gettext_lazy("step"),
    "output": gettext_lazy("output"),
    "branch": gettext_lazy("branch"),
    "elapsed_minutes": gettext_lazy("working minutes"),
    "within_standard": gettext_lazy("within the time standard"),
    "into": gettext_lazy("into"),
    "articles": gettext_lazy("messages"),
}
DEADLINE_WORDS = {
    "first_response": gettext_lazy("first response"),
    "resolution": gettext_lazy("resolution"),
}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str
    details: tuple[str, ...]


def _value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if key == "status" and value in Status.values:
        return str(Status(value).label)
    if key == "door" and value in Door.values:
        return str(Door(value).label)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and (moment := parse_datetime(value)) is not None:
        return when(moment)
    return str(value)


def _label(key: str) -> str:
    if key in HISTORY_WORDS:
        return str(HISTORY_WORDS[key])
    try:
        field = Ticket._meta.get_field(key)
    except FieldDoesNotExist:  # a key that is not a ticket field: show it as written
        return key
    return str(getattr(field, "verbose_name", key))


def _field_details(event: AuditEvent, labels: Mapping[str, str]) -> tuple[str, ...]:
    """The service's own fields that changed, under their labels in the SOP."""
    before = (event.before or {}).get("fields") or {}
    after = (event.after or {}).get("fields") or {}
    order = {key: position for position, key in enumerate(labels)}
    keys = sorted({*before, *after}, key=lambda key: (order.get(key, len(order)), key))
    return tuple(
        f"{labels.get(key, key)}: {_value(key, before.get(key))} → {_value(key, after.get(key))}"
        for key in keys
    )


def _audit_details(event: AuditEvent, labels: Mapping[str, str]) -> tuple[str, ...]:
    if event.action == "ticket.fields":
        return _field_details(event, labels)
    after = event.after or {}
    before, after = changes(event.before, after) if event.before else ({}, after)
    details = []
    for key, value in after.items():
        if key in HISTORY_HIDDEN or (key not in before and value in (None, "")):
            continue
        shown = _value(key, value)
        if key in before:
            shown = f"{_value(key, before[key])} → {shown}"
        details.append(f"{_label(key)}: {shown}")
    return tuple(details)


def history(
    events: list[AuditEvent], deadlines: list[TicketEvent], labels: Mapping[str, str]
) -> list[HistoryEntry]:
    """``labels`` names the service's own fields (key → label in the SOP)."""
    entries = [
        HistoryEntry(
            at=event.at,
            who=str(event.actor) if event.actor else _("system"),
            what=str(ACTION_WORDS.get(event.action, event.action)),
            details=_audit_details(event, labels),
        )
        for event in events
    ]
    entries += [
        HistoryEntry(
            at=event.at,
            who=_("system"),
            what=event.get_kind_display(),
            details=(
                _("%(deadline)s due %(due)s")
                % {
                    "deadline": DEADLINE_WORDS.get(event.deadline, event.deadline),
                    "due": when(event.due_at),
                },
                *(
                    [_("sent to %(person)s") % {"person": event.recipient}]
                    if event.recipient
                    else []
                ),
            ),
        )
        for event in deadlines
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
