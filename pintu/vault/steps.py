"""The register's step action: SDM.5.OT.02.02-5068 flow a, step 4, "Penanggung Jawab
memasukkan akun digital ke dalam daftar akun yang dikelola" records the account in the
register (found by the desk when it loads)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.desk.actions import Outcome, StepAction, register
from pintu.vault.forms import AccountEntryForm
from pintu.vault.services import account_register

SOP = "SDM.5.OT.02.02-5068"


def record_account(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    entry = account_register(
        actor=actor,
        unit=step.ticket.unit,
        service=data["service"],
        account=data["account"],
        notes=data["notes"],
        ticket=step.ticket,
        now=now,
    )
    return Outcome(output=_("%(account)s entered in the register.") % {"account": entry})


register(
    StepAction(
        sop=SOP,
        activity="a4-catat-akun",
        form=AccountEntryForm,
        template="vault/_step_register.html",
        perform=record_account,
        label=gettext_lazy("Enter in the register"),
    )
)
