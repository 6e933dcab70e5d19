"""Probes of the online learning services (B.1.8.17.a) and the outages they find.

A probe is recorded whatever it found. When a service has failed the last
``PINTU_PROBE_FAILURES`` probes in a row, an outage begins at the first of them and an
incident request opens in P4M's queue (SOP PR.13.2, service ``gangguan-layanan``); the
next good probe ends the outage. Staff follow the request up like any other.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.moments import stamp
from pintu.desk.models import Door, Ticket
from pintu.desk.services import ContactDetails, Opening, ticket_create
from pintu.elearning.availability import failures_in_a_row, is_up
from pintu.elearning.models import Outage, Probe, ProbedService
from pintu.elearning.probe import Look
from pintu.sla.calendars import zone_for_unit
from pintu.sop.models import ServiceType

INCIDENT_SERVICE = ("PR.13.2", "gangguan-layanan")


@transaction.atomic
def probe_record(*, service: ProbedService, look: Look, at: datetime) -> Probe:
    probe = Probe.objects.create(
        service=service,
        at=at,
        up=is_up(look.status),
        status=look.status,
        latency_ms=look.latency_ms,
        error=look.error[:300],
    )
    open_outage = Outage.objects.select_for_update().filter(service=service, ended_at__isnull=True)
    if probe.up:
        open_outage.update(ended_at=at)
        return probe
    if open_outage.exists():
        return probe
    latest = list(
        Probe.objects.filter(service=service)
        .order_by("-at", "-id")
        .values_list("up", "at")[: settings.PINTU_PROBE_FAILURES]
    )
    if failures_in_a_row([up for up, _at in latest]) >= settings.PINTU_PROBE_FAILURES:
        Outage.objects.create(
            service=service,
            started_at=latest[-1][1],
            ticket=_incident(service, probe, latest[-1][1]),
        )
    return probe


def _incident(service: ProbedService, probe: Probe, since: datetime) -> Ticket | None:
    """The request that tells P4M about the outage (none while the SOP is not loaded)."""
    code, key = INCIDENT_SERVICE
    service_type = ServiceType.objects.filter(sop__code=code, sop__is_current=True, key=key).first()
    if service_type is None:
        return None
    reason = f"HTTP {probe.status}" if probe.status else probe.error or _("no answer")
    return ticket_create(
        actor=None,
        service_type=service_type,
        requester=ContactDetails(name=_("Pintu's service monitor")),
        opening=Opening(
            subject=_("%(service)s cannot be reached") % {"service": service.name},
            body=_(
                "%(service)s (%(url)s) has not answered %(count)s probes in a row since "
                "%(since)s. The last one: %(reason)s."
            )
            % {
                "service": service.name,
                "url": service.url,
                "count": settings.PINTU_PROBE_FAILURES,
                "since": stamp(since, zone_for_unit(service_type.sop.unit)),
                "reason": reason,
            },
        ),
        door=Door.WEB,
        acknowledge_receipt=False,
        now=probe.at,
    ).ticket
