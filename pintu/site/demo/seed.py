"""`pintu seed demo`: the demo people, the holidays of the years a demo shows (the year
before the moment of seeding too) and a closure. A second run keeps what the first made."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from pintu.org import services as org_services
from pintu.org.models import Closure, Unit, User
from pintu.site.demo import people

YEAR = 365  # days before the moment of seeding that the demo shows


def _calendar_and_closure(now: datetime, days: int) -> None:
    first_year = timezone.localtime(now - timedelta(days=days)).year
    year = timezone.localtime(now).year
    org_services.holidays_sync(actor=None, years=range(first_year, year + 2))
    admin = User.objects.get(username="admin")
    if not Closure.objects.filter(unit__code="UPT-SI", reason__startswith="Demo").exists():
        org_services.closure_add(
            actor=admin,
            unit=Unit.objects.get(code="UPT-SI"),
            start_date=date(year, 12, 31),
            end_date=date(year, 12, 31),
            reason="Demo: server room maintenance (UPT-SI closed)",
        )


def seed_demo(*, now: datetime | None = None) -> list[tuple[people.DemoPerson, bool]]:
    """Make what is missing of the demo; returns each login and whether it was new."""
    now = now or timezone.now()
    made = people.people_seed()
    with transaction.atomic():
        _calendar_and_closure(now, YEAR)
    return made
