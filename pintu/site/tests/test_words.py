"""Lengths of time and moments in words, in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from pintu.core.moments import stamp
from pintu.site.words import timedelta_words


@pytest.mark.parametrize(
    ("delta", "indonesian", "english"),
    [
        (timedelta(minutes=15), "15 menit", "15 minutes"),
        (timedelta(minutes=1), "1 menit", "1 minute"),
        (timedelta(seconds=20), "1 menit", "1 minute"),  # rounded up: a wait, not less
        (timedelta(minutes=14, seconds=1), "15 menit", "15 minutes"),
        (timedelta(hours=1), "1 jam", "1 hour"),
        (timedelta(minutes=90), "1 jam 30 menit", "1 hour 30 minutes"),
        (timedelta(days=1), "1 hari", "1 day"),
        (timedelta(days=2, minutes=5), "2 hari 5 menit", "2 days 5 minutes"),
        (timedelta(hours=25), "1 hari 1 jam", "1 day 1 hour"),
    ],
)
def test_a_length_of_time_in_words(delta: timedelta, indonesian: str, english: str) -> None:
    with translation.override("id"):
        assert timedelta_words(delta) == indonesian
    with translation.override("en"):
        assert timedelta_words(delta) == english


def test_a_moment_in_words_in_the_local_zone() -> None:
    moment = datetime(2026, 12, 1, 3, 58, 40, tzinfo=UTC)
    with translation.override("id"):
        assert stamp(moment, ZoneInfo("Asia/Jakarta")) == "1 Des 2026 10.58 WIB"
        assert stamp(moment, ZoneInfo("Asia/Makassar")) == "1 Des 2026 11.58 WITA"
    with translation.override("en"):
        assert stamp(moment, ZoneInfo("Asia/Jakarta")) == "1 Dec 2026 10:58 WIB"
