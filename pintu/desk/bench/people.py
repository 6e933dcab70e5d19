"""The bench's people: requesters, outside contacts and a dozen staff per unit.

They are accounts like any other, made through the org services (audit rows included),
and kept between runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from pintu.desk.models import Contact
from pintu.org import services as org_services
from pintu.org.models import Role, Unit, User

REQUESTERS = 300
CONTACTS = 200
STAFF_PER_UNIT = 10  # plus a sub-coordinator and a head: a dozen per unit


@dataclass
class People:
    requesters: list[int]
    contacts: list[tuple[int, str]]  # id and display name
    names: dict[int, str]  # user id -> display name
    staff: dict[int, list[int]]  # unit id -> its staff and sub-coordinator


def _staff_username(unit: Unit, what: str) -> str:
    return f"bench-{unit.code.lower()}-{what}"


@transaction.atomic
def bench_people(units: Sequence[Unit]) -> People:
    """The bench requesters, outside contacts and each unit's staff, made if missing."""
    existing = set(
        User.objects.filter(username__startswith="bench-").values_list("username", flat=True)
    )
    homes = list(Unit.objects.filter(kind=Unit.Kind.STUDY_PROGRAMME).order_by("code"))
    homes = homes or list(units)

    def person(username: str, full_name: str, role: Role, unit: Unit) -> None:
        if username in existing:
            return
        user = org_services.user_create(
            actor=None,
            username=username,
            password=None,
            full_name=full_name,
            email=f"{username}@bench.pintu.test",
        )
        org_services.membership_grant(actor=None, user=user, role=role, unit=unit)

    requesters = [f"bench-pemohon-{n:03d}" for n in range(1, REQUESTERS + 1)]
    for n, username in enumerate(requesters, start=1):
        person(username, f"Pemohon Bench {n:03d}", Role.REQUESTER, homes[n % len(homes)])
    for unit in units:
        for n in range(1, STAFF_PER_UNIT + 1):
            person(
                _staff_username(unit, f"staf-{n:02d}"),
                f"Staf {unit.code} {n:02d}",
                Role.STAFF,
                unit,
            )
        person(_staff_username(unit, "subkoor"), f"Subkoor {unit.code}", Role.SUPERVISOR, unit)
        person(_staff_username(unit, "kepala"), f"Kepala {unit.code}", Role.HEAD, unit)

    emails = [f"bench-kontak-{n:03d}@mitra.example" for n in range(1, CONTACTS + 1)]
    known = set(Contact.objects.filter(email__in=emails).values_list("email", flat=True))
    Contact.objects.bulk_create(
        [
            Contact(name=f"Mitra Bench {n:03d}", email=email, phone=f"62812{n:07d}")
            for n, email in enumerate(emails, start=1)
            if email not in known
        ]
    )
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
    return People(
        requesters=[users[name].pk for name in requesters],
        contacts=[(c.pk, str(c)) for c in Contact.objects.filter(email__in=emails)],
        names={u.pk: str(u) for u in users.values()},
        staff={
            unit.pk: [
                users[_staff_username(unit, what)].pk
                for what in [f"staf-{n:02d}" for n in range(1, STAFF_PER_UNIT + 1)] + ["subkoor"]
            ]
            for unit in units
        },
    )
