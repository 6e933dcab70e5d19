"""The records pages: who sees them, the head's approval, the berita acara as PDF, and
holds placed and lifted through the form."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pintu.conftest import PASSWORD, Personas, require_peer, screenshot, sign_in
from pintu.records.models import DestructionProposal, LegalHold
from pintu.records.services import retention_run
from pintu.records.tests.test_retention import NOW, old_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(sops: None, personas: Personas, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    ticket = old_ticket(personas, years_ago=6)
    retention_run(now=NOW)
    return ticket


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "who, expected",
    [
        ("head", 200),
        ("admin", 200),
        ("auditor", 200),
        ("staff", 403),
        ("supervisor", 403),
        ("other_staff", 403),
        ("requester", 403),
    ],
)
def test_only_heads_auditors_and_admins_see_the_records_pages(
    personas: Personas, proposed: Any, who: str, expected: int
) -> None:
    client = client_for(getattr(personas, who))
    proposal = DestructionProposal.objects.get(unit=proposed.unit)
    for url in (
        reverse("records-home"),
        reverse("records-holds"),
        reverse("records-schedule"),
        reverse("records-proposal", args=[proposal.pk]),
    ):
        assert client.get(url).status_code == expected, url


def test_anonymous_people_are_sent_to_sign_in(proposed: Any) -> None:
    response = Client().get(reverse("records-home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_head_sees_the_list_and_approves_it(personas: Personas, proposed: Any) -> None:
    client = client_for(personas.head)
    proposal = DestructionProposal.objects.get(unit=proposed.unit)
    page = client.get(reverse("records-proposal", args=[proposal.pk])).content.decode()
    assert proposed.reference in page and "Setujui pemusnahan" in page
    # The admin's list (records of no unit) is not the head's.
    admins = DestructionProposal.objects.get(unit__isnull=True)
    assert client.get(reverse("records-proposal", args=[admins.pk])).status_code == 404
    response = client.post(
        reverse("records-proposal-decide", args=[proposal.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "approved" and proposal.decided_by == personas.head


def test_an_auditor_reads_a_proposal_but_cannot_approve_it(
    personas: Personas, proposed: Any
) -> None:
    proposal = DestructionProposal.objects.get(unit=proposed.unit)
    client = client_for(personas.auditor)
    page = client.get(reverse("records-proposal", args=[proposal.pk])).content.decode()
    assert "Setujui pemusnahan" not in page
    response = client.post(
        reverse("records-proposal-decide", args=[proposal.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_the_berita_acara_is_a_pdf_listing_the_records(personas: Personas, proposed: Any) -> None:
    proposal = DestructionProposal.objects.get(unit=proposed.unit)
    response = client_for(personas.head).get(reverse("records-proposal-pdf", args=[proposal.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    require_peer("pdftotext", shutil.which("pdftotext") is not None, "install poppler-utils")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "BERITA ACARA PEMUSNAHAN ARSIP" in text
    assert proposed.reference in text and "Belum diputuskan" in text


def test_a_hold_with_an_unknown_reference_names_the_field_and_keeps_nothing(
    personas: Personas, proposed: Any
) -> None:
    client = client_for(personas.head)
    response = client.post(
        reverse("records-holds"),
        {"scope": "ticket", "reference": "SI-99-99999", "reason": "Akreditasi"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reference": ["Tidak ada permintaan dengan nomor ini."]
    }
    assert not LegalHold.objects.exists()
    response = client.post(
        reverse("records-holds"),
        {"scope": "ticket", "reference": proposed.reference.lower(), "reason": "Akreditasi"},
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.ticket == proposed and hold.placed_by == personas.head
    client.post(reverse("records-hold-lift", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == personas.head


def test_a_head_cannot_hold_another_units_records(personas: Personas, proposed: Any) -> None:
    from pintu.org.models import Unit

    response = client_for(personas.head).post(
        reverse("records-holds"),
        {"scope": "unit", "unit": Unit.objects.get(code="P4M").pk, "reason": "Akreditasi"},
    )
    assert response.status_code == 403
    assert not LegalHold.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_proposal_page_in_a_browser(
    page: Any, sops: None, personas: Personas, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    ticket = old_ticket(personas, years_ago=6)
    retention_run(now=NOW)
    proposal = DestructionProposal.objects.get(unit=ticket.unit)
    sign_in(page, personas.head.username, PASSWORD)
    page.goto(reverse("records-proposal", args=[proposal.pk]))
    assert ticket.reference in page.inner_text("main")
    screenshot(page, "records-proposal-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "records-proposal-phone")
    page.click("button[value=approve]")
    page.wait_for_selector("text=Disetujui")
    proposal.refresh_from_db()
    assert proposal.state == "approved"
    page.goto(reverse("records-holds"))
    screenshot(page, "records-holds-phone")


def test_the_partners_page_opens_the_hold_form_with_the_partner_filled_in(
    personas: Personas, sops: None
) -> None:
    from pintu.partners.tests.conftest import partner_made

    partner = partner_made(personas.admin)
    client = Client()
    client.force_login(personas.admin)
    page = client.get(reverse("partners-partner", args=[partner.pk]))
    link = f"/records/holds/?scope=partner&amp;partner={partner.pk}"
    assert link.encode() in page.content
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert (form["scope"].value(), form["partner_id"].value()) == ("partner", str(partner.pk))
