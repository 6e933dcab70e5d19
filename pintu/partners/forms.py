"""The register's forms: a partner, a contact, an agreement, its status move and a new
version of its document, and the lists' filters. They check and convert; the services
decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pintu.desk.services import Upload, uploads_from_files
from pintu.org.models import Unit
from pintu.partners.lifecycle import Stage, State
from pintu.partners.models import Agreement, Partner, PartnerContact, Scope
from pintu.partners.services.register import DOCUMENT_EXTENSIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Form(forms.Form):
    """Labels without a trailing colon; required ones carry the class that stars them."""

    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ModelForm(forms.ModelForm[Any]):
    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class UnitsField(forms.ModelMultipleChoiceField[Unit]):
    """Departments and study programmes to tick, each shown by its code and name."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Departments and study programmes"))
        academic = [Unit.Kind.DEPARTMENT, Unit.Kind.STUDY_PROGRAMME]
        units = Unit.objects.filter(is_active=True, kind__in=academic).order_by("code")
        super().__init__(queryset=units, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.code} · {obj.name}"


class PartnerForm(ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "kind", "level", "country", "city", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "position", "email", "phone", "is_primary"]


class AgreementForm(ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scope (tridharma)"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Agreement
        fields = ["kind", "number", "title", "partners", "signed_on", "starts_on", "ends_on"]
        widgets = {
            "signed_on": DATE,
            "starts_on": DATE,
            "ends_on": DATE,
            "partners": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"] = UnitsField()
        self.fields["partners"].required = False
        self.fields["partners"].help_text = _("Hold Ctrl (or ⌘) to choose more than one.")
        if self.instance.pk:
            self.initial["units"] = list(self.instance.units.all())
            self.initial["scopes"] = [scope.value for scope in self.instance.scopes]

    def values(self) -> dict[str, Any]:
        """What the services take: the fields, the scope as its flags; partners and
        units apart."""
        names = ("kind", "number", "title", "signed_on", "starts_on", "ends_on")
        data = {name: self.cleaned_data[name] for name in names}
        for scope in Scope:
            data[scope.value] = scope.value in self.cleaned_data["scopes"]
        return data


# What each stored status may move to, in the words of the button.
MOVE_WORDS = {
    "in_review": _("Send for review"),
    "draft": _("Back to draft"),
    "signed": _("Record the signature"),
    "terminated": _("Terminate"),
}


class MoveForm(Form):
    status = forms.ChoiceField(choices=[(key, words) for key, words in MOVE_WORDS.items()])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why it ends early (for terminating)."),
    )


class VersionForm(Form):
    document = forms.FileField(
        label=_("Document"),
        help_text=_("PDF or DOCX."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{e}" for e in DOCUMENT_EXTENSIONS)}
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("e.g. draft for the partner's legal review, signed scan"),
    )

    def upload(self) -> Upload:
        (upload,) = uploads_from_files([self.cleaned_data["document"]])
        return upload


def _with_all(choices: Any, words: Any) -> list[tuple[str, Any]]:
    return [("", words), *choices]


class PartnerFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_with_all(Partner.Kind.choices, _("All kinds"))
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_with_all(Partner.Level.choices, _("All levels"))
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _with_all([(c, c) for c in countries], _("All countries"))


STATE_WORDS = {
    State.DRAFT: _("Draft"),
    State.IN_REVIEW: _("In review"),
    State.SIGNED: _("Signed, not started"),
    State.ACTIVE: _("Active"),
    State.EXPIRED: _("Expired"),
    State.TERMINATED: _("Terminated"),
}


class AgreementFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_with_all([(s.value, w) for s, w in STATE_WORDS.items()], _("All statuses")),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_with_all(Agreement.Kind.choices, _("All kinds"))
    )


STAGE_WORDS = {
    Stage.PLANNED: _("Planned"),
    Stage.COORDINATED: _("Coordinated"),
    Stage.CARRIED_OUT: _("Carried out"),
    Stage.ARCHIVED: _("Report archived"),
}


class ActivityFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=_with_all([(s.value, w) for s, w in STAGE_WORDS.items()], _("All stages")),
    )

    def __init__(self, *args: Any, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)
        # Five years back: as long as the records are kept (PR.KS, 4. Penyimpanan Data).
        field.choices = [(year, str(year)) for year in range(this_year + 1, this_year - 6, -1)]
        field.initial = this_year
