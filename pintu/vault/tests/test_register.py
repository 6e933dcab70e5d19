"""The register of digital-service accounts, filled by its SOP step through the desk's
step-action seam: the module's form and service run inside the desk's step service."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, make_user, service
from pintu.core.models import AuditEvent
from pintu.core.tokens import api_token_create
from pintu.desk import services
from pintu.desk.actions import ACTIONS, PREFIX, Outcome, StepAction, register
from pintu.desk.checks import check_step_actions
from pintu.desk.models import Door, Step, Ticket
from pintu.org.models import Role, Unit
from pintu.vault.forms import AccountEntryForm
from pintu.vault.models import DigitalAccount
from pintu.vault.services import account_register
from pintu.vault.steps import SOP

pytestmark = pytest.mark.django_db


@pytest.fixture
def baa_staff(personas: Personas) -> Any:
    return make_user("staf-baa", Role.STAFF, "BAA")


def account_request(baa_staff: Any, **fields: str) -> Ticket:
    return services.ticket_create(
        actor=None,
        service_type=service(SOP, "pendaftaran-akun"),
        requester=services.ContactDetails(name="Taruna A", phone="6281200000009"),
        opening=services.Opening(subject="Akun Zoom prodi", body="Mohon dicatat."),
        door=Door.WHATSAPP,
        fields=fields or {"layanan": "Zoom", "akun": "prodi-trpl@poltek.ac.id"},
    ).ticket


def bring_to_register_step(ticket: Ticket, actor: Any) -> Step:
    """Complete the steps before "memasukkan akun digital ke dalam daftar"."""
    for key in ("a2-terima-pesan", "a3-tanggapan"):
        services.ticket_complete_step(actor=actor, step=ticket.steps.get(activity__key=key))
    return ticket.steps.get(activity__key="a4-catat-akun")


def posted(**values: str) -> dict[str, str]:
    return {f"{PREFIX}-{name}": value for name, value in values.items()}


def test_the_register_step_enters_the_account_and_completes_the_step(
    sops: None, baa_staff: Any
) -> None:
    ticket = account_request(baa_staff)
    step = bring_to_register_step(ticket, baa_staff)
    assert step.state == Step.State.ACTIVE
    done = services.ticket_complete_step(
        actor=baa_staff,
        step=step,
        data=posted(service="Zoom", account="prodi-trpl@poltek.ac.id", notes="Kuliah daring"),
    )
    entry = DigitalAccount.objects.get()
    assert (entry.unit.code, entry.service, entry.account) == (
        "BAA",
        "Zoom",
        "prodi-trpl@poltek.ac.id",
    )
    assert (entry.ticket, entry.registered_by, entry.notes) == (ticket, baa_staff, "Kuliah daring")
    assert done.state == Step.State.DONE and "prodi-trpl@poltek.ac.id" in done.output
    audit = AuditEvent.objects.get(action="digital_account.register")
    assert audit.unit == entry.unit and audit.after["ticket"] == ticket.reference
    step_audit = AuditEvent.objects.filter(action="ticket.step").latest("id")
    assert step_audit.after["activity"] == "a4-catat-akun"


def test_the_steps_form_starts_from_what_the_request_says(sops: None, baa_staff: Any) -> None:
    ticket = account_request(baa_staff, layanan="Google Workspace", akun="baa@poltek.ac.id")
    form = AccountEntryForm(step=bring_to_register_step(ticket, baa_staff))
    assert form["service"].value() == "Google Workspace"
    assert form["account"].value() == "baa@poltek.ac.id"


def test_a_refused_entry_leaves_the_step_in_progress_and_writes_nothing(
    sops: None, baa_staff: Any
) -> None:
    ticket = account_request(baa_staff)
    step = bring_to_register_step(ticket, baa_staff)
    with pytest.raises(ValidationError) as missing:
        services.ticket_complete_step(actor=baa_staff, step=step, data=posted(service="Zoom"))
    assert "account" in missing.value.message_dict
    account_register(
        actor=baa_staff,
        unit=ticket.unit,
        service="ZOOM",
        account="Prodi-TRPL@poltek.ac.id",
        now=timezone.now(),
    )
    with pytest.raises(ValidationError, match="sudah ada di daftar"):
        services.ticket_complete_step(
            actor=baa_staff,
            step=step,
            data=posted(service="Zoom", account="prodi-trpl@poltek.ac.id"),
        )
    step.refresh_from_db()
    assert step.state == Step.State.ACTIVE
    assert DigitalAccount.objects.count() == 1
    assert not AuditEvent.objects.filter(action="ticket.step", after__step=step.position).exists()


def test_only_staff_of_the_unit_enter_accounts(sops: None, personas: Personas, baa_staff) -> None:
    baa = Unit.objects.get(code="BAA")
    with pytest.raises(PermissionDenied):
        account_register(
            actor=personas.staff, unit=baa, service="Zoom", account="x", now=timezone.now()
        )
    assert not DigitalAccount.objects.exists()


def test_the_ticket_page_shows_the_modules_form_on_its_step(
    sops: None, baa_staff: Any, personas: Personas
) -> None:
    ticket = account_request(baa_staff)
    client = Client()
    client.force_login(baa_staff)
    url = reverse("desk-ticket", args=[ticket.reference])
    assert f'name="{PREFIX}-account"' not in client.get(url).content.decode()
    bring_to_register_step(ticket, baa_staff)
    page = client.get(url).content.decode()
    assert f'name="{PREFIX}-account"' in page and "Catat di daftar" in page
    refused = client.post(
        reverse("desk-ticket-step", args=[ticket.reference]),
        {"step": ticket.steps.get(activity__key="a4-catat-akun").pk, **posted(service="Zoom")},
    )
    assert refused.status_code == 200  # shown again with the error, what was typed kept
    assert 'value="Zoom"' in refused.content.decode()
    done = client.post(
        reverse("desk-ticket-step", args=[ticket.reference]),
        {
            "step": ticket.steps.get(activity__key="a4-catat-akun").pk,
            **posted(service="Zoom", account="prodi@poltek.ac.id"),
        },
    )
    assert done.status_code == 302 and DigitalAccount.objects.get().account == "prodi@poltek.ac.id"


def test_the_api_completes_the_step_with_the_actions_fields(sops: None, baa_staff: Any) -> None:
    ticket = account_request(baa_staff)
    step = bring_to_register_step(ticket, baa_staff)
    _, token = api_token_create(actor=None, user=baa_staff)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    detail = client.get(f"/api/v1/tickets/{ticket.reference}").json()
    (shown,) = [s for s in detail["steps"] if s["activity"] == "a4-catat-akun"]
    assert shown["action_fields"] == [
        "service",
        "account",
        "url",
        "credential",
        "classification",
        "steward",
        "renews_on",
        "expires_on",
        "notes",
    ]
    url = f"/api/v1/tickets/{ticket.reference}/steps/{step.position}/complete"
    refused = client.post(url, json.dumps({"data": {"service": "Zoom"}}), "application/json")
    assert refused.status_code == 422
    assert ["body", "account"] in [item["loc"] for item in refused.json()["detail"]]
    body = {"data": {"service": "Zoom", "account": "prodi@poltek.ac.id"}}
    assert client.post(url, json.dumps(body), "application/json").status_code == 200
    assert DigitalAccount.objects.get().ticket == ticket


def test_the_register_page_is_for_the_units_staff_and_auditors(
    sops: None, baa_staff: Any, personas: Personas
) -> None:
    account_register(
        actor=baa_staff,
        unit=Unit.objects.get(code="BAA"),
        service="Zoom",
        account="prodi@poltek.ac.id",
        now=timezone.now(),
    )
    url = reverse("vault-register")
    for viewer, sees in ((baa_staff, True), (personas.auditor, True), (personas.staff, False)):
        client = Client()
        client.force_login(viewer)
        assert ("prodi@poltek.ac.id" in client.get(url).content.decode()) == sees
    client = Client()
    client.force_login(personas.requester)
    assert client.get(url).status_code == 403


def test_a_step_action_naming_an_activity_no_sop_has_fails_the_check() -> None:
    assert check_step_actions() == []
    bogus = StepAction(
        sop=SOP,
        activity="z9-tidak-ada",
        form=AccountEntryForm,
        template="vault/_step_register.html",
        perform=lambda **_: Outcome(),
    )
    register(bogus)
    try:
        errors = check_step_actions()
    finally:
        del ACTIONS[(SOP, "z9-tidak-ada")]
    assert [error.id for error in errors] == ["pintu.E201"]
    assert isinstance(errors[0], checks.Error) and "z9-tidak-ada" in errors[0].msg
    assert "a4-catat-akun" in (errors[0].hint or "")
