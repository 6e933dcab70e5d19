"""Demo people for local runs: one of every role, in the units the SOPs name."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from pintu.org import services
from pintu.org.models import Closure, Role, Unit, User

DEMO_PASSWORD = "Demo-Pintu-2026"  # noqa: S105 (printed for local demo runs)


class DemoPerson(NamedTuple):
    username: str
    full_name: str
    role: Role
    unit: str | None
    phone: str = ""


DEMO_PEOPLE = (
    DemoPerson("admin", "Admin Pintu", Role.ADMIN, None),
    DemoPerson("auditor", "Auditor Mutu", Role.AUDITOR, None),
    DemoPerson("kepala-si", "Kepala UPT-SI", Role.HEAD, "UPT-SI"),
    DemoPerson("subkoor-si", "Sub Koordinator UPT-SI", Role.SUPERVISOR, "UPT-SI"),
    DemoPerson("staf-si", "Staf UPT-SI", Role.STAFF, "UPT-SI"),
    DemoPerson("kepala-p4m", "Kepala P4M", Role.HEAD, "P4M"),
    DemoPerson("staf-p4m", "Staf P4M", Role.STAFF, "P4M"),
    DemoPerson("subkoor-humas", "Sub Koordinator Humas dan Kerjasama", Role.SUPERVISOR, "PHK"),
    DemoPerson("staf-humas", "Staf Humas dan Kerjasama", Role.STAFF, "PHK"),
    DemoPerson("staf-kerjasama", "Staf Unit Kerjasama", Role.STAFF, "KS"),
    DemoPerson("staf-baa", "Penanggung Jawab Akun Digital", Role.STAFF, "BAA"),
    DemoPerson("dosen", "Dosen Teknik Informatika", Role.REQUESTER, "JTI", "6281200000001"),
    DemoPerson("mahasiswa", "Mahasiswa TRPL", Role.REQUESTER, "TRPL", "6281200000002"),
)


@transaction.atomic
def seed_demo() -> list[tuple[DemoPerson, bool]]:
    """Create what is missing; returns each demo person and whether it was new."""
    year = timezone.localdate().year
    services.holidays_sync(actor=None, years=[year, year + 1])
    made = []
    for person in DEMO_PEOPLE:
        user = User.objects.filter(username=person.username).first()
        created = user is None
        if user is None:
            user = services.user_create(
                actor=None,
                username=person.username,
                password=DEMO_PASSWORD,
                full_name=person.full_name,
                email=f"{person.username}@demo.pintu.test",
                phone=person.phone,
            )
        unit = Unit.objects.get(code=person.unit) if person.unit else None
        services.membership_grant(actor=None, user=user, role=person.role, unit=unit)
        made.append((person, created))
    admin = User.objects.get(username="admin")
    if not Closure.objects.filter(unit__code="UPT-SI", reason__startswith="Demo").exists():
        services.closure_add(
            actor=admin,
            unit=Unit.objects.get(code="UPT-SI"),
            start_date=date(year, 12, 31),
            end_date=date(year, 12, 31),
            reason="Demo: server room maintenance (UPT-SI closed)",
        )
    return made
