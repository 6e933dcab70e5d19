"""The partner satisfaction survey: sent to a partner's contact through the outbox (by
e-mail, or by WhatsApp where the contact has only a number), answered once through a
link that needs no account, until it expires.

The link carries a random token; the database keeps only its SHA-256 digest, so a copy
of the database opens no survey. An answer is claimed by a conditional update, so two
submissions of one link (two tabs, a double click) keep the first and refuse the other.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pintu.core.moments import stamp
from pintu.desk.models import Door
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import message_queue
from pintu.partners import access
from pintu.partners.models import QUESTIONS, Agreement, Partner, PartnerContact, SatisfactionSurvey
from pintu.partners.services.common import audit, require_work
from pintu.sla.calendars import zone_for_unit

TOKEN_BYTES = 32  # token_urlsafe(32): 43 characters


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_url(token: str) -> str:
    return settings.PINTU_BASE_URL.rstrip("/") + reverse("partners-survey-answer", args=[token])


def survey_find(token: str) -> SatisfactionSurvey | None:
    """The survey a link's token opens, if any."""
    if not 20 <= len(token) <= 100:
        return None
    return (
        SatisfactionSurvey.objects.select_related("partner", "agreement")
        .filter(token_digest=token_digest(token))
        .first()
    )


def survey_refusal(survey: SatisfactionSurvey, now: datetime) -> str:
    """Why the link takes no answer now ("" when it does)."""
    zone = zone_for_unit(access.partnership_unit())
    if survey.answered_at is not None:
        return _("This survey was answered on %(when)s. Thank you: it takes one answer only.") % {
            "when": stamp(survey.answered_at, zone)
        }
    if survey.expires_at <= now:
        return _(
            "This survey link expired on %(when)s. If you still wish to answer, ask "
            "Unit Kerjasama for a new link."
        ) % {"when": stamp(survey.expires_at, zone)}
    return ""


def _address(contact: PartnerContact) -> tuple[str, str]:
    """The door the survey goes through: e-mail, else WhatsApp."""
    if contact.email:
        return Door.EMAIL, contact.email
    if contact.phone:
        return Door.WHATSAPP, contact.phone
    raise ValidationError(
        {
            "contact": _("%(name)s has no e-mail address or WhatsApp number.")
            % {"name": contact.name}
        }
    )


@transaction.atomic
def survey_send(
    *,
    actor: Any,
    partner: Partner,
    contact: PartnerContact | None,
    agreement: Agreement | None,
    year: int,
    now: datetime,
) -> tuple[SatisfactionSurvey, str]:
    """Ask ``contact`` (the partner's main contact when None) how satisfied the partner
    is with the cooperation of ``year``; returns the survey and its link's token, which
    is stored nowhere but in the message."""
    require_work(actor)
    if contact is None:
        contact = partner.contacts.order_by("-is_primary", "name").first()
        if contact is None:
            raise ValidationError(
                {"contact": _("Add a contact to the partner first: the survey goes to them.")}
            )
    if contact.partner_id != partner.pk:
        raise ValidationError({"contact": _("This contact is not one of the partner's.")})
    if agreement is not None and not agreement.partners.filter(pk=partner.pk).exists():
        raise ValidationError({"agreement": _("The partner is no party to this agreement.")})
    transport, recipient = _address(contact)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    survey = SatisfactionSurvey.objects.create(
        partner=partner,
        contact=contact,
        agreement=agreement,
        year=year,
        token_digest=token_digest(token),
        transport=transport,
        sent_to=recipient,
        sent_at=now,
        sent_by=actor,
        expires_at=now + timedelta(days=settings.PINTU_PARTNERS_SURVEY_DAYS),
    )
    until = date_format(
        survey.expires_at.astimezone(zone_for_unit(access.partnership_unit())), "j F Y"
    )
    body = _(
        "Dear %(name)s,\n\n"
        "Thank you for the cooperation between %(partner)s and our polytechnic in %(year)s. "
        "Would you tell us how satisfied you are with it? The survey has %(count)s short "
        "questions and a comment, and needs no account:\n%(url)s\n\n"
        "The link takes one answer and stays open until %(until)s.\n\nUnit Kerjasama"
    ) % {
        "name": contact.name,
        "partner": partner,
        "year": year,
        "count": len(QUESTIONS),
        "url": survey_url(token),
        "until": until,
    }
    message_queue(
        transport=transport,
        purpose=OutboxItem.Purpose.NOTIFICATION,
        recipient=recipient,
        subject=_("How satisfied are you with our cooperation?"),
        body_text=body,
        cause=partner,
        source=survey,
        at=now,
    )
    audit(
        actor,
        "survey.send",
        survey,
        after={
            "partner": str(partner),
            "year": year,
            "to": recipient,
            "by": transport,
            "expires_at": survey.expires_at.isoformat(),
        },
    )
    return survey, token


@transaction.atomic
def survey_answer(
    *,
    survey: SatisfactionSurvey,
    scores: Mapping[str, int],
    comment: str,
    now: datetime,
) -> SatisfactionSurvey:
    """Keep the partner's answer, once, while the link is open."""
    missing = [name for name in QUESTIONS if scores.get(name) not in range(1, 6)]
    if missing:
        raise ValidationError({name: _("Choose a rating from 1 to 5.") for name in missing})
    why = survey_refusal(survey, now)
    if why:
        raise ValidationError(why)
    values = {name: scores[name] for name in QUESTIONS}
    claimed = SatisfactionSurvey.objects.filter(
        pk=survey.pk, answered_at__isnull=True, expires_at__gt=now
    ).update(answered_at=now, comment=comment.strip()[:5000], **values)
    survey.refresh_from_db()
    if not claimed:
        raise ValidationError(survey_refusal(survey, now))
    audit(None, "survey.answer", survey, after={**values, "answered_at": now.isoformat()})
    return survey
