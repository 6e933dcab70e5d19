"""Synthetic tickets for the benchmark: ``pintu seed bench --tickets N``.

The data has the shape of a real desk (``shape``): tickets spread over the units that
have an SOP and their service types, over the last two years (more of them lately),
through every door, mostly resolved or closed with about 3 % still in the queues, each
with 1-4 articles, its SOP steps and its pauses, and deadlines computed by the SLA clock
as the desk's services compute them (``ticket_deadlines`` over the unit's calendar).

The tickets are written in bulk (``writer``), one transaction per ``CHUNK`` tickets, not
through ``pintu.desk.services``, which write an audit row per change: the audit log is
the record of what people did, and nobody did anything to these tickets. They are
synthetic, so they get no audit rows (a million of them would also measure the audit
writer rather than the desk).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from pintu.desk.bench.explain import explain_queue, queue_sql
from pintu.desk.bench.generator import Generator, received_times
from pintu.desk.bench.people import bench_people
from pintu.desk.bench.plans import BenchError, service_plans
from pintu.desk.bench.shape import SPAN_DAYS
from pintu.desk.bench.writer import Writer
from pintu.org import services as org_services

__all__ = ["BenchError", "BenchResult", "explain_queue", "queue_sql", "seed_bench"]

CHUNK = 10_000  # tickets per transaction


@dataclass(frozen=True)
class BenchResult:
    tickets: int
    articles: int
    steps: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.tickets / self.seconds if self.seconds else 0.0


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}m{seconds:02d}s"


def seed_bench(
    *,
    tickets: int,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[str], Any] | None = None,
) -> BenchResult:
    """Generate ``tickets`` synthetic tickets (see the module docstring)."""
    if tickets < 1:
        raise BenchError("--tickets must be at least 1")
    started = time.monotonic()
    now = now or timezone.now()
    rng = random.Random(seed)
    plans = service_plans()
    units = sorted({plan.unit for plan in plans}, key=lambda unit: unit.code)
    people = bench_people(units)
    # A desk in use has synced the holidays of the years its tickets span.
    first_year = timezone.localtime(now - timedelta(days=SPAN_DAYS)).year
    org_services.holidays_sync(
        actor=None, years=range(first_year, timezone.localtime(now).year + 2)
    )
    generator = Generator(rng=rng, now=now, plans=plans, people=people)
    writer = Writer()
    moments = received_times(rng, tickets, now)
    made_articles = made_steps = 0
    for first in range(0, tickets, CHUNK):
        drafts = [generator.draft(moment) for moment in moments[first : first + CHUNK]]
        articles, steps = writer.write(drafts, generator.counters)
        made_articles += articles
        made_steps += steps
        if progress is not None:
            done = first + len(drafts)
            rate = done / (time.monotonic() - started)
            progress(
                f"bench: {done}/{tickets} tickets ({100 * done / tickets:.0f}%), "
                f"{rate:.0f}/s, ETA {_duration((tickets - done) / rate)}"
            )
    with connection.cursor() as cursor:
        # Fresh planner statistics, so that the queue's plan fits the new volume.
        cursor.execute("ANALYZE")
    return BenchResult(
        tickets=tickets,
        articles=made_articles,
        steps=made_steps,
        seconds=time.monotonic() - started,
    )
