"""Start-up check of the KPI engine: every measure an SOP names has a function, and
every measure function serves a KPI of some SOP (a function no SOP uses is dead code,
or a measure whose name drifted from its YAML)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from django.core import checks
from django.db import DatabaseError

from pintu.kpi.engine import registry
from pintu.sop.nodes import DefinitionError
from pintu.sop.schema import parse_definition
from pintu.sop.selectors import sop_list
from pintu.sop.services import DEFINITIONS_DIR, definition_files


def named_measures() -> dict[str, set[str]]:
    """measure name -> the KPIs (``SOP KPI``) that name it: in the shipped definitions
    and in the SOPs loaded into the catalogue."""
    found: dict[str, set[str]] = {}
    definitions = []
    for path in definition_files(DEFINITIONS_DIR):
        try:
            definitions.append(parse_definition(path.read_text(encoding="utf-8"), path.name))
        except (DefinitionError, UnicodeDecodeError):
            continue  # `pintu sop check` reports a broken file
    # Not migrated yet: the shipped SOPs are all there is.
    with suppress(DatabaseError):
        definitions += [sop.parsed() for sop in sop_list()]
    for definition in definitions:
        for kpi in definition.kpis:
            found.setdefault(kpi.measure.name, set()).add(f"{definition.code} {kpi.code}")
    return found


# Measures whose module is still being built: their KPIs show as "not measured" until it
# lands, and the check says nothing of them. An entry whose measure is provided fails.
AWAITED: dict[str, str] = {}


def measure_problems(
    named: dict[str, set[str]], provided: set[str], awaited: Iterable[str] = ()
) -> list[checks.CheckMessage]:
    waiting = set(awaited)
    problems: list[checks.CheckMessage] = [
        checks.Error(
            f"KPIs {', '.join(sorted(named[name]))} name the measure {name}, which no "
            "installed app provides",
            hint="Add it to the MEASURES of the app whose records answer it.",
            id="pintu.E301",
        )
        for name in sorted(set(named) - provided - waiting)
    ]
    problems += [
        checks.Error(
            f"the measure {name} is provided now; take it out of AWAITED",
            id="pintu.E303",
        )
        for name in sorted(waiting & provided)
    ]
    problems += [
        checks.Error(
            f"the measure {name} serves no KPI of any SOP",
            hint="Name it in an SOP's kpis[].measure, or remove it.",
            id="pintu.E302",
        )
        for name in sorted(provided - set(named))
    ]
    return problems


@checks.register("pintu")
def check_measures(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return list(measure_problems(named_measures(), set(registry()), AWAITED))
