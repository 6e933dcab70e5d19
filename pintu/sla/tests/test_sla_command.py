"""`pintu sla due` prints a unit's deadline as ISO 8601, and refuses bad input with exit 2."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pintu.conftest import Personas
from pintu.core.tests.test_settings import run_pintu
from pintu.org.models import BusinessCalendar, Unit
from pintu.org.services import closure_add


def sla_due(*args: str) -> str:
    out = StringIO()
    call_command("sla", "due", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "printed"),
    [
        pytest.param(
            ["--start", "2026-11-25T15:55:00+07:00", "--target", "15m"],
            "2026-11-26T07:40:00+07:00",
            id="design-15m",
        ),
        pytest.param(
            ["--start", "2026-12-24T09:00:00+07:00", "--target", "1d"],
            "2026-12-29T07:30:00+07:00",
            id="design-cuti-bersama",
        ),
        pytest.param(
            ["--start", "2026-11-20T16:10", "--target", "1d"],
            "2026-11-23T16:00:00+07:00",
            id="no-offset-is-unit-time",
        ),
        pytest.param(
            ["--start", "2026-08-03T03:00:00Z", "--target", "2w"],
            "2026-08-18T10:00:00+07:00",
            id="utc-start",
        ),
        pytest.param(
            ["--start", "2026-11-25T15:55", "--target", "15m", "--clock", "calendar"],
            "2026-11-25T16:10:00+07:00",
            id="calendar-clock",
        ),
        pytest.param(
            ["--start", "2026-12-24T09:00", "--target", "300d"],
            "2028-03-21T07:30:00+07:00",
            id="reaches-two-years-ahead",
        ),
    ],
)
def test_sla_due_prints_the_deadline(args: list[str], printed: str) -> None:
    assert sla_due("--unit", "UPT-SI", *args) == printed


@pytest.mark.django_db
def test_sla_due_follows_the_units_closures_and_time_zone(personas: Personas) -> None:
    unit = Unit.objects.get(code="P4M")
    closure_add(
        actor=personas.admin,
        unit=unit,
        start_date=date(2026, 11, 26),
        end_date=date(2026, 11, 26),
        reason="Dies natalis",
    )
    start = ["--start", "2026-11-25T15:55", "--target", "15m"]
    assert sla_due("--unit", "P4M", *start) == "2026-11-27T07:40:00+07:00"
    assert sla_due("--unit", "UPT-SI", *start) == "2026-11-26T07:40:00+07:00"
    BusinessCalendar.objects.update_or_create(unit=unit, defaults={"time_zone": "Asia/Makassar"})
    assert sla_due("--unit", "P4M", *start) == "2026-11-27T07:40:00+08:00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--unit", "NOPE", "--start", "2026-11-25T15:55", "--target", "1d"],
            "unknown unit 'NOPE'",
            id="unknown-unit",
        ),
        pytest.param(
            ["--unit", "UPT-SI", "--start", "2026-11-25T15:55", "--target", "15 minutes"],
            "'15 minutes' is not a target (use 15m, 4h, 1d, 2w or 1mo)",
            id="bad-target",
        ),
        pytest.param(
            ["--unit", "UPT-SI", "--start", "25/11/2026 15:55", "--target", "1d"],
            "--start '25/11/2026 15:55' is not an ISO 8601 date and time",
            id="bad-date",
        ),
    ],
)
def test_sla_due_refuses_bad_input_with_exit_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as error:
        call_command("sla", "due", *args)
    assert error.value.returncode == 2
    assert message in str(error.value)


def test_pintu_sla_due_from_the_command_line(tmp_path: Path) -> None:
    migrated = run_pintu(tmp_path, "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    due = ("sla", "due", "--start", "2026-11-25T15:55:00+07:00")
    worked = run_pintu(tmp_path, *due, "--unit", "UPT-SI", "--target", "15m")
    assert (worked.returncode, worked.stdout) == (0, "2026-11-26T07:40:00+07:00\n")
    unknown = run_pintu(tmp_path, *due, "--unit", "NOPE", "--target", "1d")
    assert unknown.returncode == 2
    assert "unknown unit 'NOPE'" in unknown.stderr
    bad_clock = run_pintu(tmp_path, *due, "--unit", "UPT-SI", "--target", "1d", "--clock", "wall")
    assert bad_clock.returncode == 2
    assert "invalid choice: 'wall'" in bad_clock.stderr
