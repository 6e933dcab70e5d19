"""Access to the register's accounts (SOP SDM.5.OT.02.02-5068 flow b, "pemberian akses
dan pengawasan"): the request classified, access granted for a time or refused with a
reason, grants that end themselves, and the periodic review of every grant still
running. Each write is one transaction with its audit row; the requester hears of a
grant or a refusal through the request's conversation, never of a credential.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.core.moments import stamp
from pintu.desk import services as desk
from pintu.desk.models import Door, Ticket
from pintu.org.models import User
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import message_queue
from pintu.sla.calendars import zone_for_unit
from pintu.vault import access
from pintu.vault.models import AccessRequest, DigitalAccount, Grant, Review, ReviewItem, Rotation
from pintu.vault.selectors import running


def _names(accounts: Iterable[DigitalAccount]) -> str:
    return ", ".join(str(account) for account in accounts)


def _within_unit(actor: Any, ticket: Ticket, accounts: Sequence[DigitalAccount]) -> None:
    if not access.keeps(actor, ticket.unit):
        raise PermissionDenied
    if any(account.unit_id != ticket.unit_id for account in accounts):
        raise ValidationError(_("Only the unit's own accounts can be granted."))


@transaction.atomic
def access_classify(
    *, actor: Any, ticket: Ticket, accounts: Sequence[DigitalAccount], now: datetime
) -> AccessRequest:
    """Step b5 ("Perihal pemberian akses", output "Data akun yang diklasifikasi"): the
    register's accounts the request asks for."""
    _within_unit(actor, ticket, accounts)
    request, _created = AccessRequest.objects.update_or_create(
        ticket=ticket, defaults={"classified_at": now, "classified_by": actor}
    )
    request.accounts.set(accounts)
    audit_record(
        actor=actor,
        action="access.classify",
        obj=request,
        unit=ticket.unit,
        after={"ticket": ticket.reference, "accounts": [str(a) for a in accounts]},
    )
    return request


def requester_person(ticket: Ticket) -> Any:
    """The person with a Pintu account who asked, if any (a contact linked to one)."""
    if ticket.requester_id:
        return ticket.requester
    return ticket.contact.user if ticket.contact_id and ticket.contact else None


def grants_page_url() -> str:
    return settings.PINTU_BASE_URL.rstrip("/") + reverse("vault-my-access")


@transaction.atomic
def grant_create(
    *,
    actor: Any,
    ticket: Ticket,
    accounts: Sequence[DigitalAccount],
    ends_at: datetime,
    now: datetime,
) -> Grant:
    """Step b6 ("akses diberikan"): the requester may see these accounts' credentials
    until ``ends_at``, in Pintu's page; the conversation tells them so (never the
    credential itself)."""
    _within_unit(actor, ticket, accounts)
    grantee = requester_person(ticket)
    if grantee is None:
        raise ValidationError(
            _(
                "The requester has no account in Pintu: a credential is shown only to a "
                "person who signs in."
            )
        )
    if not accounts:
        raise ValidationError(_("Choose the accounts to grant."))
    if ends_at <= now:
        raise ValidationError(_("Access must end after now."))
    grant = Grant.objects.create(
        grantee=grantee, ticket=ticket, granted_at=now, granted_by=actor, ends_at=ends_at
    )
    grant.accounts.set(accounts)
    until = stamp(ends_at, zone_for_unit(ticket.unit))
    audit_record(
        actor=actor,
        action="access.grant",
        obj=grant,
        unit=ticket.unit,
        after={
            "grantee": str(grantee),
            "accounts": [str(a) for a in accounts],
            "ends_at": ends_at.isoformat(),
            "ticket": ticket.reference,
        },
    )
    desk.ticket_reply(
        actor=actor,
        ticket=ticket,
        body=_(
            "Access granted to %(accounts)s until %(until)s. Sign in to Pintu and open "
            "%(url)s to see the credential; it is never sent by e-mail or WhatsApp."
        )
        % {"accounts": _names(accounts), "until": until, "url": grants_page_url()},
        now=now,
    )
    return grant


@transaction.atomic
def access_refuse(*, actor: Any, ticket: Ticket, reason: str, now: datetime) -> None:
    """Step b7 ("Permohonan tidak sesuai dan akses ditolak"): the reason goes to the
    requester through the conversation."""
    if not access.keeps(actor, ticket.unit):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why access is refused."))
    audit_record(
        actor=actor,
        action="access.refuse",
        obj=ticket,
        unit=ticket.unit,
        after={"reason": reason.strip()},
    )
    desk.ticket_reply(
        actor=actor,
        ticket=ticket,
        body=_("Access is refused: %(reason)s") % {"reason": reason.strip()},
        now=now,
    )


