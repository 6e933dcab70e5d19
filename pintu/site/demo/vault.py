"""The demo's register of digital-service accounts (SOP SDM.5.OT.02.02-5068): the
services people ask access to, entered by the academic administration before the
year begins with a made-up credential each, so that flow b's requests find them; and,
once the year is filed, the grants whose time ran out ended as the worker would have
ended them (their rotations open, their notices recorded as sent back then)."""

from __future__ import annotations

from datetime import datetime

from pintu.org.models import Unit, User
from pintu.site.demo.words import DIGITAL_SERVICES
from pintu.vault.grants import grants_expire
from pintu.vault.services import account_register


def register_seed(*, at: datetime) -> None:
    keeper = User.objects.get(username="staf-baa")
    unit = Unit.objects.get(code="BAA")
    for number, service in enumerate(DIGITAL_SERVICES, start=1):
        slug = "".join(ch for ch in service.lower() if ch.isalnum())[:12]
        account_register(
            actor=keeper,
            unit=unit,
            service=service,
            account=f"akademik.{slug}@demo.pintu.test",
            classification="restricted" if number % 3 else "secret",
            credential=f"Demo-{slug}-{number:02d}",
            notes="Akun Sub Bagian Administrasi Akademik untuk perkuliahan.",
            now=at,
        )


def year_end(*, now: datetime) -> None:
    grants_expire(now=now)
