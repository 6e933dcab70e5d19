"""The audit log's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.org.forms import date_picker
from pintu.org.models import Unit
from pintu.site.audit_log import ACTION_WORDS, action_words


class AuditFilterForm(forms.Form):
    """Read from the query string. A value that does not parse is reported on its field
    and left out; the other filters still apply."""

    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=date_picker())
    until = forms.DateField(
        label=gettext_lazy("To (inclusive)"), required=False, widget=date_picker()
    )
    person = forms.CharField(
        label=gettext_lazy("Who"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("Name or user name"),
    )
    unit = forms.ModelChoiceField(
        Unit.objects.order_by("code"),
        label=gettext_lazy("Unit"),
        required=False,
        empty_label=gettext_lazy("All units"),
        to_field_name="code",
    )
    action = forms.ChoiceField(label=gettext_lazy("What"), required=False)
    reference = forms.CharField(
        label=gettext_lazy("Object"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("A request's reference, a name, a date…"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Sorted by their words in the reader's language, which is known only now.
        actions = sorted(
            ((code, str(words)) for code, words in ACTION_WORDS.items()), key=_by_words
        )
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("All actions")), *actions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last day comes before the first day."))
        return data

    def filters(self) -> dict[str, Any]:
        """The arguments of ``audit_events`` for the filters that parsed."""
        self.is_valid()
        data = self.cleaned_data
        unit = data.get("unit")
        return {
            "since": data.get("since"),
            "until": data.get("until"),
            "person": data.get("person", "").strip(),
            "unit_id": unit.pk if unit else None,
            "action": data.get("action", ""),
            "reference": data.get("reference", "").strip(),
        }

    def described(self) -> list[tuple[str, str]]:
        """The filters in use, in words: [("Unit", "UPT-SI"), ...]."""
        shown = []
        for name, value in self.filters().items():
            if not value:
                continue
            field = self.fields[name.removesuffix("_id")]
            if name in ("since", "until"):
                value = date_format(value, "j M Y")
            elif name == "unit_id":
                value = self.cleaned_data["unit"].code
            elif name == "action":
                value = action_words(value)
            shown.append((str(field.label), str(value)))
        return shown

    def query(self) -> str:
        """The filters as given, for the pager's and the exports' links ("unit=P4M&")."""
        given = [(name, self.data.get(name, "").strip()) for name in self.fields]
        kept = urlencode([(name, value) for name, value in given if value])
        return f"{kept}&" if kept else ""


def _by_words(choice: tuple[str, str]) -> str:
    return choice[1].casefold()
