"""The environment helpers fail loudly, naming the variable and what it expected."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from pintu.core.env import Env, local_secret_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_bool_accepts_the_usual_spellings(raw: str, expected: bool) -> None:
    assert Env({"X": raw}).flag("X", not expected) is expected


def test_bool_rejects_anything_else_naming_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"PINTU_DEBUG='maybe' is not a boolean"):
        Env({"PINTU_DEBUG": "maybe"}).flag("PINTU_DEBUG", False)


def test_blank_values_fall_back_to_the_default() -> None:
    env = Env({"A": "  ", "B": ""})
    assert env.flag("A", True) is True
    assert env.number("B", 7) == 7
    assert env.text("A", "dflt") == "dflt"


def test_int_rejects_words_and_values_below_minimum() -> None:
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        Env({"N": "ten"}).number("N", 1)
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 1"):
        Env({"N": "0"}).number("N", 1, minimum=1)
    assert Env({"N": "12"}).number("N", 1, minimum=1) == 12


def test_choice_lists_the_allowed_values() -> None:
    with pytest.raises(ImproperlyConfigured, match="must be one of: development, production"):
        Env({"PINTU_ENV": "prod"}).choice("PINTU_ENV", "development", ("development", "production"))


def test_timezone_must_exist() -> None:
    assert Env({"TZ1": "Asia/Makassar"}).timezone("TZ1", "Asia/Jakarta") == "Asia/Makassar"
    with pytest.raises(ImproperlyConfigured, match="not a known time zone"):
        Env({"TZ1": "Asia/Batam"}).timezone("TZ1", "Asia/Jakarta")


def test_list_splits_on_commas_and_drops_blanks() -> None:
    assert Env({"H": "a.example, b.example,,"}).items("H", []) == ["a.example", "b.example"]


def test_required_says_why() -> None:
    with pytest.raises(ImproperlyConfigured, match="PINTU_SECRET_KEY must be set: because"):
        Env({}).required("PINTU_SECRET_KEY", "because")


def test_local_secret_key_is_generated_once_and_private(tmp_path) -> None:
    path = tmp_path / "var" / "secret_key"
    first = local_secret_key(path)
    assert len(first) >= 50
    assert path.stat().st_mode & 0o777 == 0o600
    assert local_secret_key(path) == first


def test_local_secret_key_refuses_a_truncated_file(tmp_path) -> None:
    path = tmp_path / "secret_key"
    path.write_text("short")
    with pytest.raises(ImproperlyConfigured, match="shorter than 50"):
        local_secret_key(path)


@pytest.mark.parametrize(
    ("raw", "days"),
    [("180,90,30", (180, 90, 30)), (" 30, 90 ,30", (90, 30)), ("7", (7,))],
)
def test_days_read_whole_numbers_largest_first(raw: str, days: tuple[int, ...]) -> None:
    assert Env({"D": raw}).days("D", (1,)) == days


@pytest.mark.parametrize("raw", ["0", "-5", "dua", "1.5", "30,7d"])
def test_days_refuse_what_is_no_number_of_days(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^D: .* is not a number of days"):
        Env({"D": raw}).days("D", (1,))


def test_a_day_of_the_year_is_month_and_day() -> None:
    assert Env({"DUE": "03-15"}).month_day("DUE", "01-31") == (3, 15)
    assert Env({}).month_day("DUE", "01-31") == (1, 31)
    for wrong in ("31-01", "02-30", "Januari", "1"):
        with pytest.raises(ImproperlyConfigured, match="is not a day of the year as MM-DD"):
            Env({"DUE": wrong}).month_day("DUE", "01-31")
