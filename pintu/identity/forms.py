"""The forms of PR.33.8's steps, one per activity, each shaped by the kind of request
(the ticket's service type) and started from what the request and the master data say,
so that staff check rather than retype; and the forms of the module's own pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pintu.desk.channels import channel_words, reply_channel
from pintu.identity import directory
from pintu.identity.masterdata import id_number_of
from pintu.identity.models import CampusAccount, MasterRecord
from pintu.identity.services import record_for, username_proposed

NEW, RESET, CHANGE, ACCESS, LEAVE = (
    "akun-kampus",
    "reset-sandi",
    "perubahan-akun",
    "akses-sistem",
    "penonaktifan-akun",
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    legend: Any = ""

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        self.step = step
        self.ticket = step.ticket
        self.kind = self.ticket.service_type.key
        self.record = record_for(self.ticket)
        self.account = (
            CampusAccount.objects.filter(record=self.record).first() if self.record else None
        )
        self.notes: list[str] = []
        super().__init__(*args, **kwargs)


class IdentifyForm(StepForm):
    """Whose request it is, in the master data; when no record matches, the question
    for the requester (sent with the page's second button)."""

    legend = _("The requester in the master data")
    id_number = forms.CharField(label=_("NIM/NIP/NIK"), max_length=40)
    question = forms.CharField(
        label=_("Question for the requester, when the data does not match"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_(
            "We cannot find your NIM/NIP/NIK in the master data. Please send your number as "
            "it is on your student or staff card, and your full name."
        ),
    )

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        super().__init__(*args, step=step, **kwargs)
        self.fields["id_number"].initial = self.ticket.fields.get("nomor_induk", "")
        status = str(self.ticket.fields.get("status", "")).lower()
        if self.record is not None and status and status != self.record.kind:
            self.notes.append(
                str(_("The request says %(said)s; the master data says %(kind)s."))
                % {"said": status, "kind": self.record.get_kind_display()}
            )

    def clean_id_number(self) -> MasterRecord:
        number = id_number_of(self.cleaned_data["id_number"])
        record = MasterRecord.objects.filter(id_number__iexact=number).first()
        if record is None:
            raise forms.ValidationError(
                _("No master record has %(number)s: ask the requester, or import the master data."),
                params={"number": number},
            )
        return record


class ManageForm(StepForm):
    """What the directory must do for this kind of request."""

    legend = _("In the directory")
    ACTIONS = [
        ("link", _("Send a new one-time link to set a password")),
        ("unlock", _("Unlock the account (password policy)")),
        ("force_change", _("Make the holder choose a new password at the next sign-in")),
    ]

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        super().__init__(*args, step=step, **kwargs)
        if self.record is None:
            return
        if self.kind == NEW:
            if self.account is None:
                self.notes.append(
                    str(_("A new account %(username)s will be made, in the group %(group)s."))
                    % {"username": username_proposed(self.record), "group": self.record.kind}
                )
        elif self.kind == RESET:
            wanted = str(self.ticket.fields.get("jenis", ""))
            initial = {"Akun terkunci": "unlock", "Kata sandi diketahui orang lain": "force_change"}
            self.fields["action"] = forms.ChoiceField(
                label=_("What to do"),
                choices=self.ACTIONS,
                widget=forms.RadioSelect,
                initial=initial.get(wanted, "link"),
            )
        elif self.kind == ACCESS:
            self.fields["system"] = forms.ChoiceField(
                label=_("System"),
                choices=[(name, name) for name in directory.SYSTEM_GROUPS],
                initial=self.ticket.fields.get("sistem", ""),
            )
        elif self.kind == LEAVE:
            self.fields["on"] = forms.DateField(
                label=_("Disable on"),
                widget=DATE,
                initial=self.ticket.fields.get("tanggal") or timezone.localdate(),
                help_text=_("Today or earlier: at once. Later: the worker disables it then."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.record is None:
            raise forms.ValidationError(_("Identify the requester in the master data first."))
        if self.kind != NEW and self.account is None:
            raise forms.ValidationError(
                _("%(person)s has no campus account yet: ask for a new account instead.")
                % {"person": self.record}
            )
        return data


class DistributeForm(StepForm):
    """Where the one-time link goes (the request's door) and where its code goes."""

    legend = _("Hand-over without a password")

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        super().__init__(*args, step=step, **kwargs)
        self.fields["send_link"] = forms.BooleanField(
            label=_("Send the one-time link"),
            required=False,
            initial=self.kind == NEW or self.ticket.fields.get("jenis") == "Lupa kata sandi",
        )
        self.notes.append(
            str(_("The link goes the way the request came: %(route)s"))
            % {"route": channel_words(reply_channel(self.ticket, timezone.now()))}
        )
        if self.record is not None:
            contact = self.record.email or (f"+{self.record.phone}" if self.record.phone else "")
            self.notes.append(
                str(_("The code that opens it goes to the registered contact: %(contact)s"))
                % {"contact": contact or _("none (the link cannot open)")}
            )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class CohortForm(forms.Form):
    file = forms.FileField(label=_("List of new students (CSV or XLSX)"))
    send_messages = forms.BooleanField(
        label=_("Also send each student their link (e-mail, else WhatsApp)"), required=False
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("again"):
            self.add_error("again", _("The two passwords differ."))
        return data


class LifecycleForm(forms.Form):
    on = forms.DateField(label=_("Disable on"), widget=DATE)
