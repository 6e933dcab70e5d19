"""`pintu sop check|load|show|list`: validate, load and read the SOP definitions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pintu.sop import selectors
from pintu.sop.nodes import DefinitionError
from pintu.sop.services import (
    DEFINITIONS_DIR,
    LoadResult,
    definition_read,
    sop_load_dir,
    sop_load_file,
)


class Command(BaseCommand):
    help = "Check, load, show and list SOP definitions (one YAML file per SOP)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help="Validate one definition file; load nothing.")
        check.add_argument("file", type=Path)
        load = actions.add_parser(
            "load", help="Load every *.yaml file of a folder (or one file); all or nothing."
        )
        load.add_argument(
            "directory",
            nargs="?",
            type=Path,
            default=DEFINITIONS_DIR,
            help="Default: the definitions shipped with Pintu.",
        )
        show = actions.add_parser("show", help="Show the current revision of one SOP.")
        show.add_argument("code")
        show.add_argument("--json", action="store_true", help="The whole definition as JSON.")
        listing = actions.add_parser("list", help="List the loaded SOPs, one per line.")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "check":
                self.check_file(options["file"])
            elif action == "load":
                self.load(options["directory"])
            elif action == "show":
                self.show(options["code"], as_json=options["json"])
            else:
                self.list_sops(as_json=options["json"])
        except DefinitionError as error:
            raise CommandError(str(error), returncode=2) from None
        except OSError as error:
            raise CommandError(f"{error.filename}: {error.strerror}", returncode=2) from None

    def check_file(self, path: Path) -> None:
        definition = definition_read(path=path)
        self.stdout.write(
            f"ok: {definition.code} ({len(definition.activities)} activities, "
            f"{len(definition.kpis)} KPIs)"
        )

    def load(self, path: Path) -> None:
        results: list[LoadResult]
        if path.is_file():
            results = [sop_load_file(actor=None, path=path)]
        elif path.is_dir():
            results = sop_load_dir(actor=None, directory=path)
        else:
            raise CommandError(f"{path}: no such file or folder", returncode=2)
        for result in results:
            self.stdout.write(f"{result.status}: {result.code} (revision {result.revision})")

    def show(self, code: str, *, as_json: bool) -> None:
        sop = selectors.sop_current(code)
        if sop is None:
            raise CommandError(f"unknown SOP {code!r} (see `pintu sop list`)", returncode=2)
        data = selectors.sop_as_json(sop)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        number = f"{sop.code}-{sop.version}" if sop.version else sop.code
        self.stdout.write(f"{number} revision {sop.revision}: {sop.title}")
        self.stdout.write(f"unit {sop.unit.code}, loaded {sop.loaded_at:%Y-%m-%d %H:%M}")
        for service in data["services"]:
            self.stdout.write(
                f"  service {service['key']}: first response {service['first_response']}, "
                f"resolution {service['resolution']}"
            )
        for activity in data["activities"]:
            time = activity["time_standard"] or "-"
            self.stdout.write(f"  step {activity['key']} ({activity['actor']}, {time})")
        for kpi in data["kpis"]:
            self.stdout.write(f"  KPI {kpi['code']}: {kpi['measure']['name']} {kpi['target']}")

    def list_sops(self, *, as_json: bool) -> None:
        sops = selectors.sop_list()
        if as_json:
            rows = [
                {
                    "code": sop.code,
                    "revision": sop.revision,
                    "version": sop.version,
                    "title": sop.title,
                    "unit": sop.unit.code,
                    "loaded_at": sop.loaded_at.isoformat(),
                }
                for sop in sops
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for sop in sops:
            self.stdout.write(f"{sop.code}\trevision {sop.revision}\t{sop.unit.code}\t{sop.title}")
