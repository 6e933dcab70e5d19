"""Writes to the register: partners and their contacts, agreements, their status moves
and their document versions. Each runs in one transaction with its audit row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.core.audit import changes
from pintu.desk.services import Upload
from pintu.org.models import Unit
from pintu.partners import access, lifecycle
from pintu.partners.models import Agreement, AgreementVersion, Partner, PartnerContact
from pintu.partners.services.common import (
    audit,
    checked_document,
    create_checked,
    require_work,
    save_changes,
)

# An agreement's document: the text in review (DOCX) or the signed scan (PDF).
DOCUMENT_EXTENSIONS = ("pdf", "docx")

PARTNER_FIELDS = ("name", "kind", "level", "country", "city", "website", "notes")
CONTACT_FIELDS = ("name", "position", "email", "phone", "is_primary")
AGREEMENT_FIELDS = (
    "number",
    "kind",
    "title",
    "signed_on",
    "starts_on",
    "ends_on",
    "education",
    "research",
    "community_service",
)


def _shown(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        shown[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return shown


def _partner_shown(partner: Partner) -> dict[str, Any]:
    return _shown(partner, PARTNER_FIELDS)


def _clean_text(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


@transaction.atomic
def partner_create(*, actor: Any, now: datetime | None = None, **values: Any) -> Partner:
    """Add a partner to the register (its name once, whatever its case)."""
    require_work(actor)
    partner = Partner(created_by=actor, created_at=now or timezone.now())
    create_checked(partner, _clean_text(values))
    audit(actor, "partner.create", partner, after=_partner_shown(partner))
    return partner


@transaction.atomic
def partner_update(*, actor: Any, partner: Partner, **values: Any) -> Partner:
    require_work(actor)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before, after = save_changes(partner, _clean_text(values), _partner_shown)
    if after:
        audit(actor, "partner.update", partner, before=before, after=after)
    return partner


def _contact_shown(contact: PartnerContact) -> dict[str, Any]:
    return _shown(contact, CONTACT_FIELDS)


def _one_primary(contact: PartnerContact) -> None:
    """A partner has one main contact: naming one makes the others ordinary."""
    if contact.is_primary:
        contact.partner.contacts.exclude(pk=contact.pk).update(is_primary=False)


def _clean_contact(values: Mapping[str, Any]) -> dict[str, Any]:
    values = _clean_text(values)
    if "email" in values:
        values["email"] = values["email"].lower()
    if "phone" in values:
        values["phone"] = values["phone"].lstrip("+").replace(" ", "").replace("-", "")
    if not (values.get("email") or values.get("phone")):
        raise ValidationError(_("Give an e-mail address or a WhatsApp number."))
    return values


@transaction.atomic
def contact_add(*, actor: Any, partner: Partner, **values: Any) -> PartnerContact:
    require_work(actor)
    contact = PartnerContact(partner=partner)
    values = _clean_contact(values)
    if not partner.contacts.exists():
        values["is_primary"] = True  # the first contact is the one the survey goes to
    create_checked(contact, values)
    _one_primary(contact)
    audit(actor, "partner_contact.add", contact, after=_contact_shown(contact))
    return contact


@transaction.atomic
def contact_update(*, actor: Any, contact: PartnerContact, **values: Any) -> PartnerContact:
    require_work(actor)
    contact = PartnerContact.objects.select_for_update().get(pk=contact.pk)
    before, after = save_changes(contact, _clean_contact(values), _contact_shown)
    _one_primary(contact)
    if after:
        audit(actor, "partner_contact.update", contact, before=before, after=after)
    return contact


def _agreement_shown(agreement: Agreement) -> dict[str, Any]:
    shown = _shown(agreement, (*AGREEMENT_FIELDS, "status"))
    if agreement.pk:
        shown["partners"] = sorted(str(p) for p in agreement.partners.all())
        shown["units"] = sorted(u.code for u in agreement.units.all())
    return shown


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    partners: Iterable[Partner],
    units: Iterable[Unit] = (),
    now: datetime | None = None,
    **values: Any,
) -> Agreement:
    """A new agreement, as a draft."""
    require_work(actor)
    agreement = Agreement(
        unit=access.partnership_unit(),
        created_by=actor,
        created_at=now or timezone.now(),
        status_changed_at=now or timezone.now(),
    )
    create_checked(agreement, _clean_text(values))
    agreement.partners.set(list(partners))
    agreement.units.set(list(units))
    audit(actor, "agreement.create", agreement, after=_agreement_shown(agreement))
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    partners: Iterable[Partner] | None = None,
    units: Iterable[Unit] | None = None,
    **values: Any,
) -> Agreement:
    """Change what the agreement says. Once signed, its number and signing date are
    what the signed document says and stay as they are; its period may still be
    corrected (an amendment extends it)."""
    require_work(actor)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    values = _clean_text(values)
    if agreement.status in (Agreement.Status.SIGNED, Agreement.Status.TERMINATED):
        for name in ("number", "signed_on"):
            if name in values and values[name] != getattr(agreement, name):
                raise ValidationError(
                    {name: _("A signed agreement keeps the number and date it was signed with.")}
                )
    before = _agreement_shown(agreement)
    save_changes(agreement, values, _agreement_shown)
    if partners is not None:
        agreement.partners.set(list(partners))
    if units is not None:
        agreement.units.set(list(units))
    before, after = changes(before, _agreement_shown(agreement))
    if after:
        audit(actor, "agreement.update", agreement, before=before, after=after)
    return agreement


PROBLEM_WORDS = {
    lifecycle.Problem.NOT_ALLOWED: gettext_lazy("The agreement cannot go from %(old)s to %(new)s."),
    lifecycle.Problem.NO_NUMBER: gettext_lazy("Give the agreement's number."),
    lifecycle.Problem.NO_PARTY: gettext_lazy("Name at least one partner."),
    lifecycle.Problem.NO_SIGNING_DATE: gettext_lazy("Give the date it was signed."),
    lifecycle.Problem.NO_PERIOD: gettext_lazy("Give the first and the last day it runs."),
    lifecycle.Problem.ENDS_BEFORE_START: gettext_lazy("The agreement ends before it starts."),
    lifecycle.Problem.NO_DOCUMENT: gettext_lazy("Upload the signed document first."),
    lifecycle.Problem.NO_REASON: gettext_lazy("Say why the agreement ends early."),
    lifecycle.Problem.ALREADY_OVER: gettext_lazy("The agreement has expired already."),
}


def problem_words(problem: lifecycle.Problem, old: str, new: str) -> str:
    return str(PROBLEM_WORDS[problem]) % {"old": old, "new": new}


@transaction.atomic
def agreement_move(
    *,
    actor: Any,
    agreement: Agreement,
    status: str,
    reason: str = "",
    now: datetime | None = None,
) -> Agreement:
    """Move the agreement on its way: draft → in review → signed; back to draft from a
    review; terminated before its end, with the reason."""
    require_work(actor)
    now = now or timezone.now()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if status not in Agreement.Status.values:
        raise ValidationError(_("Unknown status %(status)s.") % {"status": status})
    facts = lifecycle.Facts(
        number=agreement.number,
        parties=agreement.partners.count(),
        signed_on=agreement.signed_on,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        documents=agreement.versions.count(),
        reason=reason,
    )
    today = timezone.localdate(now)
    problems = lifecycle.move_problems(agreement.status, status, facts, today)
    if problems:
        old, new = agreement.get_status_display(), Agreement.Status(status).label
        raise ValidationError([problem_words(p, str(old), str(new)) for p in problems])
    before = {"status": agreement.status}
    agreement.status = status
    agreement.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if status == Agreement.Status.TERMINATED:
        agreement.ended_reason = reason.strip()
        fields.append("ended_reason")
    agreement.save(update_fields=fields)
    after: dict[str, Any] = {"status": status}
    if agreement.ended_reason:
        after["ended_reason"] = agreement.ended_reason
    audit(actor, "agreement.status", agreement, before=before, after=after)
    return agreement


@transaction.atomic
def agreement_add_version(
    *,
    actor: Any,
    agreement: Agreement,
    upload: Upload,
    note: str = "",
    now: datetime | None = None,
) -> AgreementVersion:
    """Keep a new version of the agreement's document (PDF or DOCX); earlier versions
    stay as they were."""
    require_work(actor)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == Agreement.Status.TERMINATED:
        raise ValidationError(_("A terminated agreement takes no new documents."))
    checked, digest = checked_document(upload, DOCUMENT_EXTENSIONS)
    last = agreement.versions.aggregate(last=Max("number"))["last"] or 0
    version = AgreementVersion(
        agreement=agreement,
        number=last + 1,
        filename=checked.name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=digest,
        note=note.strip()[:300],
        uploaded_at=now or timezone.now(),
        uploaded_by=actor,
    )
    version.file.save(checked.name, ContentFile(checked.data), save=False)
    version.save()
    audit(
        actor,
        "agreement.version",
        agreement,
        after={"version": version.number, "file": version.filename, "sha256": digest},
    )
    return version
