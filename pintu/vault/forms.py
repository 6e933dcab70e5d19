"""The forms of the register's steps (SOP SDM.5.OT.02.02-5068) and of its pages.

A step's form starts from what the request says (its fields), so that staff check
rather than retype; a credential field never shows what was typed back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pintu.desk.selectors import unit_people
from pintu.vault.grants import requester_person
from pintu.vault.models import AccessRequest, Classification, DigitalAccount

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A grant's length when staff do not choose another (Pintu's choice).
DEFAULT_GRANT_DAYS = 30


class _StepForm(forms.Form):
    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        self.step = step
        super().__init__(*args, **kwargs)


class AccountFields(forms.Form):
    """What the register holds of an account, but its service's name and credential."""

    account = forms.CharField(label=_("Login"), max_length=200)
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")
    classification = forms.TypedChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        initial=Classification.INTERNAL,
        required=False,
        empty_value=Classification.INTERNAL,
    )
    steward: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Person in charge"),
        queryset=None,
        required=False,
        help_text=_("Empty: whoever enters it."),
    )
    renews_on = forms.DateField(label=_("Renewal date"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Expiry date"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who uses it, what for; never the password."),
    )

    def people_of(self, unit: Any) -> None:
        field = self.fields["steward"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = unit_people(unit)


class CredentialField(forms.CharField):
    widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})


class AccountEntryForm(AccountFields, _StepForm):
    """Step a4: the account the request names goes into the register."""

    legend = _("Entry in the register of digital-service accounts")

    service = forms.CharField(label=_("Digital service"), max_length=200)
    credential = CredentialField(
        label=_("Password or key"),
        required=False,
        strip=False,
        help_text=_("Stored sealed; only a person granted access sees it, in Pintu."),
    )
    field_order = ["service", "account", "url", "credential"]

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        fields = step.ticket.fields
        kwargs.setdefault(
            "initial", {"service": fields.get("layanan", ""), "account": fields.get("akun", "")}
        )
        super().__init__(*args, step=step, **kwargs)
        self.people_of(step.ticket.unit)


class AccountEditForm(AccountFields):
    def __init__(self, *args: Any, account: DigitalAccount, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault(
            "initial", {name: getattr(account, name) for name in AccountFields.base_fields}
        )
        super().__init__(*args, **kwargs)
        self.people_of(account.unit)


class CredentialForm(forms.Form):
    credential = CredentialField(label=_("New password or key"), strip=False)


def register_of(unit: Any) -> QuerySet[DigitalAccount]:
    return DigitalAccount.objects.filter(unit=unit).order_by("service", "account")


def named_in(accounts: QuerySet[DigitalAccount], text: str) -> QuerySet[DigitalAccount]:
    """The accounts a request's words name: each word of at least three letters that
    begins the service's name or the login."""
    words = [word for word in text.replace(",", " ").split() if len(word) >= 3]
    if not words:
        return accounts.none()
    match = Q()
    for word in words:
        match |= Q(service__istartswith=word) | Q(account__istartswith=word)
    return accounts.filter(match)


class AccountsChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple(attrs={"class": "vault-choices"})

    def label_from_instance(self, obj: DigitalAccount) -> str:
        return f"{obj} ({obj.get_classification_display()})"


class ClassifyForm(_StepForm):
    """Step b5: the register's accounts the request is about (none when it fits none)."""

    legend = _("The request, classified")

    accounts = AccountsChoice(label=_("Accounts asked for"), queryset=None, required=False)

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        ticket = step.ticket
        register = register_of(ticket.unit)
        kwargs.setdefault(
            "initial", {"accounts": list(named_in(register, ticket.fields.get("akun", "")))}
        )
        super().__init__(*args, step=step, **kwargs)
        field = self.fields["accounts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = register


class GrantForm(_StepForm):
    """Step b6: which accounts, until when."""

    legend = _("Access to grant")

    accounts = AccountsChoice(label=_("Accounts"), queryset=None)
    until = forms.DateField(
        label=_("Access until"),
        widget=DATE,
        help_text=_("Access ends at the close of this day; the password is then rotated."),
    )

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        ticket = step.ticket
        register = register_of(ticket.unit)
        classified = AccessRequest.objects.filter(ticket=ticket).first()
        chosen = (
            list(classified.accounts.all())
            if classified
            else list(named_in(register, ticket.fields.get("akun", "")))
        )
        # From the day the step began: a grant recorded later runs as long.
        began = timezone.localtime(step.started_at) if step.started_at else timezone.localtime()
        until = began.date() + timedelta(days=DEFAULT_GRANT_DAYS)
        kwargs.setdefault("initial", {"accounts": chosen, "until": until})
        super().__init__(*args, step=step, **kwargs)
        field = self.fields["accounts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = register
        person = requester_person(ticket)
        self.intro = (
            _("For %(person)s, who reads the credential in Pintu after signing in.")
            % {"person": person}
            if person
            else _("The requester has no account in Pintu: access cannot be granted to them.")
        )


class RefuseForm(_StepForm):
    """Step b7: why the request does not fit."""

    legend = _("Access refused")

    reason = forms.CharField(
        label=_("Reason, for the requester"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("The request does not fit the purpose of the account."),
    )


class RevealForm(forms.Form):
    password = forms.CharField(
        label=_("Your Pintu password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
