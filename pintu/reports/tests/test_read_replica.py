"""The yearly reports and the KPIs read from a PostgreSQL replica: `pintu report` and
`pintu kpi show` write nothing to the database, so an operator can point them at a
read-only standby and spare the primary (docs/operations.md). A replica's sessions are
read-only; here PGOPTIONS makes every session of the child read-only in the same way."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pintu.conftest import child_environment

READ_ONLY = "-c default_transaction_read_only=on"


def pintu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pintu", *args],
        env=child_environment(PGOPTIONS=READ_ONLY, PINTU_DEBUG="0"),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_reports_and_kpis_are_written_from_a_read_only_session(sops: None, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a read-only PostgreSQL session: the suite runs on SQLite here (CI runs it)")
    call_command("seed", "bench", "--tickets", "200", stdout=StringIO(), stderr=StringIO())
    year = str(timezone.localdate().year)

    # The session refuses writes indeed.
    refused = pintu("seed", "bench", "--tickets", "1")
    assert refused.returncode != 0 and "read-only transaction" in refused.stderr

    for kind, form in (("led", "pdf"), ("led", "xlsx"), ("analysis", "docx")):
        written = tmp_path / f"{kind}.{form}"
        done = pintu("report", kind, "--unit", "UPT-SI", "--year", year, "--format", form,
                     "-o", str(written))  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert written.stat().st_size > 1000
    shown = pintu("kpi", "show", "--unit", "UPT-SI", "--year", year)
    assert shown.returncode == 0, shown.stderr
    assert "B.4.6.4" in shown.stdout
