"""A request to show on the site's pages, opened through the desk's own service."""

from __future__ import annotations

from pintu.conftest import Personas, fields_for, service
from pintu.desk import services
from pintu.desk.models import Ticket


def open_ticket(
    personas: Personas, sop: str = "PR.33.8", key: str = "layanan-ringan", subject: str = "Wi-Fi"
) -> Ticket:
    """Filed by staff of the SOP's unit (UPT-SI or P4M) for the requester persona."""
    svc = service(sop, key)
    staff = personas.staff if svc.sop.unit.code == "UPT-SI" else personas.other_staff
    return services.ticket_create(
        actor=staff,
        service_type=svc,
        requester=personas.requester,
        opening=services.Opening(subject=subject, body="Mohon dibantu."),
        fields=fields_for(svc),
    ).ticket
