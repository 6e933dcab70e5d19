"""Load SOP definition files into the catalogue: all files or none, a new revision per change."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.db import DatabaseError, transaction
from django.db.models import Max

from pintu.core.audit import audit_record
from pintu.org.models import Unit
from pintu.sop.definition import Definition
from pintu.sop.models import Activity, Kpi, ServiceType, Sop
from pintu.sop.nodes import DefinitionError
from pintu.sop.schema import parse_definition

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
_CODE_LINE_RE = re.compile(rb"^code\s*:", re.MULTILINE)


@dataclass(frozen=True)
class LoadResult:
    code: str
    revision: int
    status: Literal["loaded", "unchanged"]
    source: str  # the file name
    sop: Sop


@dataclass(frozen=True)
class _Source:
    path: Path
    data: bytes
    sha256: str
    definition: Definition


def definition_read(*, path: Path) -> Definition:
    """Validate one file against the schema and the units that exist; load nothing.
    Without a database yet (before ``pintu migrate``) the unit is not checked."""
    try:
        units: Collection[str] | None = _unit_codes()
    except DatabaseError:
        units = None
    return _read(path, units).definition


def definition_files(directory: Path) -> list[Path]:
    """The definition files of ``directory``, in name order."""
    return sorted(path for path in directory.glob("*.yaml") if path.is_file())


def sop_load_file(*, actor: Any, path: Path) -> LoadResult:
    """Load one definition file (see ``sop_load_dir``)."""
    return _load(actor, [path])[0]


def sop_load_dir(*, actor: Any, directory: Path) -> list[LoadResult]:
    """Load every ``*.yaml`` file of ``directory``, in name order.

    Every file is validated before anything is written, so one bad file loads nothing.
    A file whose bytes match its SOP's current revision loads nothing new; a changed
    file becomes the SOP's next revision with its own service types, activities and
    KPIs, and the rows of earlier revisions stay as they were for the tickets that
    started under them.
    """
    paths = definition_files(directory)
    if not paths:
        raise DefinitionError(str(directory), 1, "", "no definition files (*.yaml) here")
    return _load(actor, paths)


def _unit_codes() -> set[str]:
    return set(Unit.objects.values_list("code", flat=True))


def _read(path: Path, known_units: Collection[str] | None) -> _Source:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DefinitionError(path.name, line, "", "not UTF-8 text") from None
    definition = parse_definition(text, path.name, known_units=known_units)
    return _Source(path, data, hashlib.sha256(data).hexdigest(), definition)


def _code_line(data: bytes) -> int:
    match = _CODE_LINE_RE.search(data)
    return data[: match.start()].count(b"\n") + 1 if match else 1


def _load(actor: Any, paths: Sequence[Path]) -> list[LoadResult]:
    known_units = _unit_codes()
    sources = [_read(path, known_units) for path in paths]
    seen: dict[str, str] = {}
    for source in sources:
        code = source.definition.code
        if code in seen:
            raise DefinitionError(
                source.path.name,
                _code_line(source.data),
                "code",
                f"{code} is also defined in {seen[code]}",
            )
        seen[code] = source.path.name
    with transaction.atomic():
        return [_store(actor, source) for source in sources]


def _store(actor: Any, source: _Source) -> LoadResult:
    definition = source.definition
    name = source.path.name
    current = Sop.objects.select_for_update().filter(code=definition.code, is_current=True).first()
    if current is not None and current.source_sha256 == source.sha256:
        return LoadResult(definition.code, current.revision, "unchanged", name, current)
    last = Sop.objects.filter(code=definition.code).aggregate(last=Max("revision"))["last"]
    if current is not None:
        # Cleared before the new row exists: one current row per code is a constraint.
        current.is_current = False
        current.save(update_fields=["is_current"])
    unit = Unit.objects.get(code=definition.unit)
    sop = Sop.objects.create(
        code=definition.code,
        revision=(last or 0) + 1,
        version=definition.version,
        title=definition.title,
        unit=unit,
        approved_by=definition.approved_by,
        effective=definition.effective,
        definition=definition.to_json(),
        source_name=name,
        source_sha256=source.sha256,
        is_current=True,
    )
    ServiceType.objects.bulk_create(
        ServiceType(
            sop=sop,
            key=service.key,
            name=service.name,
            first_response=service.first_response,
            resolution=service.resolution,
            clock=service.clock,
            kpi_code=service.kpi or "",
        )
        for service in definition.services
    )
    Activity.objects.bulk_create(
        Activity(
            sop=sop,
            key=activity.key,
            position=position,
            actor=activity.actor,
            description=activity.description,
            time_standard=activity.time_standard or "",
            output=activity.output,
        )
        for position, activity in enumerate(definition.activities, start=1)
    )
    Kpi.objects.bulk_create(
        Kpi(
            sop=sop,
            code=kpi.code,
            text=kpi.text,
            measure=kpi.measure.name,
            params=kpi.measure.params,
            target=kpi.target,
        )
        for kpi in definition.kpis
    )
    audit_record(
        actor=actor,
        action="sop.load",
        obj=sop,
        unit=unit,
        before=(
            {"revision": current.revision, "sha256": current.source_sha256}
            if current is not None
            else None
        ),
        after={"revision": sop.revision, "sha256": sop.source_sha256, "source": name},
    )
    return LoadResult(sop.code, sop.revision, "loaded", name, sop)
