"""`pintu seed demo`: the demo people, the holidays of the year shown and a closure, a
year of requests in the five units filed through the desk's services, the requests
that arrive in the first minutes of the run, and the year's quality records (evidence
documents, service evaluations).

The year is made once: a second run keeps it and adds nothing (the live arrivals, written
in the same transaction, mark it as made). The same seed and the same moment of seeding
give the same requests; the moment is the seeding's own, so that whenever the demo is
made its queues hold a current mix.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from pintu.desk.models import Ticket
from pintu.org import services as org_services
from pintu.org.models import Closure, Unit, User
from pintu.outbox.services import recording_history
from pintu.site.demo import identity, people, vault
from pintu.site.demo.arrivals import arrivals_schedule
from pintu.site.demo.filing import Filing
from pintu.site.demo.learning import learning_seed
from pintu.site.demo.plans import Offer, Plan, Pools, Requester
from pintu.site.demo.quality import quality_seed
from pintu.site.demo.scenes import SCENES, Scenes
from pintu.site.demo.year import Year
from pintu.site.models import DemoArrival
from pintu.sla.calendar import WorkingCalendar
from pintu.sla.calendars import CalendarCache
from pintu.sla.deadlines import warn_fraction
from pintu.sop.models import ServiceType

DEMO_SEED = 2026
YEAR = 365  # days of requests before the moment of seeding
PROGRESS_EVERY = 100  # requests


@dataclass(frozen=True)
class DemoResult:
    people: list[tuple[people.DemoPerson, bool]]
    made: bool  # the requests were made by this run (else kept, or no SOP is loaded)
    requests: int  # made by this run, or found
    arrivals: int  # live arrivals still to come
    seconds: float


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
            reason="Demo: pemeliharaan ruang server (UPT-SI tutup)",
        )


def _offers() -> tuple[list[Offer], dict[tuple[str, str], ServiceType]]:
    """The current revision's service types, as the planner and the filing need them."""
    service_types = list(
        ServiceType.objects.filter(sop__is_current=True)
        .select_related("sop__unit")
        .order_by("sop__code", "id")
    )
    offers = []
    for service_type in service_types:
        definition = service_type.sop.parsed()
        service = service_type.definition()
        offers.append(
            Offer(
                unit=service_type.sop.unit.code,
                sop=service_type.sop.code,
                service=service,
                steps=tuple(definition.activity(key) for key in service.activities),
                requester_roles=frozenset(definition.requester_roles),
            )
        )
    return offers, {(st.sop.code, st.key): st for st in service_types}


def _pools() -> Pools:
    def accounts(persons: tuple[people.DemoPerson, ...]) -> list[tuple[str, str]]:
        return [(person.username, person.full_name) for person in persons]

    logins = {person.username: person for person in people.DEMO_PEOPLE}
    return Pools(
        students=accounts((logins["mahasiswa"], *people.DEMO_STUDENTS)),
        lecturers=accounts((logins["dosen"], *people.DEMO_LECTURERS)),
        outsiders=[Requester(name=o.name, email=o.email, phone=o.phone) for o in people.OUTSIDERS],
        partners=[Requester(name=o.name, email=o.email, phone=o.phone) for o in people.PARTNERS],
        staff=people.STAFF,
    )


def demo_plans(
    *,
    seed: int,
    now: datetime,
    days: int,
    calendars: dict[str, WorkingCalendar],
    offers: list[Offer],
) -> list[Plan]:
    """The year before ``now`` and the scenes, in the order the requests arrived."""
    rng = random.Random(seed)
    pools = _pools()
    year = Year(rng=rng, now=now, calendars=calendars, offers=offers, pools=pools)
    scenes = Scenes(rng=rng, now=now, calendars=calendars, offers=offers, pools=pools)
    plans = year.plans(days) + scenes.plans(SCENES, warn=warn_fraction)
    return sorted(plans, key=lambda plan: (plan.received_at, plan.entered_at))


def seed_demo(
    *,
    now: datetime | None = None,
    days: int = YEAR,
    seed: int = DEMO_SEED,
    progress: Callable[[str], Any] | None = None,
) -> DemoResult:
    """Make what is missing of the demo (see the module docstring)."""
    started = time.monotonic()
    now = now or timezone.now()
    made_people = people.people_seed()
    with transaction.atomic():
        _calendar_and_closure(now, days)
        learning_seed(now)
    if DemoArrival.objects.exists():
        pending = DemoArrival.objects.filter(filed_at__isnull=True).count()
        return DemoResult(
            made_people, False, Ticket.objects.count(), pending, time.monotonic() - started
        )
    offers, service_types = _offers()
    if not offers:
        return DemoResult(made_people, False, 0, 0, time.monotonic() - started)
    units = {offer.unit for offer in offers}
    first_year = timezone.localtime(now - timedelta(days=days)).year
    cache = CalendarCache()
    calendars = {
        unit.code: cache.cover(unit, first_year, timezone.localtime(now).year)
        for unit in Unit.objects.filter(code__in=units)
    }
    plans = demo_plans(seed=seed, now=now, days=days, calendars=calendars, offers=offers)
    usernames = {person.username for person in people.everyone()}
    filing = Filing(
        now=now,
        people={user.username: user for user in User.objects.filter(username__in=usernames)},
        service_types=service_types,
    )
    # One transaction: a run that stops half-way leaves no half year behind.
    with transaction.atomic(), recording_history(before=now):
        vault.register_seed(at=now - timedelta(days=days + 1))
        identity.master_seed(plans=plans, people=filing.people, at=now - timedelta(days=days + 1))
        for done, plan in enumerate(plans, start=1):
            filing.file(plan)
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(plans)):
                progress(f"demo: {done}/{len(plans)} requests ({100 * done // len(plans)}%)")
        vault.year_end(now=now)
        arrivals = arrivals_schedule(now)
    quality_seed(now)
    return DemoResult(made_people, True, len(plans), arrivals, time.monotonic() - started)
