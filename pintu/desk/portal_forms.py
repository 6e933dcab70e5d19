"""The requester portal's forms: a request with its service's own fields, a reply, a rating.

They only check and convert what was typed; the desk's services decide and write.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from pintu.desk.filetypes import kinds_of
from pintu.desk.services import Upload, uploads_from_files, validate_upload
from pintu.sop.definition import Field, Service

# Declared fields get this prefix so that no SOP key can clash with subject or body.
FIELD_PREFIX = "field_"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# The kinds of file requesters read instead of a list of extensions.
KIND_WORDS = {
    "pdf": "PDF",
    "image": _("images"),
    "office": _("Office documents"),
    "archive": _("ZIP archives"),
    "audio": _("voice recordings"),
    "video": _("videos"),
    "text": _("text and CSV"),
    "mail": _("e-mails, invitations and signatures"),
}


class AttachmentsField(forms.FileField):
    """Any number of files, each within the size limit and of an allowed type; cleans to
    the list of uploads the desk's services take. Make one per form instance: its help
    reads the settings and the active language when it is made."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        extensions = settings.PINTU_ATTACHMENT_EXTENSIONS
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault(
            "help_text",
            _("Up to %(size)s MB per file. Accepted: %(kinds)s.")
            % {
                "size": settings.PINTU_ATTACHMENT_MAX_BYTES // (1024 * 1024),
                "kinds": ", ".join(str(KIND_WORDS.get(k, k)) for k in kinds_of(extensions)),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(f".{extension}" for extension in extensions)

    def clean(self, data: Any, initial: Any = None) -> list[Upload]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        checked = []
        for file in files:
            if cleaned := super().clean(file, initial):
                checked.append(cleaned)
        uploads = []
        problems: list[ValidationError] = []
        for upload in uploads_from_files(checked):
            try:
                uploads.append(validate_upload(upload))
            except ValidationError as error:
                problems.append(error)
        if problems:
            raise ValidationError(problems)
        return uploads


def limit_length(field: forms.Field) -> None:
    """A message field's limit, ``PINTU_MESSAGE_MAX_CHARS``, read when the form is made:
    the browser stops the typing there and the form says so if it gets more."""
    limit = settings.PINTU_MESSAGE_MAX_CHARS
    assert isinstance(field, forms.CharField)
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def declared_values(form: forms.Form) -> dict[str, str]:
    """The service's fields of a cleaned form as the ticket stores them: text (dates in
    ISO 8601), "" for a field left empty."""
    values: dict[str, str] = {}
    for name, value in form.cleaned_data.items():
        if not name.startswith(FIELD_PREFIX):
            continue
        if value in ("", None):
            text = ""
        elif isinstance(value, Decimal):
            text = format(value.normalize(), "f")
        elif hasattr(value, "isoformat"):
            text = value.isoformat()
        else:
            text = str(value)
        values[name.removeprefix(FIELD_PREFIX)] = text
    return values


def declared_field(field: Field) -> forms.Field:
    """The form field for one field an SOP declares for its service (the types are
    ``FIELD_TYPES`` in pintu.sop.schema)."""
    common: dict[str, Any] = {"label": field.label, "required": field.required}
    if field.type == "choice":
        choices = [("", _("Choose…")), *((choice, choice) for choice in field.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if field.type == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if field.type == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if field.type == "email":
        return forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common)
    if field.type == "number":
        return forms.DecimalField(**common)
    return forms.CharField(max_length=500, **common)


class PortalForm(forms.Form):
    """Labels without a trailing colon; required ones carry the class that stars them."""

    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RequestForm(PortalForm):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=300,
        help_text=_("In a few words, for example: Wi-Fi in lab 3 does not connect."),
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in service.fields:
            self.fields[FIELD_PREFIX + field.key] = declared_field(field)
        # Declared after the service's own fields, so they read in that order.
        self.fields["body"] = forms.CharField(
            label=_("Description"),
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=_("What do you need, and since when? Anything that helps us act quickly."),
        )
        limit_length(self.fields["body"])
        self.fields["attachments"] = AttachmentsField()

    def declared_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(FIELD_PREFIX)]

    def field_values(self) -> dict[str, str]:
        """The service's fields as the ticket stores them: text (dates in ISO 8601)."""
        return {key: text for key, text in declared_values(self).items() if text}


class ReplyForm(PortalForm):
    # A file alone is a message too; the desk refuses one with neither.
    body = forms.CharField(
        label=_("Your message"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_length(self.fields["body"])
        self.fields["attachments"] = AttachmentsField()


class RatingForm(PortalForm):
    SCORES = (
        (1, _("Very poor")),
        (2, _("Poor")),
        (3, _("Fair")),
        (4, _("Good")),
        (5, _("Very good")),
    )

    score = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 stars.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. What went well, what could be better?"),
    )
