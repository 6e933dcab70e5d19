"""Reads for the requester portal: the service catalogue, one requestable service, the
viewer's own requests. The query count never depends on how many tickets there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q
from django.http import Http404

from pintu.desk.models import Article, Contact, Ticket
from pintu.desk.selectors import Row, with_sla
from pintu.org.models import BusinessCalendar, Unit
from pintu.sop.definition import Service
from pintu.sop.models import ServiceType, Sop


@dataclass(frozen=True)
class Offer:
    """A service type the portal offers, with its definition (description, fields)."""

    service_type: ServiceType
    definition: Service


@dataclass(frozen=True)
class UnitOffers:
    unit: Unit
    offers: list[Offer]


def service_catalogue() -> list[UnitOffers]:
    """The service types of every SOP in force, grouped by unit (two queries)."""
    sops = (
        Sop.objects.filter(is_current=True)
        .select_related("unit")
        .prefetch_related(Prefetch("service_types", queryset=ServiceType.objects.order_by("id")))
        .order_by("unit__name", "code")
    )
    offers: list[Offer] = []
    for sop in sops:
        definitions = {service.key: service for service in sop.parsed().services}
        for service_type in sop.service_types.all():
            offers.append(Offer(service_type, definitions[service_type.key]))
    return [
        UnitOffers(unit, list(items))
        for unit, items in groupby(offers, key=lambda offer: offer.service_type.sop.unit)
    ]


def offer_get(*, sop_code: str, service_key: str) -> Offer:
    """A service type of the SOP in force, or 404 (an old revision is not offered)."""
    service_type = (
        ServiceType.objects.select_related("sop__unit")
        .filter(sop__code=sop_code, sop__is_current=True, key=service_key)
        .first()
    )
    if service_type is None:
        raise Http404
    return Offer(service_type, service_type.definition())


def unit_time_zone(unit: Unit) -> ZoneInfo:
    """The zone the unit's deadlines are read in (its business calendar's)."""
    name = BusinessCalendar.objects.filter(unit=unit).values_list("time_zone", flat=True).first()
    return ZoneInfo(name or "Asia/Jakarta")


def my_requests(*, viewer: Any, now: datetime, limit: int = 100) -> list[Row]:
    """The viewer's requests, newest first: the ones made in the portal and the ones that
    came from their e-mail address or number through another door. One query, plus the
    calendar of each unit and year shown (for the SLA state)."""
    contacts = Contact.objects.filter(user=viewer).values("pk")
    tickets = (
        Ticket.objects.filter(Q(requester=viewer) | Q(contact__in=contacts))
        .select_related("unit", "service_type")
        .order_by("-received_at", "-id")[:limit]
    )
    return with_sla(list(tickets), now)


def latest_public_article_id(ticket: Ticket) -> int:
    return (
        ticket.articles.exclude(kind=Article.Kind.NOTE)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or 0


def conversation_mark(latest_article_id: int, status: str) -> str:
    """What the live conversation compares to see whether anything changed."""
    return f"{latest_article_id}-{status}"
