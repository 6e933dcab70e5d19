"""Reads of the retention schedule: what is past its period, what is held, and what a
person may see and decide."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from pintu.core.retention import RecordKind
from pintu.org import access
from pintu.org.models import Role, Unit
from pintu.records.models import DestructionProposal, LegalHold, Tombstone, UnitRetention
from pintu.records.schedule import DEFAULT_YEARS, kinds, sop_years
from pintu.sop.models import Sop


@dataclass(frozen=True)
class Due:
    """A record past its period."""

    kind: str
    unit_id: int | None
    object_id: str
    reference: str
    kept_since: datetime
    held: bool


def unit_years() -> dict[int | None, int]:
    """Each unit's period in years: the longest its current SOPs name, or longer where
    the unit keeps longer; None (records of no unit) the longest of all."""
    years: dict[int | None, int] = {}
    for sop in Sop.objects.filter(is_current=True):
        for record in sop.parsed().records:
            years[sop.unit_id] = max(years.get(sop.unit_id, 0), sop_years(record.retention))
    for unit_id in Unit.objects.values_list("id", flat=True):
        years.setdefault(unit_id, DEFAULT_YEARS)
    for row in UnitRetention.objects.all():
        years[row.unit_id] = max(years[row.unit_id], row.years)
    years[None] = max([DEFAULT_YEARS, *years.values()])
    return years


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment ``years`` earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True)


def _held_filter(kind: RecordKind) -> Q:
    holds = list(active_holds().values_list("scope", "ticket_id", "unit_id", "partner_id"))
    held = Q(pk__in=[])
    units = [unit for scope, _t, unit, _p in holds if scope == LegalHold.Scope.UNIT]
    tickets = [ticket for scope, ticket, _u, _p in holds if scope == LegalHold.Scope.TICKET]
    partners = [partner for scope, _t, _u, partner in holds if scope == LegalHold.Scope.PARTNER]
    if kind.unit and units:
        held |= Q(**{f"{kind.unit}__in": units})
    if kind.ticket and tickets:
        held |= Q(**{f"{kind.ticket}__in": tickets})
    if kind.partner and partners:
        held |= Q(**{f"{kind.partner}__in": partners})
    return held


def due_records(*, now: datetime) -> Iterator[Due]:
    """Every record past its unit's period, oldest first per kind, held or not."""
    years = unit_years()
    for kind in kinds().values():
        model = kind.model_class
        # A subquery, not a list of ids: after years of purges the list would pass the
        # database's limit on parameters.
        gone = Tombstone.objects.filter(kind=kind.name, object_id=Cast(OuterRef("pk"), CharField()))
        rows = (
            model._default_manager.filter(kind.eligible)
            .exclude(Exists(gone))
            .annotate(kept_since=F(kind.moment) if isinstance(kind.moment, str) else kind.moment)
        )
        unit_path = kind.unit or None
        expired = Q(pk__in=[])
        for unit_id, period in years.items():
            cutoff = years_before(now, period)
            if unit_path is None:
                if unit_id is None:
                    expired |= Q(kept_since__lt=cutoff)
            elif unit_id is None:
                expired |= Q(**{f"{unit_path}__isnull": True}, kept_since__lt=cutoff)
            else:
                expired |= Q(**{unit_path: unit_id}, kept_since__lt=cutoff)
        due = rows.filter(expired)
        if kind.prefix_of:
            first_kept = (
                rows.exclude(expired)
                .order_by(kind.prefix_of)
                .values_list(kind.prefix_of, flat=True)
            ).first()
            if first_kept is not None:
                due = due.filter(**{f"{kind.prefix_of}__lt": first_kept})
        held = set(due.filter(_held_filter(kind)).values_list("pk", flat=True))
        order = kind.prefix_of or "kept_since"
        for obj in due.order_by(order, "pk").iterator(chunk_size=500):
            yield Due(
                kind=kind.name,
                unit_id=_unit_id(obj, kind),
                object_id=str(obj.pk),
                reference=kind.reference(obj)[:300],
                kept_since=_moment(obj.kept_since),
                held=obj.pk in held,
            )


def _unit_id(obj: Any, kind: RecordKind) -> int | None:
    if kind.unit is None:
        return None
    value: Any = obj
    for step in kind.unit.split("__"):
        value = getattr(value, step, None)
        if value is None:
            return None
    return int(value.pk)


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    from datetime import time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(value, time.min))


def sees_records(user: Any) -> bool:
    """Unit heads, auditors and admins see the records pages."""
    if not user.is_authenticated:
        return False
    return (
        access.is_admin(user)
        or access.is_auditor(user)
        or bool(access.unit_ids_with(user, (Role.HEAD,)))
    )


def decidable_unit_ids(user: Any) -> frozenset[int] | None:
    """The units whose proposals ``user`` approves: a head their units; an admin all
    (None), including the records of no unit."""
    if access.is_admin(user):
        return None
    return access.unit_ids_with(user, (Role.HEAD,))


def proposals_for(user: Any) -> QuerySet[DestructionProposal]:
    proposals = DestructionProposal.objects.select_related("unit", "decided_by")
    units = decidable_unit_ids(user)
    if units is None:
        return proposals
    return proposals.filter(unit_id__in=units)


def can_decide(user: Any, proposal: DestructionProposal) -> bool:
    units = decidable_unit_ids(user)
    return units is None or (proposal.unit_id is not None and proposal.unit_id in units)


def can_hold(user: Any, unit: Unit | None) -> bool:
    """Heads place and lift holds in their units; admins and auditors anywhere (an
    accreditation cycle is theirs to open)."""
    if access.is_admin(user) or access.is_auditor(user):
        return True
    return unit is not None and unit.pk in access.unit_ids_with(user, (Role.HEAD,))
