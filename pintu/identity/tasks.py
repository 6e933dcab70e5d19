"""The campus accounts' background work, run by the worker: a cohort's batch; every
minute, who of the accounts awaiting their first sign-in has signed in (read from the
directory, the mailbox poll's way); every hour, the accounts due to be disabled or
moved aside (PR.33.8 "Pengelolaan akun")."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pintu.core.periodic import periodic
from pintu.doors.ldap.config import directory
from pintu.doors.ldap.operations import sign_ins
from pintu.doors.ldap.transport import connection
from pintu.identity import cohorts, lifecycle, services
from pintu.identity.models import CampusAccount, Cohort

# How long after activation an account is still watched for its first sign-in.
WATCH_FOR = timedelta(days=60)


@task()
def cohort_run(cohort_id: int) -> int:
    cohort = Cohort.objects.get(pk=cohort_id)
    return cohorts.cohort_run(cohort=cohort, now=timezone.now()).done


@periodic(every=timedelta(minutes=1))
@task()
def first_sign_ins() -> int:
    """Read the directory's record of sign-ins (``authTimestamp``) for the accounts whose
    holder set a password but has not been seen signing in; each one seen is recorded
    and its request resolved."""
    if not settings.PINTU_LDAP_URL:
        return 0
    now = timezone.now()
    waiting = {
        account.username: account
        for account in CampusAccount.objects.filter(
            state=lifecycle.State.ACTIVE,
            first_sign_in_at__isnull=True,
            activated_at__gte=now - WATCH_FOR,
        )
    }
    if not waiting:
        return 0
    with connection() as conn:
        seen = sign_ins(conn, directory().base_dn, list(waiting))
    for username, at in seen.items():
        services.account_signed_in(account=waiting[username], at=at)
    return len(seen)


@periodic(every=timedelta(hours=1))
@task()
def lifecycle_due() -> int:
    """Disable the accounts whose day has come; move aside those disabled long enough."""
    now = timezone.now()
    done = 0
    for account in CampusAccount.objects.filter(
        disable_on__lte=timezone.localdate(now),
        state__in=[lifecycle.State.STAGED, lifecycle.State.ACTIVE],
    ):
        services.account_disable(actor=None, account=account, now=now)
        done += 1
    holders = [
        lifecycle.Holder(a.pk, lifecycle.State(a.state), "", a.disabled_at)
        for a in CampusAccount.objects.filter(state=lifecycle.State.DISABLED)
    ]
    after = timedelta(days=settings.PINTU_IDENTITY_MOVE_ASIDE_DAYS)
    for holder in lifecycle.to_move(holders, now=now, after=after):
        services.account_move_aside(
            account=CampusAccount.objects.get(pk=holder.account_id), now=now
        )
        done += 1
    return done
