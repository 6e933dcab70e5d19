"""Changing and deleting a unit's closures: who may, what the audit log keeps, and the
calendar page's forms."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas, make_user
from pintu.core.models import AuditEvent
from pintu.org import selectors, services
from pintu.org.models import Closure, Role, Unit, User

pytestmark = pytest.mark.django_db

MAINTENANCE = {"start_date": date(2026, 12, 30), "end_date": date(2026, 12, 30)}


@pytest.fixture
def closure(personas: Personas) -> Closure:
    return services.closure_add(
        actor=personas.head,
        unit=Unit.objects.get(code="UPT-SI"),
        reason="Pemeliharaan ruang server",
        **MAINTENANCE,
    )


@pytest.fixture
def other_head(personas: Personas) -> User:
    return make_user("kepala-p4m", Role.HEAD, "P4M")


def test_the_head_changes_a_closure_and_the_audit_row_keeps_old_and_new(
    personas: Personas, closure: Closure
) -> None:
    services.closure_update(
        actor=personas.head,
        closure=closure,
        start_date=date(2026, 12, 30),
        end_date=date(2026, 12, 31),
        reason="Pemeliharaan ruang server",
    )
    event = AuditEvent.objects.get(action="closure.update")
    assert event.actor == personas.head and event.unit == closure.unit
    assert event.object_id == str(closure.pk)
    assert (event.before, event.after) == ({"to": "2026-12-30"}, {"to": "2026-12-31"})
    assert date(2026, 12, 31) in selectors.non_working_dates(
        Unit.objects.get(code="UPT-SI"), [2026]
    )


def test_a_change_that_changes_nothing_writes_no_audit_row(
    personas: Personas, closure: Closure
) -> None:
    services.closure_update(
        actor=personas.admin, closure=closure, reason=closure.reason, **MAINTENANCE
    )
    assert not AuditEvent.objects.filter(action="closure.update").exists()


def test_a_changed_closure_still_cannot_end_before_it_starts(
    personas: Personas, closure: Closure
) -> None:
    with pytest.raises(ValidationError):
        services.closure_update(
            actor=personas.head,
            closure=closure,
            start_date=date(2026, 12, 30),
            end_date=date(2026, 12, 29),
            reason="x",
        )
    closure.refresh_from_db()
    assert closure.end_date == date(2026, 12, 30)


def test_the_admin_deletes_a_closure_and_the_audit_row_keeps_what_it_was(
    personas: Personas, closure: Closure
) -> None:
    pk = closure.pk
    services.closure_delete(actor=personas.admin, closure=closure)
    assert not Closure.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="closure.delete")
    assert event.object_id == str(pk) and event.after is None
    assert event.before == {
        "from": "2026-12-30",
        "to": "2026-12-30",
        "reason": "Pemeliharaan ruang server",
    }
    si = Unit.objects.get(code="UPT-SI")
    assert event.unit == si
    assert date(2026, 12, 30) not in selectors.non_working_dates(si, [2026])


@pytest.mark.parametrize("persona", ["staff", "supervisor", "other_staff", "auditor", "requester"])
def test_only_the_units_head_and_admins_change_or_delete_its_closures(
    personas: Personas, closure: Closure, other_head: User, persona: str
) -> None:
    for actor in (getattr(personas, persona), other_head):
        with pytest.raises(PermissionDenied):
            services.closure_update(actor=actor, closure=closure, reason="x", **MAINTENANCE)
        with pytest.raises(PermissionDenied):
            services.closure_delete(actor=actor, closure=closure)
    closure.refresh_from_db()
    assert closure.reason == "Pemeliharaan ruang server"
    assert not AuditEvent.objects.filter(action__in=["closure.update", "closure.delete"]).exists()


def test_an_institution_wide_closure_is_changed_by_admins_only(personas: Personas) -> None:
    closure = services.closure_add(
        actor=personas.admin, unit=None, reason="Dies Natalis", **MAINTENANCE
    )
    with pytest.raises(PermissionDenied):
        services.closure_delete(actor=personas.head, closure=closure)
    services.closure_delete(actor=personas.admin, closure=closure)
    assert not Closure.objects.exists()


# ---------------------------------------------------------------- the pages


def urls(closure: Closure) -> tuple[str, str, str]:
    args = [closure.unit.code, closure.pk]
    return (
        reverse("unit-calendar", args=[closure.unit.code]) + "?year=2026",
        reverse("unit-closure-edit", args=args),
        reverse("unit-closure-delete", args=args),
    )


def test_the_head_edits_a_closure_from_the_calendar_page(
    client: Client, personas: Personas, closure: Closure
) -> None:
    calendar, edit, _ = urls(closure)
    client.force_login(personas.head)
    assert f'href="{edit}"' in client.get(calendar).content.decode()
    form = client.get(edit).content.decode()
    assert 'value="Pemeliharaan ruang server"' in form and 'value="2026-12-30"' in form
    response = client.post(
        edit, {"start_date": "2026-12-30", "end_date": "2026-12-31", "reason": "Pindah server"}
    )
    assert response.status_code == 302 and response["Location"] == calendar
    page = client.get(calendar).content.decode()
    assert "Pindah server" in page and "31 Des 2026" in page


def test_a_refused_edit_says_why_and_keeps_the_closure(
    client: Client, personas: Personas, closure: Closure
) -> None:
    _, edit, _ = urls(closure)
    client.force_login(personas.head)
    response = client.post(
        edit, {"start_date": "2026-12-30", "end_date": "2026-12-29", "reason": "x"}
    )
    assert response.status_code == 200
    assert "Hari terakhir" in response.content.decode()
    closure.refresh_from_db()
    assert closure.reason == "Pemeliharaan ruang server"


def test_deleting_asks_first_then_deletes_on_the_confirmation(
    client: Client, personas: Personas, closure: Closure
) -> None:
    calendar, _, delete = urls(closure)
    client.force_login(personas.admin)
    assert f'href="{delete}"' in client.get(calendar).content.decode()
    question = client.get(delete)
    assert question.status_code == 200
    assert "Hapus penutupan ini?" in question.content.decode()
    assert Closure.objects.filter(pk=closure.pk).exists()  # asking deletes nothing
    response = client.post(delete)
    assert response.status_code == 302 and response["Location"] == calendar
    assert not Closure.objects.filter(pk=closure.pk).exists()
    assert "Penutupan dihapus." in client.get(calendar).content.decode()


@pytest.mark.parametrize("persona", ["staff", "supervisor", "other_staff"])
def test_those_who_may_not_get_no_links_and_a_403(
    client: Client, personas: Personas, closure: Closure, persona: str
) -> None:
    calendar, edit, delete = urls(closure)
    client.force_login(getattr(personas, persona))
    page = client.get(calendar).content.decode()
    assert edit not in page and delete not in page
    for url in (edit, delete):
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x", **MAINTENANCE}).status_code == 403
    assert Closure.objects.filter(pk=closure.pk, reason="Pemeliharaan ruang server").exists()


def test_the_head_of_another_unit_may_not_either(
    client: Client, closure: Closure, other_head: User
) -> None:
    _, edit, delete = urls(closure)
    client.force_login(other_head)
    assert client.get(edit).status_code == 403
    assert client.post(delete).status_code == 403
    # Through their own unit's address the closure is not theirs to find.
    own_unit = reverse("unit-closure-delete", args=["P4M", closure.pk])
    assert client.post(own_unit).status_code == 404
    assert Closure.objects.filter(pk=closure.pk).exists()
