"""Reads of the register of digital-service accounts and of access to it, through who
may see them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Prefetch, Q, QuerySet

from pintu.desk import access
from pintu.org import access as org_access
from pintu.vault.models import DigitalAccount, Grant, Reveal, ReviewItem, Rotation


def accounts_visible_to(viewer: Any) -> QuerySet[DigitalAccount]:
    """The accounts of the units ``viewer`` works in; auditors and admins see all."""
    accounts = DigitalAccount.objects.select_related("unit", "registered_by", "ticket", "steward")
    if org_access.can_read_everything(viewer):
        return accounts
    return accounts.filter(unit_id__in=access.work_unit_ids(viewer))


def running(now: datetime) -> Q:
    """Grants current at ``now``: not ended, their end still ahead."""
    return Q(ended_at__isnull=True, ends_at__gt=now)


def grants_of(person: Any, *, now: datetime) -> QuerySet[Grant]:
    """``person``'s current grants, with their accounts."""
    accounts = DigitalAccount.objects.select_related("unit").order_by("service", "account")
    return (
        Grant.objects.filter(running(now), grantee=person)
        .prefetch_related(Prefetch("accounts", queryset=accounts))
        .order_by("ends_at")
    )


def account_grants(account: DigitalAccount, *, now: datetime) -> QuerySet[Grant]:
    """The account's grants, newest first, each with ``is_running`` at ``now``."""
    return (
        account.grants.select_related("grantee", "granted_by", "ticket")
        .annotate(is_running=ExpressionWrapper(running(now), output_field=BooleanField()))
        .order_by("-granted_at")
    )


def account_reveals(account: DigitalAccount) -> QuerySet[Reveal]:
    return Reveal.objects.filter(account=account).select_related("person").order_by("-at")


def rotations_open(viewer: Any) -> QuerySet[Rotation]:
    """Passwords to change on the accounts ``viewer`` is in charge of."""
    return (
        Rotation.objects.filter(done_at__isnull=True, account__steward=viewer)
        .select_related("account", "grant__grantee")
        .order_by("opened_at")
    )


def review_items_open(viewer: Any) -> QuerySet[ReviewItem]:
    """The grants awaiting ``viewer``'s decision in their access reviews."""
    return (
        ReviewItem.objects.filter(review__steward=viewer, decision="")
        .select_related("review", "grant__grantee", "grant__ticket")
        .prefetch_related("grant__accounts")
        .order_by("review__opened_at", "id")
    )


@dataclass(frozen=True)
class AccessLine:
    """One line of the access report: who could see an account during the period, and
    how often they did."""

    account: DigitalAccount
    grant: Grant
    reveals: int
    last_reveal: datetime | None


def access_report(*, viewer: Any, start: datetime, end: datetime) -> Iterator[AccessLine]:
    """Every grant that ran during [start, end) on an account ``viewer`` may see, per
    account, with the reveals made under it in the period (counted in SQL)."""
    accounts = accounts_visible_to(viewer)
    overlapping = Q(granted_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    grants = (
        Grant.objects.filter(overlapping, accounts__in=accounts)
        .select_related("grantee", "granted_by", "ticket")
        .distinct()
    )
    by_pk = {grant.pk: grant for grant in grants}
    pairs = (
        Grant.accounts.through.objects.filter(grant_id__in=by_pk, digitalaccount__in=accounts)
        .select_related("digitalaccount__unit", "digitalaccount__steward")
        .order_by("digitalaccount__service", "digitalaccount__account", "grant_id")
    )
    seen = {
        (row["grant_id"], row["account_id"]): (row["n"], row["last"])
        for row in Reveal.objects.filter(grant_id__in=by_pk, at__gte=start, at__lt=end)
        .values("grant_id", "account_id")
        .annotate(n=Count("id"), last=Max("at"))
    }
    for pair in pairs:
        count, last = seen.get((pair.grant_id, pair.digitalaccount_id), (0, None))
        yield AccessLine(pair.digitalaccount, by_pk[pair.grant_id], count, last)
