"""Forms of the staff workspace: they check what was typed; the services do the rest."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pintu.desk.models import Article, Door, Status
from pintu.desk.portal_forms import (
    FIELD_PREFIX,
    AttachmentsField,
    declared_field,
    declared_values,
    limit_length,
)
from pintu.org.models import User
from pintu.sop.definition import Branch, Service
from pintu.sop.models import ServiceType


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Public reply"), strip=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    status = forms.ChoiceField(
        label=_("After sending"),
        required=False,
        choices=[
            ("", _("Keep the status")),
            (Status.WAITING_REQUESTER, _("Wait for the requester")),
            (Status.RESOLVED, _("Mark as resolved")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reply-%s")  # the note form on the same page has a body too
        super().__init__(*args, **kwargs)
        limit_length(self.fields["body"])


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"), strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)
        limit_length(self.fields["body"])


class AssignForm(forms.Form):
    assignee = PersonChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args: Any, allowed: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(allowed)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose…")),
            *((value, label) for value, label in Status.choices if value in allowed),
        ]


class StepForm(forms.Form):
    """Completes the step in progress: its output and, where the SOP branches, the way on."""

    step = forms.IntegerField(widget=forms.HiddenInput)
    output = forms.CharField(
        label=_("Output"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    branch = forms.ChoiceField(label=_("What happens next"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, branches: Sequence[Branch] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if branches:
            self.fields["branch"].choices = [  # type: ignore[attr-defined]
                (branch.to, branch.when) for branch in branches
            ]
        else:
            del self.fields["branch"]


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into request"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "SI-26-00042", "autocomplete": "off"}),
    )


class SplitForm(forms.Form):
    articles = forms.TypedMultipleChoiceField(
        label=_("Messages"),
        coerce=int,
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Choose the messages to split off.")},
    )
    subject = forms.CharField(label=_("Subject of the new request"), max_length=300)

    def __init__(self, *args: Any, articles: Iterable[Article] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["articles"].choices = [  # type: ignore[attr-defined]
            (article.pk, article.pk) for article in articles
        ]


class BulkForm(forms.Form):
    ASSIGN = "assign"
    CLOSE = "close"
    NOBODY = "none"  # the assignee choice that unassigns

    action = forms.ChoiceField(choices=[(ASSIGN, _("Assign")), (CLOSE, _("Close"))])
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    tickets = forms.MultipleChoiceField(
        error_messages={"required": _("Select at least one request.")},
    )
    # Closing asks first: staff.js in the page, else a page of its own; either sends this.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, people: Iterable[User], references: Iterable[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Assign to…")),
            (self.NOBODY, _("Nobody (unassign)")),
            *((pk, str(person)) for pk, person in self.people.items()),
        ]
        self.fields["tickets"].choices = [  # type: ignore[attr-defined]
            (reference, reference) for reference in references
        ]

    def clean(self) -> dict[str, Any]:
        """``assignee`` becomes the person (or None) and ``unassign`` says which."""
        data = super().clean() or {}
        chosen = data.get("assignee", "")
        data["unassign"] = chosen == self.NOBODY
        data["assignee"] = self.people.get(chosen)
        if data.get("action") == self.ASSIGN and not chosen:
            self.add_error("assignee", _("Choose whom to assign the requests to."))
        return data


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of this view"), max_length=100)


def _service_fields(form: forms.Form, service: Service) -> None:
    """Add the service's own fields, none required: staff may fill them in later."""
    for declared in service.fields:
        field = declared_field(declared)
        field.required = False
        form.fields[FIELD_PREFIX + declared.key] = field


class FieldsForm(forms.Form):
    """The service's own fields of a ticket, filled in or corrected by staff."""

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "fields-%s")
        kwargs.setdefault("label_suffix", "")
        initial = kwargs.pop("initial", None) or {}
        kwargs["initial"] = {FIELD_PREFIX + key: value for key, value in initial.items()}
        super().__init__(*args, **kwargs)
        _service_fields(self, service)

    def field_values(self) -> dict[str, str]:
        return declared_values(self)


