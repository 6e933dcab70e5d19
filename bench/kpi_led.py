"""Time of a unit-year of KPIs and of a whole LED, on bench data.

    .venv/bin/python bench/kpi_led.py [--runs 5] [--year YYYY]

Run it after ``pintu seed bench --tickets N`` against the same database (SQLite under
PINTU_VAR_DIR, or PostgreSQL through DATABASE_URL). For every unit with KPIs it prints
the median and slowest time of ``unit_kpis`` for the year over ``--runs`` calls and the
queries one call makes; then, for the busiest unit, the time of a whole LED as PDF, DOCX
and XLSX (gathering the figures and the appendix included). See README.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
os.environ.setdefault("PINTU_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from pintu.desk.models import Ticket  # noqa: E402
from pintu.kpi.engine import unit_kpis  # noqa: E402
from pintu.kpi.selectors import units_with_kpis  # noqa: E402
from pintu.reports.content import gather, report_for  # noqa: E402
from pintu.reports.writers import WRITERS  # noqa: E402
from pintu.sop.measurement import Period  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=timezone.localdate().year)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    period, now = Period.year(args.year), timezone.now()
    machine = platform.processor() or platform.machine()
    print(f"{connection.vendor}, {Ticket.objects.count():,} tickets, {machine}")
    busiest, most = None, -1
    for unit in units_with_kpis():
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                results = unit_kpis(unit, period, now)
                times.append(time.perf_counter() - start)
        year_tickets = Ticket.objects.filter(unit=unit, received_at__year=args.year).count()
        if year_tickets > most:
            busiest, most = unit, year_tickets
        print(
            f"kpis {unit.code:<7} {year_tickets:>8,} requests in {args.year}  "
            f"{len(results):>2} KPIs  median {statistics.median(times) * 1000:7.1f} ms  "
            f"max {max(times) * 1000:7.1f} ms  {len(queries.captured_queries)} queries"
        )
    assert busiest is not None
    for fmt, writer in WRITERS.items():
        start = time.perf_counter()
        content = gather(report_for(busiest, args.year, "led"), now)
        data = writer(content, lambda percent, stage: None)
        took = time.perf_counter() - start
        print(f"LED {busiest.code} {fmt:<4} {took:6.2f} s  {len(data):>10,} bytes")


if __name__ == "__main__":
    main()
