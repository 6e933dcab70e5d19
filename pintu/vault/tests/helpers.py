"""What the register's tests share: its keeper, an entry with a credential, a request
for access by a person who signs in, and a grant made through the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from pintu.conftest import make_user, service
from pintu.desk import services as desk
from pintu.desk.models import Door, Ticket
from pintu.org.models import Role, Unit
from pintu.vault.envelope import new_key
from pintu.vault.grants import grant_create
from pintu.vault.models import DigitalAccount, Grant
from pintu.vault.services import account_register

SOP = "SDM.5.OT.02.02-5068"
SECRET = "Zoom-rahasia-7731"
KEY = new_key()


def keeper() -> Any:
    return make_user("staf-baa", Role.STAFF, "BAA")


def entry(staff: Any, *, service_name: str = "Zoom", credential: str = SECRET) -> DigitalAccount:
    return account_register(
        actor=staff,
        unit=Unit.objects.get(code="BAA"),
        service=service_name,
        account=f"prodi@{service_name.lower()}.test",
        credential=credential,
        now=timezone.now(),
    )


def access_request(person: Any, akun: str = "Zoom") -> Ticket:
    return desk.ticket_create(
        actor=person,
        service_type=service(SOP, "pemberian-akses"),
        requester=person,
        opening=desk.Opening(subject=f"Akses {akun}", body="Untuk kuliah daring."),
        door=Door.WEB,
        fields={"akun": akun, "keperluan": "Kuliah daring"},
    ).ticket


def grant(
    staff: Any,
    person: Any,
    accounts: list[DigitalAccount],
    *,
    days: float = 7,
    now: datetime | None = None,
) -> Grant:
    now = now or timezone.now()
    with transaction.atomic():
        return grant_create(
            actor=staff,
            ticket=access_request(person),
            accounts=accounts,
            ends_at=now + timedelta(days=days),
            now=now,
        )
