"""The register's step actions (SOP SDM.5.OT.02.02-5068), found by the desk when it loads:
flow a's step 4 enters the account in the register; flow b's step 5 classifies the
request, step 6 grants access to accounts until a day, step 7 refuses with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.desk.actions import Outcome, StepAction, register
from pintu.vault.forms import AccountEntryForm, ClassifyForm, GrantForm, RefuseForm
from pintu.vault.grants import access_classify, access_refuse, grant_create
from pintu.vault.services import account_register

SOP = "SDM.5.OT.02.02-5068"
TEMPLATE = "vault/_step.html"  # each form names its own legend


def record_account(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    entry = account_register(
        actor=actor,
        unit=step.ticket.unit,
        service=data["service"],
        account=data["account"],
        url=data["url"],
        steward=data["steward"],
        classification=data["classification"],
        credential=data["credential"],
        renews_on=data["renews_on"],
        expires_on=data["expires_on"],
        notes=data["notes"],
        ticket=step.ticket,
        now=now,
    )
    return Outcome(output=_("%(account)s entered in the register.") % {"account": entry})


def classify(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    accounts = list(data["accounts"])
    access_classify(actor=actor, ticket=step.ticket, accounts=accounts, now=now)
    if not accounts:
        return Outcome(output=_("Classified: no account of the register fits."))
    names = ", ".join(f"{a} ({a.get_classification_display()})" for a in accounts)
    return Outcome(output=_("Classified: %(accounts)s.") % {"accounts": names})


def grant(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    # Access runs to the end of the chosen day, in the institution's time zone.
    ends_at = timezone.make_aware(datetime.combine(data["until"], time(23, 59, 59)))
    made = grant_create(
        actor=actor, ticket=step.ticket, accounts=list(data["accounts"]), ends_at=ends_at, now=now
    )
    return Outcome(
        output=_("Access for %(person)s to %(accounts)s until %(until)s.")
        % {
            "person": made.grantee,
            "accounts": ", ".join(str(a) for a in data["accounts"]),
            "until": f"{data['until']:%Y-%m-%d}",
        }
    )


def refuse(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    access_refuse(actor=actor, ticket=step.ticket, reason=data["reason"], now=now)
    return Outcome(output=_("Access refused: %(reason)s") % {"reason": data["reason"].strip()})


register(
    StepAction(
        sop=SOP,
        activity="a4-catat-akun",
        form=AccountEntryForm,
        template=TEMPLATE,
        perform=record_account,
        label=gettext_lazy("Enter in the register"),
    )
)
register(
    StepAction(
        sop=SOP,
        activity="b5-klasifikasi",
        form=ClassifyForm,
        template=TEMPLATE,
        perform=classify,
        label=gettext_lazy("Record the classification"),
    )
)
register(
    StepAction(
        sop=SOP,
        activity="b6-akses-diberikan",
        form=GrantForm,
        template=TEMPLATE,
        perform=grant,
        label=gettext_lazy("Grant access"),
    )
)
register(
    StepAction(
        sop=SOP,
        activity="b7-akses-ditolak",
        form=RefuseForm,
        template=TEMPLATE,
        perform=refuse,
        label=gettext_lazy("Refuse access"),
    )
)
