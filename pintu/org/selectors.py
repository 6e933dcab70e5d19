"""Reads of the organisation: unit trees and working calendars."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from pintu.org.holidays import national_holidays
from pintu.org.models import BusinessCalendar, Closure, Holiday, Unit, default_weekly_hours


def unit_tree() -> list[tuple[Unit, int]]:
    """Every active unit with its depth, parents before their children."""
    units = list(Unit.objects.filter(is_active=True).order_by("code"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def holidays_in(years: Iterable[int]) -> QuerySet[Holiday]:
    return Holiday.objects.filter(date__year__in=list(years))


def non_working_dates(unit: Unit, years: Iterable[int]) -> frozenset[date]:
    """Observed holidays and closures of ``unit`` (and of the whole institution).

    A year nobody has synced yet falls back to the `holidays` package, so the clock never
    quietly ignores a national holiday.
    """
    years = sorted(set(years))
    rows = list(holidays_in(years).values_list("date", "observed"))
    synced_years = {day.year for day, _ in rows}
    dates = {day for day, observed in rows if observed}
    unsynced = [year for year in years if year not in synced_years]
    if unsynced:
        dates.update(national_holidays(unsynced))
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    closures = Closure.objects.filter(
        Q(unit=unit) | Q(unit__isnull=True), start_date__lte=last, end_date__gte=first
    )
    for closure in closures:
        day = closure.start_date
        while day <= closure.end_date:
            dates.add(day)
            day += timedelta(days=1)
    return frozenset(dates)


def working_hours(unit: Unit) -> tuple[str, list[list[str] | None]]:
    """The unit's time zone and weekly hours as stored (Monday first; the defaults
    when the unit has no calendar of its own)."""
    stored = BusinessCalendar.objects.filter(unit=unit).first()
    if stored is None:
        return "Asia/Jakarta", default_weekly_hours()
    return stored.time_zone, stored.weekly_hours


def closures_ahead(unit: Unit, today: date, limit: int = 10) -> QuerySet[Closure]:
    """The closures of ``unit`` and of the whole institution that have not ended before
    ``today``, soonest first."""
    return Closure.objects.filter(
        Q(unit=unit) | Q(unit__isnull=True), end_date__gte=today
    ).order_by("start_date", "end_date")[:limit]
