"""What counts as up, when failures are sustained, and the units of the availability
measures' parameters (pure)."""

from __future__ import annotations

import pytest

from pintu.elearning.availability import Month, failures_in_a_row, is_up
from pintu.sop.grammar import parse_percent as percent
from pintu.sop.grammar import parse_seconds as seconds


@pytest.mark.parametrize(
    ("status", "up"),
    [
        (200, True),
        (204, True),
        (302, True),
        (304, True),
        (401, True),  # a login page: the service answers
        (403, True),
        (404, False),
        (429, False),
        (500, False),
        (502, False),
        (503, False),
        (None, False),  # no answer at all
    ],
)
def test_a_service_is_up_when_it_answers_with_a_page(status: int | None, up: bool) -> None:
    assert is_up(status) is up


@pytest.mark.parametrize(
    ("ups", "count"),
    [
        ([], 0),
        ([True], 0),
        ([False], 1),
        ([False, False, True, False], 2),
        ([False, False, False], 3),
        ([True, False, False], 0),
    ],
)
def test_failures_in_a_row_count_back_from_the_newest(ups: list[bool], count: int) -> None:
    assert failures_in_a_row(ups) == count


@pytest.mark.parametrize(
    ("up", "total", "share"), [(0, 0, None), (8640, 8640, 100.0), (8626, 8640, 8626 / 86.4)]
)
def test_a_months_share_is_its_good_probes_over_all(
    up: int, total: int, share: float | None
) -> None:
    assert Month("E-learning", 2026, 3, up, total).share == share


@pytest.mark.parametrize(("text", "value"), [("99%", 99.0), ("99.5 %", 99.5), (" 100% ", 100.0)])
def test_a_percentage_reads_as_a_number(text: str, value: float) -> None:
    assert percent(text) == value


@pytest.mark.parametrize("text", ["99", "101%", "abc%", ""])
def test_a_bad_percentage_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        percent(text)


@pytest.mark.parametrize(("text", "value"), [("2s", 2.0), ("0.5 s", 0.5)])
def test_seconds_read_as_a_number(text: str, value: float) -> None:
    assert seconds(text) == value


@pytest.mark.parametrize("text", ["2", "2ms", "s"])
def test_bad_seconds_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        seconds(text)
