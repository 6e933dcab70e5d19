"""Calendars are loaded once and shared, and a change to calendar data applies at once."""

from __future__ import annotations

from datetime import date

import pytest

from pintu.org import services
from pintu.org.models import Unit
from pintu.sla.calendars import CalendarCache, calendar_for_unit


@pytest.mark.django_db
def test_one_load_is_shared_until_the_calendar_data_changes(
    personas, django_assert_num_queries
) -> None:
    si = Unit.objects.get(code="UPT-SI")
    first = CalendarCache().get(si, 2026)
    # Another request, same process: one look at the calendars' token in the shared
    # cache (here the database's table), no reload.
    with django_assert_num_queries(1) as counted:
        assert CalendarCache().get(si, 2026) is first
    assert "pintu_cache" in counted.captured_queries[0]["sql"]
    services.closure_add(
        actor=personas.head,
        unit=si,
        start_date=date(2026, 12, 30),
        end_date=date(2026, 12, 30),
        reason="Pemeliharaan",
    )
    fresh = CalendarCache().get(si, 2026)
    assert date(2026, 12, 30) in fresh.non_working_dates
    assert date(2026, 12, 30) not in first.non_working_dates


@pytest.mark.django_db
def test_a_span_of_years_is_loaded_once_per_unit(django_assert_num_queries) -> None:
    si = Unit.objects.get(code="UPT-SI")
    cache = CalendarCache()
    calendar = cache.cover(si, 2025, 2026)
    with django_assert_num_queries(0):
        assert cache.get(si, 2025) is calendar and cache.get(si, 2026) is calendar
    assert date(2025, 8, 17) in calendar.non_working_dates
    assert date(2027, 1, 1) in calendar.non_working_dates  # the following year too


@pytest.mark.django_db
def test_calendar_for_unit_uses_stored_hours() -> None:
    si = Unit.objects.get(code="UPT-SI")
    si.calendar.weekly_hours = [["08:00", "15:00"]] * 5 + [["08:00", "12:00"], None]
    si.calendar.save(update_fields=["weekly_hours"])
    calendar = calendar_for_unit(si, [2026])
    assert calendar.hours_on(date(2026, 11, 28)) is not None  # Saturday morning
    assert calendar.hours_on(date(2026, 11, 29)) is None
