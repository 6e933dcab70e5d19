"""The one-time link through which an account reaches its holder (PR.33.8 "Distribusi
akun baru") without a password in clear anywhere: it goes out through the door the
request came from, opens only after a code sent to the holder's registered contact,
opens once, and expires; the holder sets their own password on it. Every look at it is
recorded (``HandoverView``).

The link's secret is a signature of the hand-over's key with the site's secret key, so
a copy of the database cannot make a link; the code is kept as a keyed digest.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.core.moments import stamp
from pintu.desk import services as desk
from pintu.desk.models import Door, Ticket
from pintu.doors import secrets as sealed
from pintu.identity import lifecycle
from pintu.identity.models import CampusAccount, Handover, HandoverView
from pintu.identity.services import LDAP
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import job_queue, message_queue
from pintu.sla.calendars import zone_for_unit

SALT = "pintu.identity.handover"
CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=15)
CODE_EVERY = timedelta(minutes=1)  # a new code at most this often
MAX_WRONG = 5  # wrong codes before the link is withdrawn

What = HandoverView.What


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=".")


def link_token(handover: Handover) -> str:
    return _signer().sign(handover.key)


def link_url(handover: Handover) -> str:
    path = reverse("identity-handover", args=[link_token(handover)])
    return settings.PINTU_BASE_URL.rstrip("/") + path


def handover_from(token: str) -> Handover | None:
    """The hand-over a link's token names, if the signature holds."""
    try:
        key = _signer().unsign(token)
    except signing.BadSignature:
        return None
    return Handover.objects.select_related("account__record__unit").filter(key=key).first()


def _digest(handover: Handover, code: str) -> str:
    message = f"{handover.key}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _log(handover: Handover, what: str, now: datetime, address: str | None, agent: str) -> None:
    HandoverView.objects.create(
        handover=handover, at=now, what=what, address=address, agent=agent[:300]
    )


def refusal(handover: Handover, now: datetime) -> str:
    """Why the link does not open now ("" when it does)."""
    if handover.revoked_at is not None:
        return _("This link was withdrawn. Ask UPT-SI for a new one.")
    if handover.used_at is not None or handover.opened_at is not None:
        return _("This link has been used. It opens only once: ask UPT-SI for a new one.")
    if handover.expires_at <= now:
        return _("This link has expired. Ask UPT-SI for a new one.")
    return ""


def contact_words(handover: Handover) -> str:
    """Where the code goes, half hidden (s***@mail.com, +62 *** 789)."""
    record = handover.account.record
    if record.email:
        name, _at, domain = record.email.partition("@")
        return f"{name[:1]}***@{domain}"
    if record.phone:
        return f"+{record.phone[:2]} *** {record.phone[-3:]}"
    return ""


