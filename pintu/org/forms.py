from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def date_picker() -> forms.DateInput:
    # A browser's date picker reads and sends ISO dates whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClosureForm(forms.Form):
    start_date = forms.DateField(label=_("From"), widget=date_picker())
    end_date = forms.DateField(label=_("To (inclusive)"), widget=date_picker())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise forms.ValidationError(_("The last day comes before the first day."))
        return data
