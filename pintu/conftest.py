"""Shared test fixtures: the personas every view test checks (built through services)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pintu.org import services
from pintu.org.models import Role, Unit, User

PASSWORD = "kata-sandi-uji-123"


@dataclass
class Personas:
    requester: User
    staff: User  # staff (agent) of UPT-SI
    other_staff: User  # staff of P4M, another unit
    supervisor: User  # sub-coordinator of UPT-SI
    head: User  # head of UPT-SI
    auditor: User
    admin: User


def make_user(username: str, role: Role | None, unit_code: str | None) -> User:
    user = services.user_create(
        actor=None, username=username, password=PASSWORD, full_name=username.title()
    )
    if role is not None:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        services.membership_grant(actor=None, user=user, role=role, unit=unit)
    return user


@pytest.fixture
def personas(db: None) -> Personas:
    return Personas(
        requester=make_user("mahasiswa", Role.REQUESTER, "TRPL"),
        staff=make_user("staf-si", Role.STAFF, "UPT-SI"),
        other_staff=make_user("staf-p4m", Role.STAFF, "P4M"),
        supervisor=make_user("subkoor-si", Role.SUPERVISOR, "UPT-SI"),
        head=make_user("kepala-si", Role.HEAD, "UPT-SI"),
        auditor=make_user("auditor", Role.AUDITOR, None),
        admin=make_user("admin", Role.ADMIN, None),
    )
