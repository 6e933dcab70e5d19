"""`pintu kpi show` and `pintu kpi evidence`: a unit's KPIs for a year, and the records
behind one of them."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pintu.kpi.engine import kpi_evidence, unit_kpis
from pintu.kpi.selectors import kpi_row
from pintu.org.models import Unit
from pintu.sop.measurement import Period


class Command(BaseCommand):
    help = "KPIs of a unit's SOPs for a year: `show`, or `evidence` of one KPI."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, help_text in (
            ("show", "Every KPI of the unit's SOPs with its value, target and whether met."),
            ("evidence", "The records behind one KPI, each with whether it passed."),
        ):
            action = actions.add_parser(name, help=help_text)
            action.add_argument("--unit", required=True, help="A unit code, e.g. UPT-SI.")
            action.add_argument("--year", type=int, required=True)
            action.add_argument("--json", action="store_true", help="One JSON document.")
            if name == "evidence":
                action.add_argument("--code", required=True, help="The KPI, e.g. B.4.6.4.a.")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"unknown unit {options['unit']!r}", returncode=2)
        period, now = Period.year(options["year"]), timezone.now()
        if options["action"] == "show":
            self._show(unit, period, now, as_json=options["json"])
        else:
            self._evidence(unit, period, now, options["code"], as_json=options["json"])

    def _show(self, unit: Unit, period: Period, now: Any, *, as_json: bool) -> None:
        rows = [kpi_row(result) for result in unit_kpis(unit, period, now)]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            value = "-" if row["value"] is None else f"{row['value']:g}"
            met = {True: "met", False: "NOT met", None: "nothing counted yet"}[row["met"]]
            if not row["measured"]:
                met = "not measured"
            counts = (
                f"{row['numerator']:g}/{row['denominator']:g}"
                if row["denominator"] is not None
                else "-"
            )
            self.stdout.write(
                f"{row['code']:<12} {value:>7} {counts:>11}  target {row['target']:<26} {met}"
            )

    def _evidence(self, unit: Unit, period: Period, now: Any, code: str, *, as_json: bool) -> None:
        try:
            result, evidence = kpi_evidence(unit, period, now, code)
        except LookupError:
            raise CommandError(f"{unit.code} has no KPI {code}", returncode=2) from None
        records = [
            {
                "reference": e.reference,
                "label": e.label,
                "passed": e.passed,
                "counted": e.counted,
                "note": e.note,
                "when": e.when.isoformat() if e.when else None,
            }
            for e in evidence
        ]
        if as_json:
            self.stdout.write(
                json.dumps({**kpi_row(result), "evidence": records}, ensure_ascii=False, indent=1)
            )
            return
        for record in records:
            state = "passed" if record["passed"] else ("failed" if record["counted"] else "waits")
            note = f"  ({record['note']})" if record["note"] else ""
            self.stdout.write(f"{record['reference']:<16} {state:<7} {record['label']}{note}")
