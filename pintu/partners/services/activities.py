"""Writes of a cooperation activity, one per step of SOP PR.KS: the plan, the
coordination, the execution and the archived report. The step actions
(``pintu.partners.steps``) call them inside the desk's step transaction; each writes its
audit row there.

A partner's request (service permintaan-mitra, B.1.15.14.c: followed up within a day)
is followed up by planning the activity: that opens the activity's own request
(kegiatan-kerjasama), whose four steps then run on their own clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pintu.desk import services as desk
from pintu.desk.models import Door, Ticket
from pintu.desk.services import Upload
from pintu.org.models import Unit
from pintu.partners import access
from pintu.partners.models import Activity, ActivityFile, Agreement, Partner, Scope
from pintu.partners.services.common import audit, checked_document, require_work
from pintu.sla.calendars import zone_for_unit
from pintu.sop.models import ServiceType

ACTIVITY_SERVICE = "kegiatan-kerjasama"  # the service whose requests carry activities
# What a report may hold: documents, spreadsheets, presentations, photos.
REPORT_EXTENSIONS = ("pdf", "docx", "doc", "xlsx", "xls", "pptx", "png", "jpg", "jpeg")


def activity_service() -> ServiceType:
    """The current revision's service type of cooperation activities."""
    return ServiceType.objects.select_related("sop__unit").get(
        sop__code=access.SOP, sop__is_current=True, key=ACTIVITY_SERVICE
    )


def _scope_flags(scopes: Iterable[str], agreement: Agreement | None) -> dict[str, bool]:
    """The tridharma flags; without a choice, the agreement's scope."""
    chosen = set(scopes)
    if not chosen and agreement is not None:
        chosen = {scope.value for scope in agreement.scopes}
    return {scope.value: scope.value in chosen for scope in Scope}


def _local_day(now: datetime) -> date:
    return timezone.localdate(now, zone_for_unit(access.partnership_unit()))


def activity_plan(
    *,
    actor: Any,
    ticket: Ticket,
    title: str,
    partner: Partner,
    agreement: Agreement | None,
    units: Iterable[Unit],
    scopes: Iterable[str],
    planned_start: date,
    planned_end: date | None,
    agenda: str,
    meetings: str = "",
    now: datetime,
) -> Activity:
    """Step 1: the activity's plan, kept on the activity its request carries (made now,
    or changed when the plan is made again)."""
    require_work(actor)
    if not agenda.strip():
        raise ValidationError(_("Write the agenda of the activity."))
    if planned_end is not None and planned_end < planned_start:
        raise ValidationError({"planned_end": _("The plan ends before it starts.")})
    if agreement is not None and not agreement.partners.filter(pk=partner.pk).exists():
        raise ValidationError({"agreement": _("The partner is no party to this agreement.")})
    activity = Activity.objects.filter(ticket=ticket).first() or Activity(ticket=ticket)
    created = activity.pk is None
    activity.title = title.strip()[:300]
    activity.partner = partner
    activity.agreement = agreement
    activity.planned_start, activity.planned_end = planned_start, planned_end
    activity.agenda, activity.meetings = agenda.strip(), meetings.strip()
    activity.planned_at = now
    for name, value in _scope_flags(scopes, agreement).items():
        setattr(activity, name, value)
    activity.full_clean(exclude=["ticket"])
    activity.save()
    activity.units.set(list(units))
    audit(
        actor,
        "activity.plan",
        activity,
        after={
            "ticket": ticket.reference,
            "title": activity.title,
            "partner": str(partner),
            "agreement": str(agreement) if agreement else None,
            "planned_start": planned_start.isoformat(),
            "units": sorted(unit.code for unit in activity.units.all()),
            "created": created,
        },
    )
    return activity


def plan_words(activity: Activity) -> str:
    """The plan as the requester reads it."""
    when = date_format(activity.planned_start, "j F Y")
    if activity.planned_end and activity.planned_end != activity.planned_start:
        when = f"{when} – {date_format(activity.planned_end, 'j F Y')}"
    lines = [
        _("Activity plan: %(title)s, with %(partner)s.")
        % {
            "title": activity.title,
            "partner": activity.partner,
        },
        _("When: %(when)s.") % {"when": when},
        _("Agenda: %(agenda)s") % {"agenda": activity.agenda},
    ]
    if activity.meetings:
        lines.append(_("Meetings: %(meetings)s") % {"meetings": activity.meetings})
    return "\n".join(lines)


def _follow_up_door(request: Ticket) -> str:
    """The door the activity's request is answered through: the partner's own, except
    that nobody walks in or calls for a request staff open; then their address."""
    if request.door not in (Door.WALK_IN, Door.PHONE):
        return request.door
    who = request.contact or request.requester
    if who is not None and getattr(who, "email", None):
        return Door.EMAIL
    if who is not None and getattr(who, "phone", None):
        return Door.WHATSAPP
    return Door.WEB


