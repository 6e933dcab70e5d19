"""Working calendars per unit, loaded once instead of per ticket.

``CalendarCache`` holds them for one request or sweep. Behind it each process keeps the
calendars it loaded, so that a worker filing a burst of mail or WhatsApp messages does
not reload holidays and closures for every message. What makes them agree across
processes and hosts is a token in Django's shared cache (the database or Redis): a
change of calendar data (a closure, a holiday correction, new weekly hours) draws a new
token when its transaction commits, and every process, on every host, checks the token
before it uses a calendar it kept, so the change applies everywhere at once. Data
changed behind the services' back (SQL by hand, a rolled-back change this process
read) is forgotten within ``SHARED_SECONDS``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import transaction

from pintu.org.models import Unit
from pintu.org.selectors import non_working_dates, working_hours
from pintu.sla.calendar import WorkingCalendar, parse_weekly_hours

SHARED_SECONDS = 60.0
TOKEN_KEY = "pintu:calendars:token"  # noqa: S105 (a cache key, not a secret)
_shared: dict[tuple[int, int, int], tuple[float, WorkingCalendar]] = {}
_zones: dict[int, tuple[float, ZoneInfo]] = {}
_kept_under = [""]  # the shared token that what this process keeps was loaded under


def shared_token() -> str:
    """The token of the calendar data as every process now agrees on it."""
    token = cache.get(TOKEN_KEY)
    if token is None:  # first use, or the cache was emptied: agree on a new one
        cache.add(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(TOKEN_KEY)
    return str(token)


def calendar_for_unit(unit: Unit, years: Iterable[int]) -> WorkingCalendar:
    """The unit's working calendar for ``years``, read afresh from the database."""
    time_zone, raw_hours = working_hours(unit)
    return WorkingCalendar(
        time_zone=time_zone,
        weekly_hours=parse_weekly_hours(raw_hours),
        non_working_dates=non_working_dates(unit, years),
    )


def zone_for_unit(unit: Unit) -> ZoneInfo:
    """The time zone the unit's moments are read in (its business calendar's). Shown
    on pages many times a request, so it does not ask for the token each time: it is
    forgotten with the calendars when they see a new one, and after SHARED_SECONDS."""
    now = time.monotonic()
    kept = _zones.get(unit.pk)
    if kept is not None and now - kept[0] < SHARED_SECONDS:
        return kept[1]
    zone = ZoneInfo(working_hours(unit)[0])
    _zones[unit.pk] = (now, zone)
    return zone


def calendar_data_changed(**_: object) -> None:
    """Forget every kept calendar and zone here at once, and everywhere when the change
    commits (connected to saves of calendar data). Not before it commits: another host
    would reload the rows as they were and keep them under the new token."""
    forget_kept()
    transaction.on_commit(_new_token)


def _new_token() -> None:
    cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    forget_kept()


def forget_kept() -> None:
    """Forget the calendars and zones this process kept: the next use reloads them."""
    _shared.clear()
    _zones.clear()


def _load(unit: Unit, first_year: int, end_year: int) -> WorkingCalendar:
    token = shared_token()
    if token != _kept_under[0]:  # calendar data changed somewhere since they were loaded
        forget_kept()
        _kept_under[0] = token
    key = (unit.pk, first_year, end_year)
    now = time.monotonic()
    hit = _shared.get(key)
    if hit is not None and now - hit[0] < SHARED_SECONDS:
        return hit[1]
    calendar = calendar_for_unit(unit, range(first_year, end_year + 1))
    _shared[key] = (now, calendar)
    return calendar


class CalendarCache:
    """Each unit's calendar over the years asked for so far (a start year and the next,
    since a deadline can fall in the following year). One load per unit when the span
    is announced up front with ``cover``, whatever the number of tickets."""

    def __init__(self) -> None:
        self._calendars: dict[int, tuple[int, int, WorkingCalendar]] = {}

    def cover(self, unit: Unit, first_year: int, last_year: int) -> WorkingCalendar:
        """The unit's calendar for every year from ``first_year`` to ``last_year`` + 1."""
        cached = self._calendars.get(unit.pk)
        if cached is not None and cached[0] <= first_year and last_year + 1 <= cached[1]:
            return cached[2]
        if cached is not None:
            first_year, last_year = min(first_year, cached[0]), max(last_year, cached[1] - 1)
        calendar = _load(unit, first_year, last_year + 1)
        self._calendars[unit.pk] = (first_year, last_year + 1, calendar)
        return calendar

    def get(self, unit: Unit, year: int) -> WorkingCalendar:
        return self.cover(unit, year, year)