@transaction.atomic
def handover_issue(
    *,
    actor: Any,
    account: CampusAccount,
    now: datetime,
    ticket: Ticket | None = None,
    notify: bool = True,
) -> Handover:
    """A new one-time link for ``account`` (an open one is withdrawn): told to the
    requester through the request's own door when there is a request, else, when
    ``notify``, sent to the holder's registered contact."""
    account = (
        CampusAccount.objects.select_for_update().select_related("record__unit").get(pk=account.pk)
    )
    if account.state not in (lifecycle.State.STAGED, lifecycle.State.ACTIVE):
        raise ValidationError(_("A disabled account is not handed over."))
    Handover.objects.filter(account=account, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    handover = Handover.objects.create(
        account=account,
        key=secrets.token_urlsafe(16),
        issued_at=now,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        expires_at=now + timedelta(hours=settings.PINTU_IDENTITY_LINK_HOURS),
        ticket=ticket,
    )
    until = stamp(handover.expires_at, zone_for_unit(account.record.unit))
    text = _(
        "Your campus account is ready: username %(username)s. Open this link to set your "
        "own password (it opens once, until %(until)s): %(url)s\n"
        "It asks for a code that we send to your registered contact. Nobody at UPT-SI "
        "will ever ask you for your password."
    ) % {"username": account.username, "until": until, "url": link_url(handover)}
    if ticket is not None:
        desk.ticket_reply(actor=actor, ticket=ticket, body=text, now=now)
        handover.sent_to = ticket.reference
    elif notify:
        handover.sent_to = _send(handover, _("Your campus account"), text, now)
    handover.save(update_fields=["sent_to"])
    audit_record(
        actor=actor,
        action="handover.issue",
        obj=handover,
        unit=account.record.unit,
        after={
            "username": account.username,
            "expires_at": handover.expires_at.isoformat(),
            "sent_to": handover.sent_to,
        },
    )
    return handover


def _send(handover: Handover, subject: str, text: str, now: datetime) -> str:
    """A message to the holder's registered contact: e-mail, else WhatsApp."""
    record = handover.account.record
    if record.email:
        transport, recipient = Door.EMAIL, record.email
    elif record.phone:
        transport, recipient = Door.WHATSAPP, record.phone
    else:
        raise ValidationError(
            _("%(person)s has no e-mail address or WhatsApp number in the master data.")
            % {"person": record}
        )
    message_queue(
        transport=transport,
        purpose=OutboxItem.Purpose.NOTIFICATION,
        recipient=recipient,
        subject=subject,
        body_text=text,
        cause=handover.account,
        source=handover,
        at=now,
    )
    return recipient


@transaction.atomic
def handover_open(
    *, handover: Handover, now: datetime, address: str | None = None, agent: str = ""
) -> str:
    """Someone opened the link: recorded; returns why it does not open ("" if it does)."""
    why = refusal(handover, now)
    _log(handover, What.REFUSED if why else What.OPENED, now, address, agent)
    return why


@transaction.atomic
def handover_send_code(
    *, handover: Handover, now: datetime, address: str | None = None, agent: str = ""
) -> None:
    handover = (
        Handover.objects.select_for_update().select_related("account__record").get(pk=handover.pk)
    )
    why = refusal(handover, now)
    if why:
        raise ValidationError(why)
    if handover.code_sent_at is not None and now - handover.code_sent_at < CODE_EVERY:
        raise ValidationError(_("A code was sent a moment ago; wait a minute for it."))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    handover.code_digest, handover.code_sent_at = _digest(handover, code), now
    handover.save(update_fields=["code_digest", "code_sent_at"])
    _send(
        handover,
        _("Your code for your campus account"),
        _(
            "Your code is %(code)s. It is valid for 15 minutes. If you did not ask for it, "
            "ignore this message and tell UPT-SI."
        )
        % {"code": code},
        now,
    )
    _log(handover, What.CODE_SENT, now, address, agent)


def handover_check_code(
    *, handover: Handover, code: str, now: datetime, address: str | None = None, agent: str = ""
) -> bool:
    """The code the holder typed: right, the link opens (once); wrong, the try is
    counted and, after ``MAX_WRONG``, the link is withdrawn."""
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        why = refusal(handover, now)
        if why:
            raise ValidationError(why)
        fresh = handover.code_sent_at is not None and now - handover.code_sent_at <= CODE_LIFETIME
        right = fresh and hmac.compare_digest(handover.code_digest, _digest(handover, code.strip()))
        if right:
            handover.opened_at = now
            handover.save(update_fields=["opened_at"])
            _log(handover, What.UNLOCKED, now, address, agent)
            return True
        handover.code_tries += 1
        if handover.code_tries >= MAX_WRONG:
            handover.revoked_at = now
        handover.save(update_fields=["code_tries", "revoked_at"])
        _log(handover, What.CODE_WRONG, now, address, agent)
    return False


@transaction.atomic
def handover_set_password(
    *,
    handover: Handover,
    password: str,
    now: datetime,
    address: str | None = None,
    agent: str = "",
) -> CampusAccount:
    """The holder's own password, on the link they unlocked: sealed into the directory's
    job (never stored in clear), the account active, the link used."""
    handover = (
        Handover.objects.select_for_update()
        .select_related("account__record__unit")
        .get(pk=handover.pk)
    )
    if handover.opened_at is None or handover.used_at is not None:
        raise ValidationError(_("Open the link with its code first."))
    if handover.revoked_at is not None or handover.expires_at <= now:
        raise ValidationError(refusal(handover, now) or _("This link has expired."))
    account = handover.account
    validate_password(password)
    account.state = lifecycle.next_state(lifecycle.State(account.state), lifecycle.Event.ACTIVATE)
    account.activated_at = account.activated_at or now
    account.save(update_fields=["state", "activated_at"])
    job_queue(
        transport=LDAP,
        payload={"op": "set_password", "uid": account.username, "password": sealed.seal(password)},
        idempotency_key=f"identity:password:{handover.pk}",
        cause=handover.ticket or account.cohort or account,
        source=handover,
        at=now,
    )
    handover.used_at = now
    handover.save(update_fields=["used_at"])
    _log(handover, What.PASSWORD_SET, now, address, agent)
    audit_record(
        actor=None,
        action="handover.password",
        obj=handover,
        unit=account.record.unit,
        after={"username": account.username, "address": address},
    )
    return account
