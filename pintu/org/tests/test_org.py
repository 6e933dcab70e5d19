"""Units, roles and calendars in the database, and who may change them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas
from pintu.core.models import AuditEvent
from pintu.org import access, selectors, services
from pintu.org.models import Holiday, Membership, Role, Unit

pytestmark = pytest.mark.django_db


def test_the_units_the_sops_name_are_seeded_as_a_tree() -> None:
    codes = set(Unit.objects.values_list("code", flat=True))
    assert {"DIR", "P4M", "UPT-SI", "PHK", "KS", "BAA"} <= codes
    assert Unit.objects.get(code="TRPL").parent.code == "JTI"
    assert Unit.objects.get(code="JTI").kind == Unit.Kind.DEPARTMENT
    tree = selectors.unit_tree()
    depth = {unit.code: d for unit, d in tree}
    assert depth["DIR"] == 0 and depth["JTI"] == 1 and depth["TRPL"] == 2
    order = [unit.code for unit, _ in tree]
    assert order.index("JTI") < order.index("TRPL")


def test_unit_roles_need_a_unit_and_institution_roles_none(personas: Personas) -> None:
    unit = Unit.objects.get(code="P4M")
    with pytest.raises(ValidationError):
        services.membership_grant(actor=None, user=personas.staff, role=Role.AUDITOR, unit=unit)
    with pytest.raises(ValidationError):
        services.membership_grant(actor=None, user=personas.staff, role=Role.STAFF, unit=None)
    # The database refuses it too, whoever bypasses the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=personas.staff, role=Role.STAFF, unit=None)


def test_granting_a_role_is_audited_once(personas: Personas) -> None:
    unit = Unit.objects.get(code="P4M")
    before = AuditEvent.objects.filter(action="membership.grant").count()
    services.membership_grant(actor=personas.admin, user=personas.staff, role=Role.STAFF, unit=unit)
    services.membership_grant(actor=personas.admin, user=personas.staff, role=Role.STAFF, unit=unit)
    events = AuditEvent.objects.filter(action="membership.grant")
    assert events.count() == before + 1
    assert events.first().actor == personas.admin
    assert access.works_in(personas.staff, unit)


def test_admin_role_opens_the_admin_site(personas: Personas) -> None:
    assert personas.admin.is_staff and personas.admin.is_superuser
    assert not personas.auditor.is_staff


def test_access_helpers_per_role(personas: Personas) -> None:
    si = Unit.objects.get(code="UPT-SI")
    assert access.works_in(personas.staff, si)
    assert not access.works_in(personas.other_staff, si)
    assert not access.works_in(personas.requester, si)
    assert access.can_manage_calendar(personas.head, si)
    assert not access.can_manage_calendar(personas.supervisor, si)
    assert access.can_manage_calendar(personas.admin, si)
    assert access.can_read_everything(personas.auditor)
    assert not access.can_read_everything(personas.head)


def test_a_closure_is_added_by_the_unit_head_with_an_audit_row(personas: Personas) -> None:
    si = Unit.objects.get(code="UPT-SI")
    closure = services.closure_add(
        actor=personas.head,
        unit=si,
        start_date=date(2026, 12, 30),
        end_date=date(2026, 12, 31),
        reason="Pemeliharaan ruang server",
    )
    event = AuditEvent.objects.get(action="closure.add")
    assert event.object_id == str(closure.pk) and event.unit == si
    assert event.after["reason"] == "Pemeliharaan ruang server"
    dates = selectors.non_working_dates(si, [2026])
    assert {date(2026, 12, 30), date(2026, 12, 31)} <= dates
    # Another unit stays open.
    assert date(2026, 12, 30) not in selectors.non_working_dates(
        Unit.objects.get(code="P4M"), [2026]
    )


@pytest.mark.parametrize("persona", ["requester", "staff", "supervisor", "other_staff", "auditor"])
def test_only_heads_and_admins_close_a_unit(personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.closure_add(
            actor=getattr(personas, persona),
            unit=Unit.objects.get(code="UPT-SI"),
            start_date=date(2026, 12, 30),
            end_date=date(2026, 12, 30),
            reason="x",
        )


def test_an_institution_wide_closure_is_for_admins_and_applies_everywhere(
    personas: Personas,
) -> None:
    with pytest.raises(PermissionDenied):
        services.closure_add(
            actor=personas.head,
            unit=None,
            start_date=date(2026, 7, 1),
            end_date=date(2026, 7, 1),
            reason="Dies Natalis",
        )
    services.closure_add(
        actor=personas.admin,
        unit=None,
        start_date=date(2026, 7, 1),
        end_date=date(2026, 7, 1),
        reason="Dies Natalis",
    )
    for code in ("UPT-SI", "P4M", "KS"):
        assert date(2026, 7, 1) in selectors.non_working_dates(Unit.objects.get(code=code), [2026])


def test_a_closure_cannot_end_before_it_starts(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        services.closure_add(
            actor=personas.admin,
            unit=Unit.objects.get(code="UPT-SI"),
            start_date=date(2026, 7, 2),
            end_date=date(2026, 7, 1),
            reason="x",
        )


def test_unsynced_years_still_know_national_holidays() -> None:
    assert not Holiday.objects.exists()
    dates = selectors.non_working_dates(Unit.objects.get(code="UPT-SI"), [2026])
    assert date(2026, 8, 17) in dates
    assert date(2026, 12, 24) in dates  # cuti bersama


def test_an_admin_correction_survives_a_resync() -> None:
    assert services_sync(2026) > 0
    christmas_leave = Holiday.objects.get(date=date(2026, 12, 24))
    christmas_leave.observed = False  # the institution works that day after all
    christmas_leave.save(update_fields=["observed"])
    assert services_sync(2026) == 0
    dates = selectors.non_working_dates(Unit.objects.get(code="UPT-SI"), [2026])
    assert date(2026, 12, 24) not in dates
    assert date(2026, 12, 25) in dates


def services_sync(year: int) -> int:
    return services.holidays_sync(actor=None, years=[year])


def test_calendar_page_shows_the_closure_form_only_to_those_who_may_use_it(
    client: Client, personas: Personas
) -> None:
    url = reverse("unit-calendar", args=["UPT-SI"])
    client.force_login(personas.staff)
    page = client.get(url)
    assert page.status_code == 200 and "start_date" not in page.content.decode()
    assert (
        client.post(
            url, {"start_date": "2026-12-30", "end_date": "2026-12-30", "reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(personas.head)
    assert "start_date" in client.get(url).content.decode()
    response = client.post(
        url, {"start_date": "2026-12-30", "end_date": "2026-12-30", "reason": "Pemeliharaan"}
    )
    assert response.status_code == 302
    assert "Pemeliharaan" in client.get(url + "?year=2026").content.decode()
