"""The partnership tests' people and records, made through the module's own services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest

from pintu.conftest import Personas, make_user, service
from pintu.desk import services as desk
from pintu.desk.services import Upload
from pintu.org.models import Role, Unit
from pintu.partners import services
from pintu.partners.models import Agreement, Partner
from pintu.partners.services import activities

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # Mon 2 Nov 2026, 09.00 WIB

# The smallest file that is a PDF by its content.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded documents land in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ks_staff(personas: Personas) -> Any:
    """Staff of Unit Kerjasama, who keep the register (``personas`` works elsewhere)."""
    return make_user("staf-kerjasama", Role.STAFF, "KS")


def partner_made(actor: Any, name: str = "PT Sinar Batam Teknologi", **values: Any) -> Partner:
    return services.partner_create(
        actor=actor,
        name=name,
        kind=values.pop("kind", Partner.Kind.INDUSTRY),
        level=values.pop("level", Partner.Level.NATIONAL),
        country=values.pop("country", "Indonesia"),
        **values,
    )


def agreement_signed(
    actor: Any,
    partner: Partner,
    *,
    number: str = "001/PL29/KS/2026",
    starts_on: date = date(2026, 1, 1),
    ends_on: date = date(2028, 12, 31),
    units: tuple[str, ...] = ("TRPL",),
    kind: str = Agreement.Kind.MOU,
) -> Agreement:
    """An agreement taken through its steps: drafted, its document uploaded, reviewed,
    signed."""
    agreement = services.agreement_create(
        actor=actor,
        partners=[partner],
        units=Unit.objects.filter(code__in=units),
        kind=kind,
        number=number,
        title=f"Kerja sama pendidikan dengan {partner}",
        signed_on=starts_on,
        starts_on=starts_on,
        ends_on=ends_on,
        education=True,
    )
    services.agreement_add_version(
        actor=actor, agreement=agreement, upload=Upload("mou.pdf", "application/pdf", PDF)
    )
    services.agreement_move(actor=actor, agreement=agreement, status="in_review")
    services.agreement_move(actor=actor, agreement=agreement, status="signed")
    agreement.refresh_from_db()
    return agreement


def held(
    staff: Any,
    personas: Personas,
    partner: Partner,
    units: Sequence[str],
    day: date,
    *,
    carried_out: bool = True,
    agreement: Agreement | None = None,
) -> Any:
    """An activity planned, coordinated and (unless told) held on ``day``."""
    ticket = desk.ticket_create(
        actor=personas.requester,
        service_type=service("PR.KS", "kegiatan-kerjasama"),
        requester=personas.requester,
        opening=desk.Opening(subject=f"Kerja sama {'/'.join(units)}", body="Mohon diatur."),
        fields={"mitra": partner.name, "unit_kerja": ", ".join(units), "uraian": "Kunjungan"},
        now=datetime.combine(day, datetime.min.time(), tzinfo=UTC),
    ).ticket
    chosen = list(Unit.objects.filter(code__in=units))
    activities.activity_plan(
        actor=staff,
        ticket=ticket,
        title=f"Kunjungan industri {'/'.join(units)}",
        partner=partner,
        agreement=agreement,
        units=chosen,
        scopes=["education"],
        planned_start=day,
        planned_end=None,
        agenda="Kunjungan dan diskusi kurikulum",
        now=NOW,
    )
    if carried_out:
        activities.activity_record(
            actor=staff,
            ticket=ticket,
            kind="visit",
            held_on=day,
            held_until=None,
            place="Kawasan industri Batamindo",
            link="",
            attendees="Mahasiswa semester 5",
            attendee_count=30,
            outputs="Laporan kunjungan",
            units=chosen,
            now=NOW,
        )
    return ticket