def normalise_phone(raw: str) -> str:
    """A WhatsApp number as the doors store it: digits only, country code first (a
    leading 0 is Indonesia's trunk prefix, so 0812… becomes 62812…)."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


class ServiceTypeChoiceField(forms.ModelChoiceField[ServiceType]):
    def label_from_instance(self, obj: ServiceType) -> str:
        return f"{obj.sop.unit.code} · {obj.name}"


class IntakeForm(forms.Form):
    """A request a staff member takes at the counter, on the phone, or copies in from an
    e-mail or a WhatsApp message: for a known person or an outside contact."""

    PERSON = "person"
    CONTACT = "contact"
    DOORS = (Door.WALK_IN, Door.PHONE, Door.EMAIL, Door.WHATSAPP)

    required_css_class = "required"

    service = ServiceTypeChoiceField(
        label=_("Service"), queryset=ServiceType.objects.none(), empty_label=None
    )
    door = forms.ChoiceField(
        label=_("Came in by"),
        choices=[(door.value, door.label) for door in DOORS],
        initial=Door.WALK_IN,
        widget=forms.RadioSelect,
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the requester came, called or wrote; the clock starts then."),
    )
    answered_in_person = forms.BooleanField(
        label=_("Already answered in person"),
        required=False,
        help_text=_(
            "Tick when you answered at the counter or on the phone: that answer is the "
            "first response, so the request is not late for it."
        ),
    )
    answered_at = forms.DateTimeField(
        label=_("Answered at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    requester_kind = forms.ChoiceField(
        label=_("Requester"),
        choices=[(PERSON, _("A person with an account")), (CONTACT, _("An outside contact"))],
        initial=PERSON,
        widget=forms.RadioSelect,
    )
    person_query = forms.CharField(
        label=_("Find the person"),
        required=False,
        max_length=100,
        help_text=_("Username, name, e-mail or WhatsApp number."),
    )
    person = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True), required=False, widget=forms.HiddenInput
    )
    contact_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = forms.CharField(
        label=_("WhatsApp number"),
        required=False,
        max_length=24,
        help_text=_("For example 0812 3456 7890 or +62 812 3456 7890."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the requester asked for, in their words where possible."),
    )

    def __init__(self, *args: Any, service_types: QuerySet[ServiceType], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        field.queryset = service_types  # type: ignore[attr-defined]
        self.service_type = self._chosen_service(service_types)
        self.declared: Service | None = None
        if self.service_type is not None:
            self.declared = self.service_type.definition()
            _service_fields(self, self.declared)
        limit_length(self.fields["body"])
        self.fields["attachments"] = AttachmentsField()

    def _chosen_service(self, service_types: QuerySet[ServiceType]) -> ServiceType | None:
        """The service whose fields the form shows: the one chosen, else the first."""
        raw = self.data.get("service") if self.is_bound else self.initial.get("service")
        chosen = str(getattr(raw, "pk", raw) or "")
        types = list(service_types)
        return next((t for t in types if str(t.pk) == chosen), types[0] if types else None)

    def declared_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(FIELD_PREFIX)]

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data.get("contact_phone", "")
        phone = normalise_phone(raw)
        if raw.strip() and not 8 <= len(phone) <= 15:
            raise forms.ValidationError(_("Write the number with 8 to 15 digits."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("requester_kind") == self.PERSON:
            person = data.get("person")
            if person is None:
                self.add_error("person_query", _("Find the person and choose them."))
            email = person.email if person else ""
            phone = person.phone if person else ""
        else:
            email = data.get("contact_email", "")
            phone = data.get("contact_phone", "")
            if not (data.get("contact_name", "").strip() or email or phone):
                self.add_error(
                    "contact_name", _("Give at least a name, an e-mail or a WhatsApp number.")
                )
        door = data.get("door")
        if data.get("answered_in_person"):
            if door not in (Door.WALK_IN, Door.PHONE):
                self.add_error(
                    "answered_in_person",
                    _("Only a walk-in or phone request is answered in person."),
                )
            if data.get("answered_at") is None:
                self.add_error("answered_at", _("When did you answer?"))
            elif data.get("received_at") and data["answered_at"] < data["received_at"]:
                self.add_error("answered_at", _("The answer cannot come before the request."))
        if door == Door.EMAIL and not email and "requester_kind" in data:
            self.add_error("door", _("An e-mail request needs the requester's e-mail address."))
        if door == Door.WHATSAPP and not phone and "requester_kind" in data:
            self.add_error("door", _("A WhatsApp request needs the requester's number."))
        return data

    def field_values(self) -> dict[str, str]:
        """The service's fields that were filled in."""
        return {key: value for key, value in declared_values(self).items() if value}
