"""The audit log as people read it: each action in words, each change as
"field: old → new", and the same rows for its export.

The site knows every app, so the words for every action code the services write live
here; a test reads the source for the codes and fails on one without words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.core.models import AuditEvent
from pintu.core.moments import stamp
from pintu.desk.views.history import ACTION_WORDS as TICKET_ACTION_WORDS
from pintu.desk.views.history import HISTORY_WORDS

ACTION_WORDS: dict[str, Promise] = {
    # A ticket's own history already names its actions.
    **TICKET_ACTION_WORDS,
    "user.create": gettext_lazy("Person added"),
    "membership.grant": gettext_lazy("Role given"),
    "twofactor.enrol": gettext_lazy("Second factor set up"),
    "twofactor.recovery_renew": gettext_lazy("New recovery codes"),
    "twofactor.recovery_used": gettext_lazy("Signed in with a recovery code"),
    "twofactor.reset": gettext_lazy("Second factor removed"),
    "closure.add": gettext_lazy("Closure added"),
    "closure.update": gettext_lazy("Closure changed"),
    "closure.delete": gettext_lazy("Closure deleted"),
    "holiday.sync": gettext_lazy("National holiday loaded"),
    "sop.load": gettext_lazy("SOP loaded"),
    "mailbox.add": gettext_lazy("Mailbox added"),
    "mailbox.change": gettext_lazy("Mailbox changed"),
    "inbound.retry": gettext_lazy("Quarantined message processed again"),
    "outbox.retry": gettext_lazy("Outgoing message sent again"),
    "saved_filter.save": gettext_lazy("Queue view saved"),
    "saved_filter.delete": gettext_lazy("Queue view deleted"),
    "api_token.create": gettext_lazy("API token made"),
    "api_token.revoke": gettext_lazy("API token revoked"),
    "digital_account.register": gettext_lazy("Digital-service account registered"),
    "moodle_site.add": gettext_lazy("Moodle site added"),
    "moodle_site.change": gettext_lazy("Moodle site changed"),
    "course_change.approve": gettext_lazy("Course change approved"),
    "course_change.apply": gettext_lazy("Course change applied on Moodle"),
    "announcement.approve": gettext_lazy("Announcement approved"),
    "announcement.post": gettext_lazy("Announcement posted on Moodle"),
    "release.record": gettext_lazy("Release recorded"),
    "release.announce": gettext_lazy("Release announced"),
    "content_item.create": gettext_lazy("Content item planned"),
    "content_item.edit": gettext_lazy("Content item changed"),
    "content_item.reschedule": gettext_lazy("Content item rescheduled"),
    "content_item.move": gettext_lazy("Content item moved"),
    "content_task.add": gettext_lazy("Production task added"),
    "content_task.done": gettext_lazy("Production task done"),
    "content_asset.add": gettext_lazy("Asset added"),
    "content_item.publish": gettext_lazy("Content published"),
    "content_item.metrics": gettext_lazy("Reach and engagement recorded"),
    "schedule.review": gettext_lazy("Schedule reviewed"),
    "activity_report.review": gettext_lazy("Activity report reviewed"),
    "partner.create": gettext_lazy("Partner added"),
    "partner.update": gettext_lazy("Partner changed"),
    "partner_contact.add": gettext_lazy("Partner contact added"),
    "partner_contact.update": gettext_lazy("Partner contact changed"),
    "agreement.create": gettext_lazy("Agreement drafted"),
    "agreement.update": gettext_lazy("Agreement changed"),
    "agreement.status": gettext_lazy("Agreement status changed"),
    "agreement.version": gettext_lazy("Agreement document uploaded"),
    "agreement.remind": gettext_lazy("Reminder sent before the agreement ends"),
    "agreement.import": gettext_lazy("Agreements imported from a spreadsheet"),
    "activity.plan": gettext_lazy("Cooperation activity planned"),
    "activity.coordinate": gettext_lazy("Cooperation activity coordinated"),
    "activity.carry_out": gettext_lazy("Cooperation activity carried out"),
    "activity.archive": gettext_lazy("Cooperation activity report archived"),
    "monitoring.open": gettext_lazy("Monitoring form opened"),
    "monitoring.fill": gettext_lazy("Monitoring form filled in"),
    "survey.send": gettext_lazy("Satisfaction survey sent to the partner"),
    "survey.answer": gettext_lazy("Satisfaction survey answered by the partner"),
    "digital_account.update": gettext_lazy("Digital-service account changed"),
    "digital_account.credential": gettext_lazy("Digital-service credential stored"),
    "digital_account.reveal": gettext_lazy("Digital-service credential viewed"),
    "digital_account.reveal_refused": gettext_lazy("Digital-service credential refused"),
    "digital_account.rekey": gettext_lazy("Digital-service credential sealed under a new key"),
    "access.classify": gettext_lazy("Access request classified"),
    "access.grant": gettext_lazy("Access granted"),
    "access.refuse": gettext_lazy("Access refused"),
    "access.end": gettext_lazy("Access ended"),
    "access.review_open": gettext_lazy("Access review opened"),
    "access.review": gettext_lazy("Access reviewed"),
    "master_data.import": gettext_lazy("Master data imported"),
    "account_request.identify": gettext_lazy("Account request identified"),
    "campus_account.provision": gettext_lazy("Campus account made"),
    "campus_account.change": gettext_lazy("Campus account changed"),
    "campus_account.access": gettext_lazy("Campus account given access to a system"),
    "campus_account.unlock": gettext_lazy("Campus account unlocked"),
    "campus_account.force_change": gettext_lazy("Campus account to choose a new password"),
    "campus_account.schedule_disable": gettext_lazy("Campus account to be disabled"),
    "campus_account.disable": gettext_lazy("Campus account disabled"),
    "campus_account.move": gettext_lazy("Campus account moved aside"),
    "campus_account.signed_in": gettext_lazy("Campus account signed in for the first time"),
    "handover.issue": gettext_lazy("One-time account link sent"),
    "handover.password": gettext_lazy("Password set through a one-time link"),
    "cohort.create": gettext_lazy("Cohort of new students started"),
    "kpi.evidence_upload": gettext_lazy("KPI evidence uploaded"),
    "kpi.evidence_judge": gettext_lazy("KPI evidence judged"),
    "kpi.evaluation_record": gettext_lazy("Service evaluation recorded"),
    "kpi.finding_add": gettext_lazy("Evaluation finding added"),
    "kpi.finding_done": gettext_lazy("Follow-up of a finding done"),
    "reports.point_add": gettext_lazy("Analysis point written"),
    "reports.point_remove": gettext_lazy("Analysis point removed"),
    "reports.follow_up_add": gettext_lazy("Follow-up action planned"),
    "reports.follow_up_close": gettext_lazy("Outcome of a follow-up action recorded"),
    "reports.generate": gettext_lazy("Report version asked for"),
    "reports.generated": gettext_lazy("Report version written"),
    "reports.generate_failed": gettext_lazy("Report version failed"),
    "reports.deliver": gettext_lazy("Report handed in"),
    "reports.remind": gettext_lazy("Report reminder sent"),
    "legal_hold.place": gettext_lazy("Legal hold placed"),
    "legal_hold.lift": gettext_lazy("Legal hold lifted"),
    "retention.propose": gettext_lazy("Records proposed for destruction"),
    "retention.approve": gettext_lazy("Destruction of records approved"),
    "retention.reject": gettext_lazy("Destruction of records rejected"),
    "retention.purge": gettext_lazy("Records archived and destroyed"),
}

# Keys the services write that are not a field of the object (or a field without a
# name of its own); every other key is named by the object's model field.
KEY_WORDS: dict[str, Promise | str] = {
    **HISTORY_WORDS,
    "article": gettext_lazy("message"),
    "sha256": "SHA-256",
    "source": gettext_lazy("source file"),
    "credential": gettext_lazy("credential"),
    "query": gettext_lazy("filter"),
    "attempts": gettext_lazy("attempts"),
    "last_error": gettext_lazy("last error"),
}

# Keys the services write for a field under another name (a closure's days).
FIELD_KEYS = {"from": "start_date", "to": "end_date"}

NOTHING = "—"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class AuditEntry:
    event: AuditEvent
    when: str  # "1 Des 2026 10.58 WIB"
    who: str
    what: str
    changes: tuple[str, ...]  # "status: Baru → Dibuka"


def action_words(action: str) -> str:
    return str(ACTION_WORDS.get(action, action))


def audit_entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        event=event,
        when=stamp(event.at, timezone.get_current_timezone()),
        who=str(event.actor) if event.actor else _("system"),
        what=action_words(event.action),
        changes=change_lines(event),
    )


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):  # a model since removed: keys are shown as written
        return None


def _field(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(FIELD_KEYS.get(key, key))
    except FieldDoesNotExist:
        return None


def _label(model: type[models.Model] | None, key: str) -> str:
    if key in KEY_WORDS:
        return str(KEY_WORDS[key])
    return str(getattr(_field(model, key), "verbose_name", key))


def _order(model: type[models.Model] | None, key: str) -> tuple[int, int, str]:
    """Fields in the model's order, then the other keys: the same order on every
    database (PostgreSQL keeps a JSON object's keys in an order of its own)."""
    field = _field(model, key)
    if model is not None and field in model._meta.fields:
        return 0, model._meta.fields.index(field), key
    if key in KEY_WORDS:
        return 1, list(KEY_WORDS).index(key), key
    return 2, 0, key


def value_words(value: Any, field: Any = None) -> str:
    """A recorded value as a person reads it: a choice by its label, a moment in the
    local time zone, a date in words, yes or no, and "—" for nothing."""
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if getattr(field, "choices", None) and isinstance(value, str | int):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(value_words(item) for item in value)
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return date_format(date.fromisoformat(value), "j M Y")
        try:
            moment = parse_datetime(value)
        except ValueError:  # looks like a moment but is none: show it as written
            moment = None
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return stamp(moment, timezone.get_current_timezone())
    return str(value)


def _lines(
    model: type[models.Model] | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    within: str = "",
) -> Iterator[str]:
    for key in sorted({*before, *after}, key=lambda key: _order(model, key)):
        was, now = before.get(key), after.get(key)
        if key in before and key in after and was == now:
            continue
        # Inside a dict (a ticket's details), keys are the service's own and shown as written.
        label = f"{within} › {key}" if within else _label(model, key)
        if isinstance(was, dict) or isinstance(now, dict):
            yield from _lines(None, was or {}, now or {}, within=label)
            continue
        field = None if within else _field(model, key)
        if key in before and key in after:
            yield f"{label}: {value_words(was, field)} → {value_words(now, field)}"
        else:
            yield f"{label}: {value_words(now if key in after else was, field)}"


def change_lines(event: AuditEvent) -> tuple[str, ...]:
    """What the row records, one line per field: "field: old → new" where it changed,
    "field: value" where only one side was recorded (a creation, a deletion)."""
    return tuple(_lines(_model(event.object_type), event.before or {}, event.after or {}))


# The export's columns' widths in characters, in the order of ``export_header``.
EXPORT_WIDTHS = (20, 24, 16, 28, 18, 40, 16, 10, 10, 60, 40, 40)


def export_header() -> list[str]:
    zone = timezone.get_current_timezone_name()
    return [
        _("When (%(zone)s)") % {"zone": zone},
        _("Who"),
        _("User name"),
        _("What"),
        _("Action code"),
        _("Object"),
        _("Object type"),
        _("Object id"),
        _("Unit"),
        _("Changes"),
        _("Before (as recorded)"),
        _("After (as recorded)"),
    ]


def _recorded(values: dict[str, Any] | None) -> str:
    return "" if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)


def export_row(event: AuditEvent) -> list[Any]:
    """One row of the export: the words of the page, and the row as recorded."""
    return [
        timezone.localtime(event.at).replace(tzinfo=None, microsecond=0),
        str(event.actor) if event.actor else _("system"),
        event.actor.username if event.actor else "",
        action_words(event.action),
        event.action,
        event.object_repr,
        event.object_type,
        event.object_id,
        event.unit.code if event.unit else "",
        "\n".join(change_lines(event)),
        _recorded(event.before),
        _recorded(event.after),
    ]
