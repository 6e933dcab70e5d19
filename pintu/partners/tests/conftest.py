"""The partnership tests' people and records, made through the module's own services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pintu.conftest import Personas, make_user
from pintu.desk.services import Upload
from pintu.org.models import Role, Unit
from pintu.partners import services
from pintu.partners.models import Agreement, Partner

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
