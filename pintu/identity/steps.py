"""PR.33.8's step actions, found by the desk when it loads: identify the request in the
master data, do in the directory what the kind of request needs (an outbox job each),
and hand a new account over through a one-time link."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.core.moments import stamp
from pintu.desk.actions import Outcome, StepAction, register
from pintu.identity import services
from pintu.identity.forms import (
    ACCESS,
    CHANGE,
    LEAVE,
    NEW,
    RESET,
    DistributeForm,
    IdentifyForm,
    ManageForm,
)
from pintu.identity.handover import handover_issue
from pintu.identity.models import CampusAccount
from pintu.sla.calendars import zone_for_unit

SOP = "PR.33.8"
TEMPLATE = "identity/_step.html"


def identify(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    record = data["id_number"]
    services.request_identify(actor=actor, ticket=step.ticket, record=record, now=now)
    return Outcome(
        output=_("The request is %(person)s's (%(kind)s, %(unit)s).")
        % {
            "person": record,
            "kind": record.get_kind_display(),
            "unit": record.unit.code,
        }
    )


def _account(step: Any) -> CampusAccount:
    record = services.record_for(step.ticket)
    account = CampusAccount.objects.filter(record=record).first() if record else None
    if account is None:
        raise ValidationError(_("The requester has no campus account yet."))
    return account


def manage(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    ticket = step.ticket
    kind = ticket.service_type.key
    if kind == NEW:
        record = services.record_for(ticket)
        assert record is not None  # the form checked
        account, made = services.account_provision(
            actor=actor, record=record, ticket=ticket, step=step, now=now
        )
        if not made:
            return Outcome(
                output=_("%(person)s has an account already: %(account)s (%(state)s).")
                % {"person": record, "account": account, "state": account.get_state_display()}
            )
        return Outcome(
            output=_("Account %(account)s made in the directory.") % {"account": account}
        )
    account = _account(step)
    if kind == RESET:
        if data["action"] == "link":
            return Outcome(output=_("A new one-time link is to be sent."))
        services.account_password_policy(
            actor=actor, account=account, what=data["action"], ticket=ticket, step=step, now=now
        )
        words = {"unlock": _("unlocked"), "force_change": _("to choose a new password")}
        return Outcome(
            output=_("%(account)s %(done)s.") % {"account": account, "done": words[data["action"]]}
        )
    if kind == CHANGE:
        record = services.record_for(ticket)
        assert record is not None
        services.account_change(
            actor=actor, account=account, record=record, ticket=ticket, step=step, now=now
        )
        return Outcome(
            output=_("%(account)s brought in line with the master data.") % {"account": account}
        )
    if kind == ACCESS:
        services.account_access(
            actor=actor, account=account, system=data["system"], ticket=ticket, step=step, now=now
        )
        return Outcome(
            output=_("%(account)s given access to %(system)s.")
            % {"account": account, "system": data["system"]}
        )
    if kind == LEAVE:
        services.account_disable(
            actor=actor, account=account, on=data["on"], ticket=ticket, step=step, now=now
        )
        return Outcome(
            output=_("%(account)s disabled from %(day)s, not deleted.")
            % {"account": account, "day": f"{data['on']:%Y-%m-%d}"}
        )
    raise ValidationError(_("Pintu does not know this kind of account request."))


def distribute(*, actor: Any, step: Any, data: Mapping[str, Any], now: datetime) -> Outcome:
    if not data["send_link"]:
        return Outcome(output=_("Nothing to hand over."))
    handover = handover_issue(actor=actor, account=_account(step), ticket=step.ticket, now=now)
    return Outcome(
        output=_("One-time link sent for %(account)s, open until %(until)s.")
        % {
            "account": handover.account,
            "until": stamp(handover.expires_at, zone_for_unit(step.ticket.unit)),
        }
    )


register(
    StepAction(
        sop=SOP,
        activity="identifikasi-permintaan",
        form=IdentifyForm,
        template="identity/_step_identify.html",
        perform=identify,
        label=gettext_lazy("Confirm the requester"),
    )
)
register(
    StepAction(
        sop=SOP,
        activity="pengelolaan-akun",
        form=ManageForm,
        template=TEMPLATE,
        perform=manage,
        label=gettext_lazy("Do it in the directory"),
    )
)
register(
    StepAction(
        sop=SOP,
        activity="distribusi-akun",
        form=DistributeForm,
        template=TEMPLATE,
        perform=distribute,
        label=gettext_lazy("Hand over"),
    )
)
