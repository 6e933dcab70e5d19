"""A unit's working week in words: days with the same hours joined, in the page's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from pintu.org.hours import time_words, week_words
from pintu.org.models import default_weekly_hours

DAY = ["07:30", "16:00"]


@pytest.mark.parametrize(
    ("week", "lines"),
    [
        (
            default_weekly_hours(),
            [
                ("Monday–Thursday", "07:30–16:00"),
                ("Friday", "07:30–16:30"),
                ("Saturday–Sunday", "closed"),
            ],
        ),
        ([DAY] * 7, [("Monday–Sunday", "07:30–16:00")]),
        ([None] * 7, [("Monday–Sunday", "closed")]),
        (
            [DAY, None, DAY, None, DAY, None, None],
            [
                ("Monday", "07:30–16:00"),
                ("Tuesday", "closed"),
                ("Wednesday", "07:30–16:00"),
                ("Thursday", "closed"),
                ("Friday", "07:30–16:00"),
                ("Saturday–Sunday", "closed"),
            ],
        ),
        # Stored as JSON or as tuples, equal hours are equal.
        (
            [("08:00", "12:00"), ["08:00", "12:00"], *[None] * 4, ["09:00", "11:00"]],
            [
                ("Monday–Tuesday", "08:00–12:00"),
                ("Wednesday–Saturday", "closed"),
                ("Sunday", "09:00–11:00"),
            ],
        ),
    ],
)
def test_a_week_reads_as_runs_of_days_with_the_same_hours(
    week: list[list[str] | None], lines: list[tuple[str, str]]
) -> None:
    with translation.override("en"):
        words = week_words(week)
    assert [(line.days, line.hours) for line in words] == lines
    assert [line.is_open for line in words] == [hours != "closed" for _, hours in lines]


def test_the_week_in_indonesian() -> None:
    with translation.override("id"):
        assert [(line.days, line.hours) for line in week_words(default_weekly_hours())] == [
            ("Senin–Kamis", "07.30–16.00"),
            ("Jumat", "07.30–16.30"),
            ("Sabtu–Minggu", "ditutup"),
        ]
        assert time_words("16:30") == "16.30"
