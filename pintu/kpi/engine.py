"""The KPI engine: every coded KPI of a unit's SOPs measured for a period, with its
target, whether it is met, its trend, and the records behind it.

It finds each measure by the name the SOP's YAML gives: the desk's own measures in
``pintu.kpi.measures`` and a module's in its ``measures.py`` (``MEASURES``). A KPI whose
measure no installed app provides is shown as not measured, never guessed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import Any

from django.apps import apps

from pintu.kpi.measures import MEASURES as DESK_MEASURES
from pintu.kpi.measures import current_definitions
from pintu.org.models import Unit
from pintu.sop.definition import Definition, Kpi
from pintu.sop.grammar import parse_target
from pintu.sop.measurement import Evidence, Measure, Measurement, Period

_registry: dict[str, Measure] | None = None


def registry() -> dict[str, Measure]:
    """Every measure by name: the desk's and each installed app's ``measures.py``."""
    global _registry
    if _registry is None:
        found = dict(DESK_MEASURES)
        for config in apps.get_app_configs():
            if not config.name.startswith("pintu.") or config.name == "pintu.kpi":
                continue
            try:
                module = import_module(f"{config.name}.measures")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.measures":
                    raise
                continue
            for name, measure in getattr(module, "MEASURES", {}).items():
                if name in found:
                    raise ValueError(f"measure {name} is declared twice ({config.name})")
                found[name] = measure
        _registry = found
    return _registry


def _call(function: Callable[..., Any], *args: Any, **context: Any) -> Any:
    """Call with the context the function takes: a measure that needs no SOP or KPI
    does not have to name them."""
    parameters = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return function(*args, **context)
    return function(*args, **{k: v for k, v in context.items() if k in parameters})


@dataclass(frozen=True)
class KpiResult:
    sop: str
    kpi: Kpi
    kind: str  # share, count or presence
    measurement: Measurement | None  # None: no installed app measures it
    threshold: float  # the least value that meets the target this year

    @property
    def code(self) -> str:
        return self.kpi.code

    @property
    def value(self) -> float | None:
        """A share's percentage, a count, or presence as 1 or 0; None when not measured
        or nothing was counted."""
        if self.measurement is None:
            return None
        if self.kind == "share":
            return self.measurement.share
        return float(self.measurement.numerator)

    @property
    def met(self) -> bool | None:
        value = self.value
        if value is None:
            return None
        return value >= self.threshold


def _context(kpi: Kpi, shared: dict[Any, Any] | None = None, **asked: Any) -> dict[str, Any]:
    """What a measure may take: what was asked (unit, period, now, definition), the KPI
    and its parameters, and what one measure read that the next may reuse, for this
    unit, period and now only (``measures._tally``)."""
    return {
        **asked,
        "params": kpi.measure.params,
        "kpi": kpi,
        "shared": {} if shared is None else shared,
    }


def measure_kpi(
    unit: Unit,
    period: Period,
    now: datetime,
    definition: Definition,
    kpi: Kpi,
    shared: dict[Any, Any] | None = None,
) -> KpiResult:
    target = parse_target(kpi.target)
    measure = registry().get(kpi.measure.name)
    threshold = target.threshold(period.start.year)
    if measure is None:
        return KpiResult(definition.code, kpi, target.kind, None, threshold)
    context = _context(kpi, shared, unit=unit, period=period, now=now, definition=definition)
    rows = _call(measure.select, **context)
    measurement = _call(measure.compute, rows, **context)
    threshold = target.threshold(period.start.year, measurement.reading)
    if target.kind == "presence":
        threshold = 1.0
    return KpiResult(definition.code, kpi, measure.kind, measurement, threshold)


def unit_kpis(unit: Unit, period: Period, now: datetime) -> list[KpiResult]:
    """Every coded KPI of the SOPs in force in ``unit``, in the SOPs' order."""
    shared: dict[Any, Any] = {}
    return [
        measure_kpi(unit, period, now, definition, kpi, shared)
        for definition in current_definitions(unit)
        for kpi in definition.kpis
    ]


def kpi_evidence(
    unit: Unit, period: Period, now: datetime, code: str
) -> tuple[KpiResult, Iterator[Evidence]]:
    """A KPI's result and the records behind it, one by one. LookupError for a code
    none of the unit's SOPs has."""
    for definition in current_definitions(unit):
        for kpi in definition.kpis:
            if kpi.code == code:
                result = measure_kpi(unit, period, now, definition, kpi)
                return result, _evidence(result, unit, period, now, definition, kpi)
    raise LookupError(code)


def _evidence(
    result: KpiResult,
    unit: Unit,
    period: Period,
    now: datetime,
    definition: Definition,
    kpi: Kpi,
) -> Iterator[Evidence]:
    measure = registry().get(kpi.measure.name)
    if measure is None or result.measurement is None:
        return iter(())
    if measure.evidence is not None:
        listed: Iterable[Evidence] = _call(
            measure.evidence,
            **_context(kpi, unit=unit, period=period, now=now, definition=definition),
        )
        return iter(listed)
    return iter(result.measurement.evidence)