def _end(grant: Grant, end: str, actor: Any, reason: str, now: datetime) -> None:
    """End ``grant`` and open a rotation of each of its accounts' passwords, which the
    grantee may have seen."""
    grant.ended_at, grant.end, grant.ended_by = now, end, actor
    grant.reason = reason
    grant.save(update_fields=["ended_at", "end", "ended_by", "reason"])
    for account in grant.accounts.select_related("steward"):
        if not account.credential:
            continue
        _rotation, opened = Rotation.objects.get_or_create(
            account=account, done_at=None, defaults={"grant": grant, "opened_at": now}
        )
        steward = account.steward
        if opened and steward is not None and steward.email:
            message_queue(
                transport=Door.EMAIL,
                purpose=OutboxItem.Purpose.NOTIFICATION,
                recipient=steward.email,
                subject=_("Change the password of %(account)s") % {"account": account},
                body_text=_(
                    "The access of %(person)s to %(account)s has ended (%(end)s). They "
                    "may have seen its password: change it, then store the new one in "
                    "Pintu: %(url)s"
                )
                % {
                    "person": grant.grantee,
                    "account": account,
                    "end": grant.get_end_display(),
                    "url": settings.PINTU_BASE_URL.rstrip("/")
                    + reverse("vault-account", args=[account.pk]),
                },
                cause=account,
                at=now,
            )
    audit_record(
        actor=actor,
        action="access.end",
        obj=grant,
        unit=None,
        after={"end": end, "reason": reason},
    )


@transaction.atomic
def grant_revoke(*, actor: Any, grant: Grant, reason: str, now: datetime) -> Grant:
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    accounts = list(grant.accounts.select_related("unit"))
    if not accounts or not all(access.keeps(actor, account.unit) for account in accounts):
        raise PermissionDenied
    if grant.ended_at is not None:
        raise ValidationError(_("This access has ended already."))
    _end(grant, Grant.End.REVOKED, actor, reason.strip(), now)
    return grant


def grants_expire(*, now: datetime) -> int:
    """Grants whose time is up end themselves (each in its own transaction, so one
    that fails holds up none of the others); returns how many ended."""
    ended = 0
    for pk in Grant.objects.filter(ended_at__isnull=True, ends_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            grant = Grant.objects.select_for_update().filter(pk=pk, ended_at__isnull=True).first()
            if grant is None:
                continue  # another worker ended it
            _end(grant, Grant.End.EXPIRED, None, "", grant.ends_at)
            ended += 1
    return ended


def review_due(*, steward: Any, now: datetime) -> bool:
    """A person in charge's first review is due at once, the next one
    ``PINTU_VAULT_REVIEW_MONTHS`` calendar months (from day to day) after the last."""
    last = Review.objects.filter(steward=steward).order_by("-opened_at").first()
    if last is None:
        return True
    then, today = timezone.localtime(last.opened_at), timezone.localtime(now)
    months = (today.year - then.year) * 12 + today.month - then.month
    if today.day < then.day:
        months -= 1
    return months >= settings.PINTU_VAULT_REVIEW_MONTHS


def reviews_open(*, now: datetime) -> list[Review]:
    """Each semester (``PINTU_VAULT_REVIEW_MONTHS``), every person in charge gets a
    review listing every grant still running on their accounts."""
    opened = []
    stewards = (
        Grant.objects.filter(running(now)).values_list("accounts__steward", flat=True).distinct()
    )
    for steward_id in sorted({pk for pk in stewards if pk is not None}):
        with transaction.atomic():
            steward = User.objects.select_for_update().get(pk=steward_id)
            if not review_due(steward=steward, now=now):
                continue
            review = Review.objects.create(steward=steward, opened_at=now)
            current = Grant.objects.filter(running(now), accounts__steward=steward).distinct()
            ReviewItem.objects.bulk_create([ReviewItem(review=review, grant=g) for g in current])
            audit_record(
                actor=None,
                action="access.review_open",
                obj=review,
                after={"grants": review.items.count()},
            )
            opened.append(review)
    return opened


@transaction.atomic
def review_decide(
    *, actor: Any, item: ReviewItem, decision: str, reason: str = "", now: datetime
) -> ReviewItem:
    """The person in charge confirms a grant (it runs on) or revokes it (it ends now)."""
    item = ReviewItem.objects.select_for_update().select_related("review", "grant").get(pk=item.pk)
    if item.review.steward_id != actor.pk:
        raise PermissionDenied
    if item.decision:
        raise ValidationError(_("This grant has been reviewed already."))
    if decision not in ReviewItem.Decision.values:
        raise ValidationError(_("Confirm or revoke."))
    if decision == ReviewItem.Decision.REVOKED and item.grant.ended_at is None:
        _end(item.grant, Grant.End.REVOKED, actor, reason.strip() or _("access review"), now)
    item.decision, item.decided_at, item.decided_by = decision, now, actor
    item.save(update_fields=["decision", "decided_at", "decided_by"])
    review = item.review
    if not review.items.filter(decision="").exists():
        review.closed_at = now
        review.save(update_fields=["closed_at"])
    audit_record(
        actor=actor,
        action="access.review",
        obj=item.grant,
        after={"decision": decision, "review": review.pk},
    )
    return item
