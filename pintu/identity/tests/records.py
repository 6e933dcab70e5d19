"""Master records for tests that take a PR.33.8 request through its steps: the
requester as the master data knows them, and the step forms' data as the step panel
posts it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pintu.desk.actions import PREFIX
from pintu.identity.models import MasterRecord
from pintu.org.models import Unit


def master_record(
    id_number: str = "4321250001",
    *,
    name: str = "Siti Aminah",
    kind: str = "mahasiswa",
    unit: str = "TRPL",
    email: str = "siti@mahasiswa.test",
    phone: str = "",
    standing: str = "aktif",
) -> MasterRecord:
    return MasterRecord.objects.create(
        id_number=id_number,
        name=name,
        email=email,
        phone=phone,
        kind=kind,
        unit=Unit.objects.get(code=unit),
        standing=standing,
        updated_at=timezone.now(),
    )


def posted(**values: Any) -> dict[str, Any]:
    return {f"{PREFIX}-{name}": value for name, value in values.items()}


def identified(ticket: Any) -> dict[str, Any]:
    """The identification step's data for ``ticket``: its NIM/NIP/NIK, made a master
    record of its requester when there is none yet."""
    number = str(ticket.fields.get("nomor_induk") or "4321250001").replace(" ", "")
    if not MasterRecord.objects.filter(id_number=number).exists():
        master_record(number, name=ticket.requester_name or "Siti Aminah")
    return posted(id_number=number)
