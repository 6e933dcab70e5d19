"""What the KPI pages and the report pages share: a year in their addresses (only the
years a period may be asked for; any other answers 404), the unit a person may read
(404 otherwise, as for a unit that does not exist), and the year a list is asked for."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import register_converter
from django.utils import timezone

from pintu.kpi import access
from pintu.org.models import Unit
from pintu.sop.measurement import YEARS


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        if int(value) not in YEARS:
            raise ValueError(value)  # the address does not match: 404
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


register_converter(YearConverter, "year")


def readable_unit(request: HttpRequest, code: str) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    if not access.can_read(request.user, unit):
        raise Http404
    return unit


def asked_year(request: HttpRequest) -> int:
    """``?year=`` when it is one of ``YEARS``, else this year."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and int(raw) in YEARS else timezone.localdate().year
