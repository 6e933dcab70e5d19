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
    # Where the flow goes after this step; empty means the next activity of the service.
    next: tuple[Branch, ...] = ()
    # True for a step that closes its flow although more steps follow in the service's
    # list, such as the grant and refuse alternatives of SDM.5.OT.02.02-5068 flow b.
    end: bool = False


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
    # Send the requester an automatic acknowledgement with the reference and the
    # promised times (never counted as the first response).
    acknowledge: bool = True


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
    effective: date | None  # None where the original's date was lost
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
    related: tuple[str, ...] = ()  # related parties (pihak yang terkait)
    linked_sops: tuple[str, ...] = ()  # related procedures (keterkaitan)
    supporting_documents: tuple[str, ...] = ()  # dokumen pendukung
    # The roles the requester plays (pemohon, pengguna, mitra): their leading steps are
    # done when the request arrives.
    requester_roles: tuple[str, ...] = ()
    # The owning unit as the source prints it, where that is not its unit code
    # (PR.27.4 prints Koor.PHK for the unit PHK).
    owner: str = ""
    # The parts of the scope that the source gives no step for (PR.27.4 names the
    # production of creative content but no activity produces it): shown as known gaps.
    gaps: tuple[str, ...] = ()

    def role(self, key: str) -> Role:
        return next(role for role in self.roles if role.key == key)

    def activity(self, key: str) -> Activity:
        return next(activity for activity in self.activities if activity.key == key)

    def by_requester(self, actor: str) -> bool:
        """Whether ``actor`` (an activity's role) is the requester (the SOP's "Pemohon"
        and "Pengguna" rows): their steps are their time, never the unit's."""
        return actor in self.requester_roles

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["effective"] = self.effective.isoformat() if self.effective else None
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
            effective=date.fromisoformat(data["effective"]) if data["effective"] else None,
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
                Activity(**{**activity, "next": tuple(Branch(**b) for b in activity["next"])})
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
            institution=data.get("institution", ""),
            warning=data.get("warning", ""),
            definitions=tuple(data.get("definitions", ())),
            legal_basis=tuple(data.get("legal_basis", ())),
            equipment=tuple(data.get("equipment", ())),
            qualifications=tuple(data.get("qualifications", ())),
            related=tuple(data.get("related", ())),
            linked_sops=tuple(data.get("linked_sops", ())),
            supporting_documents=tuple(data.get("supporting_documents", ())),
            requester_roles=tuple(data.get("requester_roles", ())),
            owner=data.get("owner", ""),
            gaps=tuple(data.get("gaps", ())),
        )
