"""The audit chain's cost: audit rows written per second (each in its own transaction,
locking the chain head, as services write them), by one and by four writers at once,
and the rows `pintu audit verify` checks per second.

    .venv/bin/python bench/audit_chain.py [--rows 20000]

Without DATABASE_URL and PINTU_VAR_DIR it works in a throwaway SQLite database of its
own; with DATABASE_URL (e.g. under scripts/with-postgres) it migrates there first (use a
scratch database: it adds audit rows). See README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")
os.environ.setdefault("PINTU_LOG_LEVEL", "WARNING")
SCRATCH = None
if not os.environ.get("DATABASE_URL") and not os.environ.get("PINTU_VAR_DIR"):
    SCRATCH = tempfile.mkdtemp(prefix="pintu-bench-audit-")
    os.environ["PINTU_VAR_DIR"] = SCRATCH

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from pintu.core.audit import audit_record, audit_verify  # noqa: E402
from pintu.org.models import Unit  # noqa: E402


def write(count: int, unit: Unit) -> None:
    for number in range(count):
        with transaction.atomic():
            audit_record(
                actor=None,
                action="bench.write",
                obj=unit,
                unit=unit,
                after={"n": number, "text": "Printer lab 2 macet"},
            )
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    rows = parser.parse_args().rows
    call_command("migrate", verbosity=0)
    unit = Unit.objects.get(code="UPT-SI")
    print(f"{connection.vendor}, Python {platform.python_version()}, {os.cpu_count()} CPUs")

    started = time.perf_counter()
    write(rows, unit)
    one = rows / (time.perf_counter() - started)
    print(f"one writer:   {rows} rows, {one:,.0f} rows/s")

    share = rows // 4
    threads = [threading.Thread(target=write, args=(share, unit)) for _ in range(4)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    four = 4 * share / (time.perf_counter() - started)
    print(f"four writers: {4 * share} rows, {four:,.0f} rows/s in all")

    started = time.perf_counter()
    verdict = audit_verify()
    elapsed = time.perf_counter() - started
    assert verdict.ok, verdict.problem
    rate = verdict.rows / elapsed
    print(f"verify:       {verdict.rows} rows in {elapsed:.2f} s, {rate:,.0f} rows/s")
    if SCRATCH:
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
