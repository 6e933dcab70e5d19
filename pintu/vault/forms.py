"""The form of the register's step: which account goes into the list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountEntryForm(forms.Form):
    """Filled in from what the request says (its "layanan" and "akun" fields), so that
    staff check rather than retype."""

    service = forms.CharField(label=_("Digital service"), max_length=200)
    account = forms.CharField(label=_("Account"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who uses it, what for; never the password."),
    )

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        fields = step.ticket.fields
        kwargs.setdefault(
            "initial", {"service": fields.get("layanan", ""), "account": fields.get("akun", "")}
        )
        super().__init__(*args, **kwargs)
