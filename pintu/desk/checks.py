"""Start-up checks of the desk's seams: every registered step action names an activity
that an SOP has (one loaded into the catalogue, or one that ships with Pintu)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError

from pintu.desk.actions import ACTIONS
from pintu.sop.nodes import DefinitionError
from pintu.sop.schema import parse_definition
from pintu.sop.selectors import activity_keys_by_sop
from pintu.sop.services import DEFINITIONS_DIR, definition_files


def _known_activities() -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    for path in definition_files(DEFINITIONS_DIR):
        try:
            definition = parse_definition(path.read_text(encoding="utf-8"), path.name)
        except (DefinitionError, UnicodeDecodeError):
            continue  # `pintu sop check` reports a broken file; this check is about actions
        known.setdefault(definition.code, set()).update(a.key for a in definition.activities)
    try:
        for code, keys in activity_keys_by_sop().items():
            known.setdefault(code, set()).update(keys)
    except DatabaseError:
        pass  # not migrated yet: the shipped SOPs are all there is
    return known


@checks.register("pintu")
def check_step_actions(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not ACTIONS:
        return []
    known = _known_activities()
    return [
        checks.Error(
            f"step action {sop} {activity} names an activity that no SOP has",
            hint=f"SOP {sop} has: {', '.join(sorted(known[sop]))}"
            if sop in known
            else f"no SOP {sop} is loaded or ships with Pintu",
            id="pintu.E201",
        )
        for sop, activity in sorted(ACTIONS)
        if activity not in known.get(sop, set())
    ]
