"""Working calendars agree across processes and hosts: a closure added by another
process (a web or worker process on another host, here a child process) applies in
this one at once, through the token in the shared cache, in the database's cache
table (the default) and in Redis (``PINTU_REDIS_URL``)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest

from pintu.conftest import Personas, child_environment
from pintu.org.models import Unit
from pintu.sla import clock
from pintu.sla.calendars import CalendarCache

CLOSED = date(2026, 12, 30)  # a Wednesday

ADD_CLOSURE = """
import django
django.setup()
from datetime import date, datetime
from pintu.org import services
from pintu.org.models import Unit, User
services.closure_add(
    actor=User.objects.get(username="kepala-si"),
    unit=Unit.objects.get(code="UPT-SI"),
    start_date=date(2026, 12, 30),
    end_date=date(2026, 12, 30),
    reason="Pemeliharaan jaringan",
)
"""


@pytest.mark.django_db(transaction=True)
def test_a_closure_added_by_another_process_applies_here_at_once(
    personas: Personas, shared_cache: dict[str, str]
) -> None:
    si = Unit.objects.get(code="UPT-SI")
    before = CalendarCache().get(si, 2026)
    assert CLOSED not in before.non_working_dates
    assert CalendarCache().get(si, 2026) is before  # kept here, not reloaded
    start = datetime(2026, 12, 29, 10, 0, tzinfo=before.tz)  # Tuesday: due Wednesday
    assert clock.due_at(before, start, clock.parse_target("1d")).date() == CLOSED

    subprocess.run(
        [sys.executable, "-c", ADD_CLOSURE],
        env=child_environment(**shared_cache),
        timeout=120,
        check=True,
    )

    after = CalendarCache().get(si, 2026)  # no waiting: the very next use
    assert CLOSED in after.non_working_dates
    assert clock.due_at(after, start, clock.parse_target("1d")).date() == date(2026, 12, 31)
