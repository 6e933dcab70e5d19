"""An SOP definition as plain, validated data: what one YAML file in definitions/ says.

``pintu.sop.schema`` builds these from YAML (with errors naming file, line and field);
the loader stores them; pages and the desk read them back with ``Definition.from_json``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# A duration such as 15m, 4h, 1d, 3d, 2w or 1mo (see the SLA section of DESIGN.md).
DURATION_RE = re.compile(r"^(?P<amount>[1-9][0-9]*)(?P<unit>mo|m|h|d|w)$")
# A retention period in years, such as 5y.
RETENTION_RE = re.compile(r"^(?P<years>[1-9][0-9]*)y$")
CLOCKS = ("working", "calendar")


@dataclass(frozen=True)
class Role:
    key: str
    name: str


@dataclass(frozen=True)
class Branch:
    to: str  # activity key
    when: str  # the condition, in the SOP's words (e.g. "akses diberikan")


@dataclass(frozen=True)
class Activity:
    key: str
    actor: str  # role key
    description: str
    note: str = ""
    requirements: str = ""
    time_standard: str | None = None  # Mutu Baku time, a duration; None where the SOP is blank
    output: str = ""
    next: tuple[Branch, ...] = ()


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str = "text"  # text, textarea, choice, date, email, number
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    first_response: str
    resolution: str
    description: str = ""
    clock: str = "working"
    kpi: str | None = None  # the KPI code that sets this service's time standard
    activities: tuple[str, ...] = ()  # activity keys, in order
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Measure:
    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kpi:
    code: str
    text: str  # the original Indonesian text
    measure: Measure
    target: str  # e.g. ">= 100%", ">= 1/year", "present"


@dataclass(frozen=True)
class Record:
    name: str
    form: str
    location: str
    retention: str  # e.g. 5y


@dataclass(frozen=True)
class Definition:
    code: str
    version: str
    title: str
    unit: str  # unit code
    approved_by: str
    effective: date
    purpose: tuple[str, ...]
    scope: tuple[str, ...]
    roles: tuple[Role, ...]
    services: tuple[Service, ...]
    activities: tuple[Activity, ...]
    kpis: tuple[Kpi, ...]
    records: tuple[Record, ...]
    institution: str = ""
    warning: str = ""
    definitions: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def role(self, key: str) -> Role:
        return next(role for role in self.roles if role.key == key)

    def activity(self, key: str) -> Activity:
        return next(activity for activity in self.activities if activity.key == key)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["effective"] = self.effective.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Definition:
        """Rebuild a definition stored by ``to_json`` (already validated when loaded)."""
        return cls(
            code=data["code"],
            version=data["version"],
            title=data["title"],
            unit=data["unit"],
            approved_by=data["approved_by"],
            effective=date.fromisoformat(data["effective"]),
            purpose=tuple(data["purpose"]),
            scope=tuple(data["scope"]),
            roles=tuple(Role(**role) for role in data["roles"]),
            services=tuple(
                Service(
                    **{
                        **service,
                        "activities": tuple(service["activities"]),
                        "fields": tuple(
                            Field(**{**f, "choices": tuple(f["choices"])})
                            for f in service["fields"]
                        ),
                    }
                )
                for service in data["services"]
            ),
            activities=tuple(
                Activity(
                    **{**activity, "next": tuple(Branch(**b) for b in activity["next"])}
                )
                for activity in data["activities"]
            ),
            kpis=tuple(
                Kpi(
                    code=kpi["code"],
                    text=kpi["text"],
                    measure=Measure(**kpi["measure"]),
                    target=kpi["target"],
                )
                for kpi in data["kpis"]
            ),
            records=tuple(Record(**record) for record in data["records"]),
            **{
                key: (tuple(data.get(key, ())) if key != "institution" and key != "warning"
                      else data.get(key, ""))
                for key in (
                    "institution", "warning", "definitions", "legal_basis",
                    "equipment", "qualifications", "related",
                )
            },
        )
