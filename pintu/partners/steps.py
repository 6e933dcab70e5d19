"""The step actions of SOP PR.KS (found by the desk when it loads): each of its four
activities records its part of a cooperation activity.

- rencana-kegiatan, "Staf Humas dan Kerjasama, mempersiapkan rencana kegiatan": the plan.
  On a partner's request (permintaan-mitra) the plan is its follow-up (B.1.15.14.c): it
  opens the activity's own request, whose plan step it completes.
- koordinasi, "Sub Koordinator ... melakukan koordinasi ... dengan mitra dan unit
  internal terkait": what was agreed with each.
- pelaksanaan, "Unit Kerja, melaksanakan kegiatan dengan mitra": what took place.
- arsip-laporan, "Staf Humas dan Kerjasama, mengarsipkan laporan Kerjasama": the report
  and its files, "sebagai salah satu data untuk Laporan Evaluasi Diri (LED)".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pintu.desk import services as desk
from pintu.desk.actions import PREFIX, Outcome, StepAction, register
from pintu.partners import access
from pintu.partners.models import Partner
from pintu.partners.services import activities
from pintu.partners.services import register as partner_register
from pintu.partners.step_forms import CoordinationForm, ExecutionForm, PlanForm, ReportForm

TEMPLATE = "partners/_step_form.html"


def posted(data: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned values as the step panel posts them, to complete a step of another
    request with the same form."""
    form: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, list | tuple | models.QuerySet):
            value = [item.pk if isinstance(item, models.Model) else item for item in value]
        elif isinstance(value, date):
            value = value.isoformat()
        elif value is None or value is False:
            continue
        form[f"{PREFIX}-{name}"] = value
    return form


def _plan_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "partner": data["partner"],
        "agreement": data["agreement"],
        "units": data["units"],
        "scopes": data["scopes"],
        "planned_start": data["planned_start"],
        "planned_end": data["planned_end"],
        "agenda": data["agenda"],
        "meetings": data["meetings"],
    }


def _with_partner(actor: Any, data: Mapping[str, Any], now: Any) -> dict[str, Any]:
    """The plan's values with its partner, added to the register when it is new."""
    values = dict(data)
    if values["partner"] is None:
        values["partner"] = partner_register.partner_create(
            actor=actor,
            name=values["new_partner"].strip(),
            kind=values["new_partner_kind"] or Partner.Kind.OTHER,
            level=values["new_partner_level"] or Partner.Level.NATIONAL,
            now=now,
        )
    values["new_partner"] = ""
    return values


def plan(*, actor: Any, step: Any, data: Mapping[str, Any], now: Any) -> Outcome:
    ticket = step.ticket
    data = _with_partner(actor, data, now)
    if ticket.service_type.key != activities.ACTIVITY_SERVICE:
        opened = activities.activity_open_for_request(
            actor=actor,
            request=ticket,
            plan=data,
            complete=lambda plan_step: desk.ticket_complete_step(
                actor=actor, step=plan_step, data=posted(data), now=now
            ),
            now=now,
        )
        return Outcome(
            output=_("Followed up: the activity %(reference)s is planned.")
            % {"reference": opened.reference}
        )
    activity = activities.activity_plan(actor=actor, ticket=ticket, now=now, **_plan_values(data))
    if data["notify"]:
        desk.ticket_reply(actor=actor, ticket=ticket, body=activities.plan_words(activity), now=now)
    return Outcome(
        output=_("Planned: %(title)s, from %(date)s.")
        % {"title": activity.title, "date": date_format(activity.planned_start, "j M Y")}
    )


def coordinate(*, actor: Any, step: Any, data: Mapping[str, Any], now: Any) -> Outcome:
    activities.activity_coordinate(
        actor=actor,
        ticket=step.ticket,
        partner_notes=data["partner_notes"],
        unit_notes=data["unit_notes"],
        now=now,
    )
    return Outcome(output=_("Coordination with the partner and the units recorded."))


def carry_out(*, actor: Any, step: Any, data: Mapping[str, Any], now: Any) -> Outcome:
    activity = activities.activity_record(
        actor=actor,
        ticket=step.ticket,
        kind=data["kind"],
        held_on=data["held_on"],
        held_until=data["held_until"],
        place=data["place"],
        link=data["link"],
        attendees=data["attendees"],
        attendee_count=data["attendee_count"],
        outputs=data["outputs"],
        units=list(data["units"]),
        now=now,
    )
    return Outcome(
        output=_("%(kind)s held on %(date)s.")
        % {"kind": activity.get_kind_display(), "date": date_format(data["held_on"], "j M Y")}
    )


def archive(*, actor: Any, step: Any, data: Mapping[str, Any], now: Any) -> Outcome:
    activities.activity_archive(
        actor=actor, ticket=step.ticket, report=data["report"], uploads=data["files"], now=now
    )
    count = len(data["files"])
    words = ngettext(
        "Report archived with %(count)s file.", "Report archived with %(count)s files.", count
    )
    return Outcome(output=words % {"count": count})


for activity_key, form, perform, label in (
    ("rencana-kegiatan", PlanForm, plan, gettext_lazy("Save the plan")),
    ("koordinasi", CoordinationForm, coordinate, gettext_lazy("Record the coordination")),
    ("pelaksanaan", ExecutionForm, carry_out, gettext_lazy("Record the activity")),
    ("arsip-laporan", ReportForm, archive, gettext_lazy("Archive the report")),
):
    register(
        StepAction(
            sop=access.SOP,
            activity=activity_key,
            form=form,
            template=TEMPLATE,
            perform=perform,
            label=label,
        )
    )