def activity_open_for_request(
    *,
    actor: Any,
    request: Ticket,
    plan: Mapping[str, Any],
    complete: Any,
    now: datetime,
) -> Ticket:
    """Follow up a partner's request by planning its activity: the activity's request,
    for the same requester by the same door, whose plan step ``complete`` (the desk's
    step service, given the step) then completes with ``plan``. Nobody is sent an
    acknowledgement of a request they did not send; the plan itself tells them."""
    require_work(actor)
    partner = plan["partner"]
    requester = request.contact or request.requester
    if requester is None:
        raise ValidationError(_("The request has no requester to plan the activity with."))
    created = desk.ticket_create(
        actor=actor,
        service_type=activity_service(),
        requester=requester,
        opening=desk.Opening(
            subject=plan["title"],
            body=_("Follows up %(reference)s: %(subject)s")
            % {"reference": request.reference, "subject": request.subject},
        ),
        door=_follow_up_door(request),
        fields={
            "mitra": str(partner),
            "unit_kerja": ", ".join(unit.code for unit in plan["units"]),
            "uraian": plan["agenda"],
        },
        acknowledge_receipt=False,
        now=now,
    )
    ticket = created.ticket
    complete(ticket.steps.get(activity__key="rencana-kegiatan"))
    Activity.objects.filter(ticket=ticket).update(request=request)
    return ticket


def _activity_for(ticket: Ticket) -> Activity:
    activity = Activity.objects.filter(ticket=ticket).first()
    if activity is None:
        raise ValidationError(_("Plan the activity first."))
    return activity


def activity_coordinate(
    *, actor: Any, ticket: Ticket, partner_notes: str, unit_notes: str, now: datetime
) -> Activity:
    """Step 2: what was agreed with the partner and with the units involved."""
    require_work(actor)
    activity = _activity_for(ticket)
    if not (partner_notes.strip() or unit_notes.strip()):
        raise ValidationError(_("Write what was agreed with the partner or the units."))
    activity.partner_notes, activity.unit_notes = partner_notes.strip(), unit_notes.strip()
    activity.coordinated_at = now
    activity.save(update_fields=["partner_notes", "unit_notes", "coordinated_at"])
    audit(actor, "activity.coordinate", activity, after={"ticket": ticket.reference})
    return activity


def activity_record(
    *,
    actor: Any,
    ticket: Ticket,
    kind: str,
    held_on: date,
    held_until: date | None,
    place: str,
    link: str,
    attendees: str,
    attendee_count: int | None,
    outputs: str,
    units: Sequence[Unit],
    now: datetime,
) -> Activity:
    """Step 3: the activity as it took place with the partner. It counts for B.1.15.7
    and B.1.15.12 in the year it was held, for the units it names."""
    require_work(actor)
    activity = _activity_for(ticket)
    if held_on > _local_day(now):
        raise ValidationError(_("An activity is recorded once it has taken place."))
    if not (place.strip() or link.strip()):
        raise ValidationError({"place": _("Give the place, or the link of a meeting online.")})
    if held_until is not None and held_until < held_on:
        raise ValidationError({"held_until": _("The activity ends before it starts.")})
    if not units:
        raise ValidationError(_("Name the departments or study programmes involved."))
    activity.kind = kind
    activity.held_on, activity.held_until = held_on, held_until
    activity.place, activity.link = place.strip(), link.strip()
    activity.attendees, activity.attendee_count = attendees.strip(), attendee_count
    activity.outputs = outputs.strip()
    activity.carried_out_at = now
    activity.full_clean(exclude=["ticket"])
    activity.save()
    activity.units.set(list(units))
    audit(
        actor,
        "activity.carry_out",
        activity,
        after={
            "ticket": ticket.reference,
            "kind": kind,
            "held_on": held_on.isoformat(),
            "units": sorted(unit.code for unit in units),
        },
    )
    return activity


def activity_archive(
    *, actor: Any, ticket: Ticket, report: str, uploads: Sequence[Upload], now: datetime
) -> Activity:
    """Step 4: the report and its files, archived as a record for the LED."""
    require_work(actor)
    activity = _activity_for(ticket)
    if activity.carried_out_at is None:
        raise ValidationError(_("Record how the activity took place first."))
    if not report.strip():
        raise ValidationError(_("Write the report."))
    if not uploads:
        raise ValidationError(_("Attach at least one file of the report."))
    names = []
    for upload in uploads:
        checked, digest = checked_document(upload, REPORT_EXTENSIONS)
        kept = ActivityFile(
            activity=activity,
            filename=checked.name,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=digest,
            uploaded_at=now,
            uploaded_by=actor,
        )
        kept.file.save(checked.name, ContentFile(checked.data), save=False)
        kept.save()
        names.append(checked.name)
    activity.report = report.strip()
    activity.archived_at = now
    activity.save(update_fields=["report", "archived_at"])
    audit(actor, "activity.archive", activity, after={"ticket": ticket.reference, "files": names})
    return activity
