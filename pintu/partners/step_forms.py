"""The forms of PR.KS's four steps, shown in the request's step panel (see
``pintu.partners.steps``). Each starts from what is known already, the request's own
details or what the step before recorded, so that staff check rather than retype."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pintu.desk.portal_forms import AttachmentsField
from pintu.org.models import Unit
from pintu.partners.forms import DATE, Form, UnitsField
from pintu.partners.models import Activity, Agreement, Partner, PartnerContact, Scope
from pintu.sla.calendars import zone_for_unit


def activity_of(step: Any) -> Activity | None:
    return Activity.objects.filter(ticket=step.ticket).first()


def partner_of(ticket: Any) -> Partner | None:
    """The partner a request names (its "mitra" detail), else the one its requester
    is a contact of."""
    named = str(ticket.fields.get("mitra", "")).strip()
    if named and (partner := Partner.objects.filter(name__iexact=named).first()):
        return partner
    contact = ticket.contact
    addresses = Q()
    if contact is not None and contact.email:
        addresses |= Q(email__iexact=contact.email)
    if contact is not None and contact.phone:
        addresses |= Q(phone=contact.phone)
    if not addresses:
        return None
    known = PartnerContact.objects.filter(addresses).select_related("partner").first()
    return known.partner if known else None


def units_named(text: str) -> list[Unit]:
    """The departments and programmes a request's "unit_kerja" names, by code or name."""
    found = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        unit = (
            Unit.objects.filter(kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.STUDY_PROGRAMME])
            .filter(Q(code__iexact=part) | Q(name__iexact=part))
            .first()
        )
        if unit is not None:
            found.append(unit)
    return found


def _step_day(step: Any) -> Any:
    moment = step.started_at or timezone.now()
    return timezone.localtime(moment, zone_for_unit(step.ticket.unit)).date()


class StepForm(Form):
    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        self.step = step
        super().__init__(*args, **kwargs)


class PlanForm(StepForm):
    """Step 1, "mempersiapkan rencana kegiatan": what, with whom, when and how."""

    legend = _("The activity's plan")

    title = forms.CharField(label=_("Activity"), max_length=300)
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(), label=_("Partner"), required=False
    )
    # A partner the request names that the register does not know yet is added with it.
    new_partner = forms.CharField(
        label=_("Or a partner new to the register"), max_length=200, required=False
    )
    new_partner_kind = forms.ChoiceField(
        label=_("Its kind"),
        choices=Partner.Kind.choices,
        initial=Partner.Kind.OTHER,
        required=False,
    )
    new_partner_level = forms.ChoiceField(
        label=_("Its level"),
        choices=Partner.Level.choices,
        initial=Partner.Level.NATIONAL,
        required=False,
    )
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.filter(status=Agreement.Status.SIGNED),
        label=_("Under the agreement"),
        required=False,
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scope (tridharma)"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    planned_start = forms.DateField(label=_("Planned from"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned until"), widget=DATE, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}))
    meetings = forms.CharField(
        label=_("Meetings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The meetings that prepare it: when, where, with whom."),
    )
    notify = forms.BooleanField(
        label=_("Send the plan to the requester"), required=False, initial=True
    )

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        ticket = step.ticket
        activity = activity_of(step)
        partner = activity.partner if activity else partner_of(ticket)
        named = str(ticket.fields.get("mitra", "")).strip()
        initial = {
            "title": activity.title if activity else ticket.subject,
            "partner": partner,
            "new_partner": "" if partner else named,
            "agreement": activity.agreement if activity else None,
            "units": list(activity.units.all())
            if activity
            else units_named(str(ticket.fields.get("unit_kerja", ""))),
            "planned_start": _step_day(step) + timedelta(days=7),
            "agenda": ticket.fields.get("uraian", "") or ticket.subject,
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, step=step, **kwargs)
        self.fields["units"] = UnitsField()
        # The field order of the page: the units after the agreement.
        self.order_fields(["title", "partner", "agreement", "units", "scopes"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        partner = data.get("partner")
        if partner is None and data.get("new_partner", "").strip():
            # Named again: the partner the register has under that name.
            partner = Partner.objects.filter(name__iexact=data["new_partner"].strip()).first()
            data["partner"] = partner
        if partner is None and not data.get("new_partner", "").strip():
            self.add_error("partner", _("Choose the partner, or name one new to the register."))
        return data


class CoordinationForm(StepForm):
    """Step 2, "koordinasi pelaksanaan kegiatan Kerjasama dengan mitra dan unit internal
    terkait": what was agreed with each."""

    legend = _("Coordination with the partner and the units")

    partner_notes = forms.CharField(
        label=_("With the partner"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit_notes = forms.CharField(
        label=_("With the units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The departments, study programmes and other units involved."),
    )

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        activity = activity_of(step)
        if activity is not None:
            kwargs.setdefault("initial", {"partner_notes": activity.meetings})
        super().__init__(*args, step=step, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("partner_notes", "").strip() or data.get("unit_notes", "").strip()):
            raise ValidationError(_("Write what was agreed with the partner or the units."))
        return data


class ExecutionForm(StepForm):
    """Step 3, "Unit Kerja, melaksanakan kegiatan dengan mitra": what took place."""

    legend = _("The activity as it took place")

    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    held_until = forms.DateField(label=_("Held until"), widget=DATE, required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Link"), required=False, assume_scheme="https", help_text=_("For a meeting online.")
    )
    attendees = forms.CharField(
        label=_("Attendees"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who took part, the partner's people too."),
    )
    attendee_count = forms.IntegerField(label=_("Number of attendees"), min_value=1, required=False)
    outputs = forms.CharField(label=_("Outputs"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        activity = activity_of(step)
        if activity is not None:
            kwargs.setdefault(
                "initial",
                {"held_on": activity.planned_start, "units": list(activity.units.all())},
            )
        super().__init__(*args, step=step, **kwargs)
        self.fields["units"] = UnitsField(
            required=True,
            help_text=_("B.1.15.7 and B.1.15.12 count the departments and programmes named."),
        )


class ReportForm(StepForm):
    """Step 4, "mengarsipkan laporan Kerjasama": the report and its files, for the LED."""

    legend = _("The report, archived for the LED")

    report = forms.CharField(
        label=_("Report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done and achieved, in a few lines; the LED quotes it."),
    )

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        activity = activity_of(step)
        if activity is not None:
            kwargs.setdefault("initial", {"report": activity.outputs})
        super().__init__(*args, step=step, **kwargs)
        self.fields["files"] = AttachmentsField(
            label=_("Report files (minutes, attendance list, photos)"), required=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "files" in data and not data["files"]:
            self.add_error("files", _("Attach at least one file of the report."))
        return data
