"""One way to write a moment on every page, in the time zone of the unit whose work it
is: the staff ticket page, the requester's page and the audit log agree."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from pintu.conftest import fields_for, service
from pintu.desk import services
from pintu.org.models import Unit

pytestmark = pytest.mark.django_db


def test_a_units_pages_show_its_moments_alike_in_its_own_zone(sops, personas) -> None:
    si = Unit.objects.get(code="UPT-SI")
    si.calendar.time_zone = "Asia/Makassar"  # a unit in Sulawesi works on WITA
    si.calendar.save(update_fields=["time_zone"])
    received = datetime(2026, 11, 25, 1, 5, tzinfo=ZoneInfo("UTC"))  # 09.05 WITA
    svc = service("PR.33.8", "layanan-ringan")
    ticket = services.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=services.Opening(subject="Printer", body="Macet"),
        fields=fields_for(svc),
        now=received,
    ).ticket
    staff, requester = Client(), Client()
    staff.force_login(personas.staff)
    requester.force_login(personas.requester)
    staff_page = staff.get(reverse("desk-ticket", args=[ticket.reference])).content.decode()
    portal_page = requester.get(reverse("portal-ticket", args=[ticket.reference])).content
    assert "25 Nov 2026 09.05 WITA" in staff_page  # received, with its zone
    assert "25 Nov 2026 09.05" in portal_page.decode()
    # Never the other formats that used to stand beside it.
    shown = re.sub(r'(datetime|data-[a-z-]+)="[^"]*"', "", staff_page)  # machine-readable
    assert "2026-11-25" not in shown
    assert "25 Nov. 2026" not in portal_page.decode()
