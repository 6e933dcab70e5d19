"""Contract tests of the ``ldap`` transport against a real slapd: each kind of job does
what it says, a job handed over twice acts once, a failure half-way leaves no
half-made entry and the retry does the rest, LDAPS and StartTLS both work, and what the
directory refuses is told apart from what it could not do now."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from ldap3 import MODIFY_REPLACE

from pintu.doors import secrets
from pintu.doors.ldap.operations import has_password_policy, sign_ins
from pintu.doors.ldap.transport import connection
from pintu.doors.tests.slapd_peer import BASE_DN, SlapdPeer, use_directory
from pintu.outbox.delivery import deliver_due
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import job_queue

pytestmark = pytest.mark.django_db
Status = OutboxItem.Status
PEOPLE = f"ou=people,{BASE_DN}"


def person_job(
    uid: str = "siti.aminah", number: str = "4321250001", **extra: Any
) -> dict[str, Any]:
    return {
        "op": "provision",
        "uid": uid,
        "attributes": {
            "objectClass": ["top", "inetOrgPerson", "posixAccount"],
            "cn": "Siti Aminah",
            "sn": "Aminah",
            "givenName": "Siti",
            "mail": "siti@mahasiswa.test",
            "employeeNumber": number,
            "employeeType": "mahasiswa",
            "departmentNumber": "TRPL",
            "uidNumber": 10001,
            "gidNumber": 20001,
            "homeDirectory": f"/home/{uid}",
            "loginShell": "/bin/bash",
        },
        "groups": [{"cn": "mahasiswa", "gidNumber": 20001}, {"cn": "siakad", "gidNumber": 21001}],
        **extra,
    }


def run(payload: dict[str, Any], key: str) -> OutboxItem:
    with transaction.atomic():
        job = job_queue(transport="ldap", payload=payload, idempotency_key=key)
    deliver_due(timezone.now() + timedelta(seconds=1))
    job.refresh_from_db()
    return job


def later(job: OutboxItem) -> OutboxItem:
    deliver_due(job.next_attempt_at + timedelta(seconds=1))
    job.refresh_from_db()
    return job


def members(peer: SlapdPeer, group: str) -> list[str]:
    entry = peer.entry(f"cn={group},ou=groups,{BASE_DN}", "memberUid")
    return sorted(entry["memberUid"]) if entry else []


def test_provisioning_makes_the_entry_and_its_groups(directory: SlapdPeer) -> None:
    job = run(person_job(), "p1")
    assert job.status == Status.SENT, job.last_error
    dn = f"uid=siti.aminah,{PEOPLE}"
    assert job.external_id == dn and job.result["created"] is True
    entry = directory.entry(dn)
    assert (
        entry is not None
        and entry["employeeNumber"] == ["4321250001"]
        and entry["uidNumber"] == [10001]
    )
    assert set(entry["objectClass"]) >= {"inetOrgPerson", "posixAccount"}
    assert "userPassword" not in entry  # staged: nobody can sign in yet
    assert members(directory, "mahasiswa") == ["siti.aminah"] == members(directory, "siakad")


def test_a_rerun_creates_nothing_twice(directory: SlapdPeer) -> None:
    run(person_job(), "p1")
    again = run(person_job(), "p1-again")  # the same job, asked again
    assert again.status == Status.SENT and again.result["created"] is False
    assert again.result["joined"] == []
    assert directory.children("people") == [f"uid=siti.aminah,{PEOPLE}"]
    assert members(directory, "mahasiswa") == ["siti.aminah"]


def test_a_failure_half_way_fails_the_job_visibly_and_the_retry_does_the_rest(
    directory: SlapdPeer,
) -> None:
    conn = directory.admin()
    conn.delete(f"ou=groups,{BASE_DN}")  # the groups' container is not there (yet)
    job = run(person_job(), "p1")
    assert job.status == Status.FAILED and "noSuchObject" in job.last_error
    # The entry was made whole; nothing half-made, and no group joined.
    assert directory.children("people") == [f"uid=siti.aminah,{PEOPLE}"]
    conn.add(f"ou=groups,{BASE_DN}", ["top", "organizationalUnit"], {"ou": "groups"})
    conn.unbind()
    job = later(job)
    assert job.status == Status.SENT and job.result["created"] is False
    assert job.result["joined"] == ["mahasiswa", "siakad"]
    assert directory.children("people") == [f"uid=siti.aminah,{PEOPLE}"]
    assert members(directory, "siakad") == ["siti.aminah"]


def test_an_entry_the_schema_refuses_is_not_made_at_all_and_is_a_dead_letter(
    directory: SlapdPeer,
) -> None:
    payload = person_job()
    del payload["attributes"]["homeDirectory"]  # posixAccount must have one
    job = run(payload, "p1")
    assert job.status == Status.DEAD and "objectClassViolation" in job.last_error
    assert directory.children("people") == []


def test_a_username_held_by_someone_else_is_refused_not_shared(directory: SlapdPeer) -> None:
    run(person_job(), "p1")
    other = run(person_job(number="4321250099"), "p2")
    assert other.status == Status.DEAD and "taken in the directory" in other.last_error
    assert directory.entry(f"uid=siti.aminah,{PEOPLE}", "employeeNumber")["employeeNumber"] == [
        "4321250001"
    ]


def test_a_directory_that_is_down_is_a_passing_failure(directory: SlapdPeer, settings: Any) -> None:
    from pintu.conftest import free_port

    settings.PINTU_LDAP_URL = f"ldap://127.0.0.1:{free_port()}"
    job = run(person_job(), "p1")
    assert job.status == Status.FAILED and job.last_error.startswith("LDAP:")
    settings.PINTU_LDAP_URL = directory.url
    assert later(job).status == Status.SENT


def test_the_holders_password_is_set_sealed_in_transit_and_wiped_after(
    directory: SlapdPeer,
) -> None:
    run(person_job(), "p1")
    job = run(
        {"op": "set_password", "uid": "siti.aminah", "password": secrets.seal("Kuat-Sekali-99")},
        "pw1",
    )
    assert job.status == Status.SENT, job.last_error
    assert job.payload["password"] == ""  # gone from the database once the directory has it
    assert directory.bind_as("siti.aminah", "Kuat-Sekali-99")
    assert not directory.bind_as("siti.aminah", "salah")
    stored = directory.entry(f"uid=siti.aminah,{PEOPLE}", "userPassword")["userPassword"][0]
    assert b"Kuat-Sekali-99" not in stored  # the directory hashed it


def test_a_change_replaces_attributes_and_moves_between_groups(directory: SlapdPeer) -> None:
    run(person_job(), "p1")
    job = run(
        {
            "op": "change",
            "uid": "siti.aminah",
            "replace": {"cn": ["Siti Aminah Putri"], "departmentNumber": ["RKS"]},
            "leave": ["siakad"],
            "join": [{"cn": "vpn", "gidNumber": 21004}],
        },
        "c1",
    )
    assert job.status == Status.SENT, job.last_error
    entry = directory.entry(f"uid=siti.aminah,{PEOPLE}", "cn", "departmentNumber")
    assert entry == {"cn": ["Siti Aminah Putri"], "departmentNumber": ["RKS"]}
    assert members(directory, "siakad") == [] and members(directory, "vpn") == ["siti.aminah"]
    assert members(directory, "mahasiswa") == ["siti.aminah"]


def test_disabling_keeps_the_entry_but_ends_sign_ins_and_groups_then_it_moves_aside(
    directory: SlapdPeer,
) -> None:
    run(person_job(), "p1")
    run({"op": "set_password", "uid": "siti.aminah", "password": secrets.seal("Sandi-1234")}, "pw")
    assert directory.bind_as("siti.aminah", "Sandi-1234")
    job = run({"op": "disable", "uid": "siti.aminah"}, "d1")
    assert job.status == Status.SENT and sorted(job.result["left"]) == ["mahasiswa", "siakad"]
    entry = directory.entry(f"uid=siti.aminah,{PEOPLE}")
    assert (
        entry is not None
        and entry["loginShell"] == ["/usr/sbin/nologin"]
        and "userPassword" not in entry
    )
    assert not directory.bind_as("siti.aminah", "Sandi-1234")
    assert run({"op": "disable", "uid": "siti.aminah"}, "d2").status == Status.SENT  # again: fine
    moved = run({"op": "move_aside", "uid": "siti.aminah"}, "m1")
    assert moved.status == Status.SENT and moved.result["moved"] is True
    assert directory.children("people") == []
    assert directory.children("disabled") == [f"uid=siti.aminah,ou=disabled,{BASE_DN}"]
    again = run({"op": "move_aside", "uid": "siti.aminah"}, "m2")
    assert again.result["moved"] is False


def test_the_password_policy_unlocks_and_forces_a_change(directory: SlapdPeer) -> None:
    run(person_job(), "p1")
    dn = f"uid=siti.aminah,{PEOPLE}"
    conn = directory.admin()
    conn.modify(dn, {"pwdAccountLockedTime": [(MODIFY_REPLACE, ["20260101000000Z"])]})
    conn.unbind()
    job = run({"op": "unlock", "uid": "siti.aminah"}, "u1")
    assert job.status == Status.SENT and job.result["was_locked"] is True
    assert not directory.entry(dn, "pwdAccountLockedTime")["pwdAccountLockedTime"]
    forced = run({"op": "force_change", "uid": "siti.aminah"}, "f1")
    assert forced.status == Status.SENT
    assert directory.entry(dn, "pwdReset") == {"pwdReset": [True]}


def test_first_sign_ins_are_read_from_the_directory(directory: SlapdPeer) -> None:
    run(person_job(), "p1")
    run(person_job(uid="budi", number="4321250002"), "p2")
    run({"op": "set_password", "uid": "siti.aminah", "password": secrets.seal("Sandi-1234")}, "pw")
    with connection() as conn:
        assert sign_ins(conn, BASE_DN, ["siti.aminah", "budi"]) == {}
        assert has_password_policy(conn)
    before = timezone.now().replace(microsecond=0)
    assert directory.bind_as("siti.aminah", "Sandi-1234")
    with connection() as conn:
        seen = sign_ins(conn, BASE_DN, ["siti.aminah", "budi"])
    assert list(seen) == ["siti.aminah"]
    assert before - timedelta(seconds=1) <= seen["siti.aminah"] <= timezone.now()


@pytest.mark.parametrize("mode", ["ldaps", "starttls"])
def test_ldaps_and_starttls_verify_the_directorys_certificate(
    directory: SlapdPeer, settings: Any, mode: str
) -> None:
    if mode == "ldaps":
        use_directory(directory, settings, url=directory.ldaps_url)
    else:
        use_directory(directory, settings, tls="starttls")
    assert run(person_job(), f"{mode}-1").status == Status.SENT
    settings.PINTU_LDAP_CA_FILE = ""  # the system's CAs do not know the test CA
    job = run(person_job(uid="budi", number="4321250002"), f"{mode}-2")
    assert job.status == Status.FAILED
    assert ("certificate" if mode == "ldaps" else "PINTU_LDAP_CA_FILE") in job.last_error
