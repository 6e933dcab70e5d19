"""What each service type of the SOPs in force needs for a bench ticket."""

from __future__ import annotations

from dataclasses import dataclass

from pintu.desk.bench.shape import SUBJECTS
from pintu.org.models import Unit
from pintu.sla.clock import Target, parse_target
from pintu.sop.definition import Field
from pintu.sop.models import Activity, ServiceType


class BenchError(Exception):
    """The bench cannot run here (no SOPs loaded, nothing to make)."""


@dataclass(frozen=True)
class ActivityPlan:
    pk: int
    key: str
    actor: str
    standard: Target | None
    output: str
    branches: tuple[str, ...]  # the activity keys to choose from after this step
    end: bool


@dataclass
class ServicePlan:
    service_type: ServiceType
    unit: Unit
    fields: tuple[Field, ...]
    activities: list[ActivityPlan]
    requester_roles: frozenset[str]
    first_response: Target
    resolution: Target
    subjects: list[str]


def service_plans() -> list[ServicePlan]:
    """Every service type of the SOPs in force, with what a ticket of it needs."""
    service_types = list(
        ServiceType.objects.filter(sop__is_current=True)
        .select_related("sop__unit")
        .order_by("sop__code", "id")
    )
    if not service_types:
        raise BenchError("no SOPs are loaded: run `pintu sop load` first")
    plans = []
    for service_type in service_types:
        sop = service_type.sop
        definition = sop.parsed()
        service = service_type.definition()
        rows = dict(Activity.objects.filter(sop=sop).values_list("key", "pk"))
        activities = []
        for key in service.activities:
            activity = definition.activity(key)
            standard = activity.time_standard
            activities.append(
                ActivityPlan(
                    pk=rows[key],
                    key=key,
                    actor=activity.actor,
                    standard=parse_target(standard) if standard else None,
                    output=activity.output,
                    branches=tuple(branch.to for branch in activity.next),
                    end=activity.end,
                )
            )
        plans.append(
            ServicePlan(
                service_type=service_type,
                unit=sop.unit,
                fields=service.fields,
                activities=activities,
                requester_roles=frozenset(definition.requester_roles),
                first_response=parse_target(service_type.first_response, service_type.clock),
                resolution=parse_target(service_type.resolution, service_type.clock),
                subjects=SUBJECTS.get(service_type.key, [service_type.name]),
            )
        )
    return plans
