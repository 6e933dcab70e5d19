"""B.1.15.12's rising target under both readings of "kenaikan minimal sebesar 5%", its
cap at 100% and the years before 2020; which programmes and departments a year covers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pintu.partners.coverage import coverage, departments_active
from pintu.sop.grammar import Reading, Target, parse_target

# B.1.15.12's own target, as PR.KS.yaml writes it.
RULE = parse_target(">= 80% from 2020, +5/year")
POINTS, RELATIVE = Reading.POINTS, Reading.RELATIVE


@pytest.mark.parametrize(
    ("year", "points", "relative"),
    [
        (2020, 80.0, 80.0),
        (2021, 85.0, 84.0),
        (2022, 90.0, 88.2),
        (2023, 95.0, 92.61),
        (2024, 100.0, 97.24),
        (2025, 100.0, 100.0),  # 102.10 by the rule, capped
        (2026, 100.0, 100.0),
        (2040, 100.0, 100.0),
    ],
)
def test_the_target_rises_each_year_in_either_reading(
    year: int, points: float, relative: float
) -> None:
    assert RULE.threshold(year, POINTS) == points
    assert RULE.threshold(year, RELATIVE) == relative


@pytest.mark.parametrize("year", [2019, 2015, 1990])
def test_before_the_rule_began_the_first_years_target_holds(year: int) -> None:
    assert RULE.threshold(year, POINTS) == 80.0
    assert RULE.threshold(year, RELATIVE) == 80.0


def test_another_base_year_and_step() -> None:
    rule = parse_target(">= 60% from 2023, +10/year")
    assert [rule.threshold(y) for y in (2022, 2023, 2024, 2027, 2028)] == [
        60, 60, 70, 100, 100,
    ]  # fmt: skip


@settings(deadline=None)
@given(st.integers(2020, 2200), st.sampled_from(list(Reading)), st.floats(0, 100), st.floats(0, 50))
def test_the_target_never_falls_and_never_passes_100(
    year: int, reading: Reading, base: float, step: float
) -> None:
    rule = Target("share", base, 2020, step)
    this, following = rule.threshold(year, reading), rule.threshold(year + 1, reading)
    assert base - 0.01 <= this <= following <= 100.0


@settings(deadline=None)
@given(st.integers(2021, 2200), st.floats(0, 100), st.floats(0.1, 50))
def test_points_ask_at_least_as_much_as_relative(year: int, base: float, step: float) -> None:
    rule = Target("share", base, 2020, step)
    # Below 100% a relative rise adds less than the step: 5% of 90 is 4.5 points.
    assert rule.threshold(year, POINTS) >= rule.threshold(year, RELATIVE) - 0.01


def test_coverage_lists_the_missing_programmes_in_order() -> None:
    found = coverage(["TRPL", "RKS", "TI", "AK", "TRPL"], {"RKS", "AK", "MJ"})
    assert found.covered == ("RKS", "AK")
    assert found.missing == ("TRPL", "TI")
    assert found.total == 4 and found.share == 50.0


def test_no_unit_to_count_is_no_share() -> None:
    assert coverage([], {"A"}).share is None


def test_a_programmes_activity_counts_for_its_department() -> None:
    parents = {"TRPL": "TI", "RKS": "TI", "AK": "MB", "TI": None}
    assert departments_active(parents, ["RKS"]) == {"RKS", "TI"}
    assert departments_active(parents, ["MB", "TRPL"]) == {"MB", "TRPL", "TI"}
    assert departments_active(parents, []) == frozenset()
