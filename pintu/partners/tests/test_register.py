"""The register of partners and agreements: its services (who may, what is refused, what
the audit records), its lists' filters and charts, and who sees which page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pintu.conftest import Personas, make_user
from pintu.core.models import AuditEvent
from pintu.desk.services import Upload
from pintu.org.models import Role, Unit
from pintu.partners import selectors, services
from pintu.partners.lifecycle import state_on
from pintu.partners.models import Agreement, Partner
from pintu.partners.tests.conftest import PDF, agreement_signed, partner_made

pytestmark = pytest.mark.django_db


def test_staff_of_kerjasama_add_a_partner_once_whatever_its_case(ks_staff: Any) -> None:
    partner = partner_made(ks_staff)
    audit = AuditEvent.objects.get(action="partner.create")
    assert audit.unit == Unit.objects.get(code="KS")
    assert audit.after["name"] == "PT Sinar Batam Teknologi"
    with pytest.raises(ValidationError, match="sudah ada di daftar"):
        partner_made(ks_staff, name="pt sinar batam teknologi")
    assert list(Partner.objects.all()) == [partner]


def test_only_those_who_work_on_partnerships_write(personas: Personas, ks_staff: Any) -> None:
    for outsider in (personas.staff, personas.auditor, personas.requester):
        with pytest.raises(PermissionDenied):
            partner_made(outsider)
    # The sub-coordinator of Humas dan Kerjasama (Koor.PHK) coordinates: they may too.
    subkoor = make_user("subkoor-humas", Role.SUPERVISOR, "PHK")
    assert partner_made(subkoor, name="PT Panbil Elektronik").created_by == subkoor
    assert partner_made(personas.admin, name="CV Kreatif Media Kepri")


def test_a_contact_needs_an_address_and_one_of_them_is_the_main_contact(ks_staff: Any) -> None:
    partner = partner_made(ks_staff)
    with pytest.raises(ValidationError):
        services.contact_add(actor=ks_staff, partner=partner, name="Tanpa Alamat")
    first = services.contact_add(
        actor=ks_staff, partner=partner, name="Ir. Surya Darma", email="Surya@SinarBatam.example"
    )
    assert first.is_primary and first.email == "surya@sinarbatam.example"
    second = services.contact_add(
        actor=ks_staff, partner=partner, name="Dewi", phone="+62 812-7732-0299", is_primary=True
    )
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary, second.phone) == (False, True, "6281277320299")


def test_an_agreement_goes_from_draft_to_active_only_with_its_signed_document(
    ks_staff: Any,
) -> None:
    partner = partner_made(ks_staff)
    agreement = services.agreement_create(
        actor=ks_staff,
        partners=[partner],
        units=Unit.objects.filter(code__in=["TRPL", "JTI"]),
        kind=Agreement.Kind.MOA,
        number="",
        title="Magang mahasiswa TRPL",
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        education=True,
    )
    assert agreement.status == "draft"
    services.agreement_move(actor=ks_staff, agreement=agreement, status="in_review")
    with pytest.raises(ValidationError) as refused:
        services.agreement_move(actor=ks_staff, agreement=agreement, status="signed")
    assert refused.value.messages == [
        "Isi nomor perjanjian.",
        "Isi tanggal penandatanganannya.",
        "Unggah dokumen yang ditandatangani lebih dulu.",
    ]
    services.agreement_update(
        actor=ks_staff, agreement=agreement, number="012/PL29/KS/2026", signed_on=date(2025, 12, 20)
    )
    version = services.agreement_add_version(
        actor=ks_staff, agreement=agreement, upload=Upload("moa.pdf", "", PDF), note="scan"
    )
    assert (version.number, version.content_type, len(version.sha256)) == (1, "application/pdf", 64)
    services.agreement_move(actor=ks_staff, agreement=agreement, status="signed")
    agreement.refresh_from_db()
    assert agreement.state_on(date(2026, 6, 1)) == "active"
    assert agreement.state_on(date(2028, 1, 1)) == "expired"
    codes = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    # The refused signature left nothing behind.
    assert codes[-4:] == [
        "agreement.status",
        "agreement.update",
        "agreement.version",
        "agreement.status",
    ]
    update = AuditEvent.objects.get(action="agreement.update")
    assert update.before == {"number": "", "signed_on": None}
    assert update.after == {"number": "012/PL29/KS/2026", "signed_on": "2025-12-20"}


def test_a_signed_agreement_keeps_its_number_but_its_period_may_be_extended(
    ks_staff: Any,
) -> None:
    agreement = agreement_signed(ks_staff, partner_made(ks_staff))
    with pytest.raises(ValidationError):
        services.agreement_update(actor=ks_staff, agreement=agreement, number="999/X/2026")
    services.agreement_update(actor=ks_staff, agreement=agreement, ends_on=date(2030, 12, 31))
    agreement.refresh_from_db()
    assert agreement.ends_on == date(2030, 12, 31)
    with pytest.raises(ValidationError, match="berakhir sebelum dimulai"):
        services.agreement_update(actor=ks_staff, agreement=agreement, ends_on=date(2025, 1, 1))


def test_document_versions_pile_up_and_only_pdf_or_docx_are_kept(ks_staff: Any) -> None:
    agreement = agreement_signed(ks_staff, partner_made(ks_staff))
    second = services.agreement_add_version(
        actor=ks_staff, agreement=agreement, upload=Upload("adendum.pdf", "", PDF)
    )
    assert second.number == 2 and agreement.versions.count() == 2
    with pytest.raises(ValidationError, match="PDF, DOCX"):
        services.agreement_add_version(
            actor=ks_staff, agreement=agreement, upload=Upload("foto.png", "image/png", b"x")
        )
    with pytest.raises(ValidationError, match="bukan jenis berkas"):
        services.agreement_add_version(
            actor=ks_staff,
            agreement=agreement,
            upload=Upload("palsu.pdf", "", b"PK\x03\x04 a zip, not a pdf"),
        )


def test_terminating_needs_a_reason_and_ends_the_agreement(ks_staff: Any) -> None:
    agreement = agreement_signed(ks_staff, partner_made(ks_staff))
    with pytest.raises(ValidationError, match="alasan"):
        services.agreement_move(actor=ks_staff, agreement=agreement, status="terminated")
    services.agreement_move(
        actor=ks_staff, agreement=agreement, status="terminated", reason="Mitra tutup."
    )
    agreement.refresh_from_db()
    assert agreement.state_on(date(2026, 6, 1)) == "terminated"
    assert agreement.ended_reason == "Mitra tutup."
    with pytest.raises(ValidationError):
        services.agreement_add_version(
            actor=ks_staff, agreement=agreement, upload=Upload("lagi.pdf", "", PDF)
        )


def test_the_lists_state_is_the_lifecycles_state(ks_staff: Any) -> None:
    partner = partner_made(ks_staff)
    made = [
        agreement_signed(ks_staff, partner, number="A", starts_on=date(2027, 1, 1)),
        agreement_signed(ks_staff, partner, number="B", ends_on=date(2026, 3, 31)),
        agreement_signed(ks_staff, partner, number="C"),
        services.agreement_create(actor=ks_staff, partners=[partner], kind="ia", title="Draf"),
    ]
    today = date(2026, 6, 1)
    listed = {a.pk: a.state for a in selectors.with_state(Agreement.objects.all(), today)}
    assert listed == {a.pk: state_on(a.status, a.starts_on, a.ends_on, today) for a in made}
    assert set(listed.values()) == {"signed", "expired", "active", "draft"}
    ending = selectors.agreements_ending(today=date(2028, 7, 15), within_days=180)
    assert [a.number for a in ending] == ["A", "C"]


def test_partners_counted_by_level_and_country(ks_staff: Any) -> None:
    partner_made(ks_staff, name="A", level="international", country="Malaysia")
    partner_made(ks_staff, name="B", level="international", country="malaysia")
    partner_made(ks_staff, name="C", level="national")
    partner_made(ks_staff, name="D", level="local")
    everyone = selectors.partners_filtered()
    assert selectors.partners_by_level(everyone) == {"international": 2, "national": 1, "local": 1}
    assert selectors.partners_by_country(everyone) == [("Indonesia", 2), ("Malaysia", 2)]
    assert selectors.partners_by_level(selectors.partners_filtered(country="MALAYSIA")) == {
        "international": 2
    }
    assert selectors.countries() == ["Indonesia", "Malaysia"]


def pages_of(partner: Partner, agreement: Agreement) -> list[str]:
    return [
        reverse("partners-home"),
        reverse("partners-list"),
        reverse("partners-partner", args=[partner.pk]),
        reverse("partners-agreements"),
        reverse("partners-agreement", args=[agreement.pk]),
    ]


def test_who_sees_the_partnership_pages(personas: Personas, ks_staff: Any) -> None:
    partner = partner_made(ks_staff)
    agreement = agreement_signed(ks_staff, partner)
    for viewer, status in (
        (ks_staff, 200),
        (personas.auditor, 200),
        (personas.admin, 200),
        (personas.staff, 403),  # UPT-SI works on other things
        (personas.requester, 403),
    ):
        client = Client()
        client.force_login(viewer)
        for url in pages_of(partner, agreement):
            assert client.get(url).status_code == status, (viewer, url)
    # Auditors read without the forms that write.
    client = Client()
    client.force_login(personas.auditor)
    page = client.get(reverse("partners-agreement", args=[agreement.pk])).content.decode()
    assert "Unggah versi baru" not in page
    assert client.get(reverse("partners-partner-new")).status_code == 403


def test_the_menu_shows_partnerships_to_those_who_may_use_them_without_a_query(
    personas: Personas, ks_staff: Any
) -> None:
    for viewer, shown in ((ks_staff, True), (personas.auditor, True), (personas.staff, False)):
        client = Client()
        client.force_login(viewer)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("portal-home")).content.decode()
        assert (reverse("partners-home") in body) == shown
        assert not any("org_unit" in q["sql"] and '"code" = ' in q["sql"] for q in queries)


def test_the_lists_cost_the_same_queries_however_many_rows(ks_staff: Any) -> None:
    client = Client()
    client.force_login(ks_staff)
    partner = partner_made(ks_staff)
    agreement_signed(ks_staff, partner)
    client.get(reverse("partners-home"))  # the partnership units, read once a minute
    counts = []
    for extra in range(2):
        other = partner_made(ks_staff, name=f"Mitra {extra}", country=f"Negara {extra}")
        agreement_signed(ks_staff, other, number=f"N-{extra}")
        for url in (reverse("partners-list"), reverse("partners-agreements")):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append((url, len(queries)))
    assert counts[:2] == counts[2:]


def test_the_pages_walk_an_agreement_through_its_steps(ks_staff: Any) -> None:
    client = Client()
    client.force_login(ks_staff)
    partner = partner_made(ks_staff)
    response = client.post(
        reverse("partners-agreement-new"),
        {
            "kind": "mou",
            "number": "",
            "title": "Kerja sama riset",
            "partners": [partner.pk],
            "units": [Unit.objects.get(code="RKS").pk],
            "scopes": ["research"],
            "starts_on": "2026-02-01",
            "ends_on": "2029-01-31",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and agreement.research and not agreement.education
    url = reverse("partners-agreement", args=[agreement.pk])
    client.post(
        reverse("partners-agreement-version", args=[agreement.pk]),
        {"document": SimpleUploadedFile("mou.pdf", PDF), "note": "draf"},
    )
    assert agreement.versions.get().note == "draf"
    download = client.get(reverse("partners-agreement-file", args=[agreement.pk, 1]))
    assert download.getvalue() == PDF
    refused = client.post(
        reverse("partners-agreement-status", args=[agreement.pk]), {"status": "signed"}
    )
    assert refused.status_code == 200 and "tidak dapat berpindah" in refused.content.decode()
    client.post(reverse("partners-agreement-status", args=[agreement.pk]), {"status": "in_review"})
    assert client.get(url).status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == "in_review"


def test_the_partners_page_title_is_its_name_and_the_surveys_come_once(
    sops: None, ks_staff: Any
) -> None:
    import re

    from django.test import Client

    from pintu.partners.tests.conftest import partner_made

    partner = partner_made(ks_staff)
    client = Client()
    client.force_login(ks_staff)
    html = client.get(f"/kerjasama/mitra/{partner.pk}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and title.group(1).strip() == f"{partner.name} · Pintu"
    assert html.count('id="surveys-title"') == 1
