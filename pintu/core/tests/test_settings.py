"""The settings module refuses bad configurations at start-up, and production is strict.

Each case imports the settings in a fresh interpreter, as a real start-up does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_KEY = "k" * 20 + "Q7#mZ!p2@xL9$wR4%tY6^uI8&oP0*aS3(dF5)gH1" + "z" * 10


def run_pintu(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PINTU_") and key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environ.update({"PINTU_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(
        [sys.executable, "-m", "pintu", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,  # a migrate on a loaded machine can take minutes
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PINTU_ENV": "production"}, "PINTU_SECRET_KEY must be set"),
        ({"PINTU_ENV": "staging"}, "PINTU_ENV='staging' must be one of"),
        ({"PINTU_DEBUG": "perhaps"}, "PINTU_DEBUG='perhaps' is not a boolean"),
        (
            {"PINTU_ENV": "production", "PINTU_SECRET_KEY": GOOD_KEY, "PINTU_DEBUG": "1"},
            "PINTU_DEBUG must be off",
        ),
        (
            {"PINTU_ENV": "production", "PINTU_SECRET_KEY": "too-short"},
            "at least 50 characters",
        ),
        (
            {"PINTU_ENV": "production", "PINTU_SECRET_KEY": GOOD_KEY},
            "PINTU_ALLOWED_HOSTS must list",
        ),
        ({"DATABASE_URL": "mysqlx://nowhere"}, "DATABASE_URL is not a database URL"),
        ({"PINTU_TIME_ZONE": "Mars/Olympus"}, "not a known time zone"),
        ({"PINTU_SQLITE_TIMEOUT": "0"}, "below the minimum"),
        ({"PINTU_LANGUAGE": "fr"}, "PINTU_LANGUAGE='fr' must be one of"),
        ({"PINTU_STORAGE_URL": "ftp://files/pintu"}, "is not an object store"),
        ({"PINTU_REDIS_URL": "http://127.0.0.1:6379"}, "is not a Redis address"),
    ],
)
def test_bad_configuration_stops_start_up_with_a_clear_message(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = run_pintu(tmp_path, "check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_local_run_needs_no_configuration(tmp_path: Path) -> None:
    result = run_pintu(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "secret_key").exists()


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = run_pintu(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PINTU_ENV="production",
        PINTU_SECRET_KEY=GOOD_KEY,
        PINTU_ALLOWED_HOSTS="pintu.example.ac.id",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path: Path) -> None:
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])\n"
        "print(connection.transaction_mode)\n"
    )
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environ.update(
        {"PINTU_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "pintu.settings"}
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]
