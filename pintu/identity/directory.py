"""What a campus account is in the directory: its entry (``inetOrgPerson`` and
``posixAccount`` under ``ou=people``), its groups by role and by system, and the jobs
the ``ldap`` transport carries out for it.

Pure: no ORM, no settings. The group names and numbers are Pintu's choice, one
``posixGroup`` per kind of person (PR.33.8: "setiap akademisi") and per system a person
may be given access to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# gidNumber of each role's group, which is also the primary group of its members.
ROLE_GROUPS: dict[str, int] = {"mahasiswa": 20001, "dosen": 20002, "pegawai": 20003}
# The systems of PR.33.8's access requests (B.1.8.18 names them), as groups.
SYSTEM_GROUPS: dict[str, tuple[str, int]] = {
    "SIAKAD": ("siakad", 21001),
    "E-learning": ("elearning", 21002),
    "E-mail": ("email", 21003),
    "VPN": ("vpn", 21004),
    "Wi-Fi": ("wifi", 21005),
}


@dataclass(frozen=True)
class Person:
    username: str
    uid_number: int
    name: str
    email: str
    phone: str
    id_number: str
    kind: str
    unit: str


def _names(name: str) -> tuple[str, str]:
    words = name.split()
    if not words:
        return "", name
    return " ".join(words[:-1]) or words[0], words[-1]


def group(cn: str, gid: int) -> dict[str, Any]:
    return {"cn": cn, "gidNumber": gid}


def role_group(kind: str) -> dict[str, Any]:
    return group(kind, ROLE_GROUPS[kind])


def system_group(system: str) -> dict[str, Any]:
    cn, gid = SYSTEM_GROUPS[system]
    return group(cn, gid)


def attributes(person: Person) -> dict[str, Any]:
    """The entry's attributes, but its uid (the DN's own) and password (the holder's)."""
    given, family = _names(person.name)
    values: dict[str, Any] = {
        "objectClass": ["top", "inetOrgPerson", "posixAccount"],
        "cn": person.name,
        "sn": family,
        "givenName": given,
        "displayName": person.name,
        "employeeNumber": person.id_number,
        "employeeType": person.kind,
        "departmentNumber": person.unit,
        "uidNumber": person.uid_number,
        "gidNumber": ROLE_GROUPS[person.kind],
        "homeDirectory": f"/home/{person.username}",
        "loginShell": "/bin/bash",
    }
    if person.email:
        values["mail"] = person.email
    if person.phone:
        values["mobile"] = f"+{person.phone}"
    return values


def provision_job(person: Person) -> dict[str, Any]:
    return {
        "op": "provision",
        "uid": person.username,
        "attributes": attributes(person),
        "groups": [role_group(person.kind)],
    }


def change_job(before: Person, after: Person) -> dict[str, Any]:
    """What changed of a person (name, unit, kind) as a change of their entry."""
    old, new = attributes(before), attributes(after)
    replace = {
        name: [new[name]]
        for name in ("cn", "sn", "givenName", "displayName", "departmentNumber", "employeeType")
        if old[name] != new[name]
    }
    job: dict[str, Any] = {"op": "change", "uid": after.username, "replace": replace}
    if before.kind != after.kind:
        replace["gidNumber"] = [new["gidNumber"]]
        job["leave"] = [before.kind]
        job["join"] = [role_group(after.kind)]
    return job
