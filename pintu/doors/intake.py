"""What every door shares on the way in: which service a new request belongs to."""

from __future__ import annotations

from pintu.org.models import Unit
from pintu.sop.models import ServiceType


class NoServiceError(LookupError):
    pass


def default_service(unit: Unit, preferred: ServiceType | None = None) -> ServiceType:
    """The service type a request without one gets: the door's own setting when it is
    still current, else the first service of the unit's current SOP."""
    if preferred is not None and preferred.sop.is_current:
        return preferred
    if preferred is not None:
        newer = ServiceType.objects.filter(
            sop__code=preferred.sop.code, sop__is_current=True, key=preferred.key
        ).first()
        if newer is not None:
            return newer
    service = (
        ServiceType.objects.filter(sop__unit=unit, sop__is_current=True)
        .select_related("sop")
        .order_by("sop__code", "id")
        .first()
    )
    if service is None:
        raise NoServiceError(f"unit {unit.code} has no SOP loaded, so no service to file under")
    return service
