"""The demo's people: one login of every role in the units the SOPs name, the students
and lecturers who ask for services, and the outside contacts who write in."""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction

from pintu.org import services, twofactor
from pintu.org.models import Role, Unit, User

DEMO_PASSWORD = "Demo-Pintu-2026"  # noqa: S105 (printed for local demo runs)
# Staff sign in with a second factor: the demo's authenticator key, published for local
# runs (its base32 text goes into any authenticator app; `pintu twofactor code USERNAME`
# prints the current code instead).
DEMO_TOTP_KEY = "50696e74752064656d6f20323032362d746f7470"


class DemoPerson(NamedTuple):
    username: str
    full_name: str
    role: Role
    unit: str | None
    phone: str = ""


# The logins `make run` prints.
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
    DemoPerson("kepala-kerjasama", "Kepala Unit Kerjasama", Role.HEAD, "KS"),
    DemoPerson("staf-kerjasama", "Staf Unit Kerjasama", Role.STAFF, "KS"),
    DemoPerson("staf-baa", "Penanggung Jawab Akun Digital", Role.STAFF, "BAA"),
    DemoPerson("dosen", "Dosen Teknik Informatika", Role.REQUESTER, "JTI", "6281200000001"),
    DemoPerson("mahasiswa", "Mahasiswa TRPL", Role.REQUESTER, "TRPL", "6281200000002"),
)

# More requesters, so that the year is not all one student's and one lecturer's. They
# have no password: nobody signs in as them.
DEMO_STUDENTS = (
    DemoPerson("rizky.ramadhan", "Rizky Ramadhan", Role.REQUESTER, "TI", "6281200000011"),
    DemoPerson("putri.lestari", "Putri Ayu Lestari", Role.REQUESTER, "TRPL", "6281200000012"),
    DemoPerson("m.fauzan", "Muhammad Fauzan", Role.REQUESTER, "RKS", "6281200000013"),
    DemoPerson("anisa.rahma", "Anisa Rahma", Role.REQUESTER, "AK", "6281200000014"),
    DemoPerson("dimas.saputra", "Dimas Saputra", Role.REQUESTER, "TM", "6281200000015"),
    DemoPerson("nabila.zahra", "Nabila Zahra", Role.REQUESTER, "TRM", "6281200000016"),
)
DEMO_LECTURERS = (
    DemoPerson("hendra.kusuma", "Dr. Hendra Kusuma, M.T.", Role.REQUESTER, "JTE", "6281200000021"),
    DemoPerson("yuliana.sari", "Yuliana Sari, M.Cs.", Role.REQUESTER, "JTI", "6281200000022"),
    DemoPerson(
        "bambang.wibowo", "Ir. Bambang Wibowo, M.Eng.", Role.REQUESTER, "JTM", "6281200000023"
    ),
    DemoPerson("ratna.dewi", "Ratna Dewi, M.Ak.", Role.REQUESTER, "JMB", "6281200000024"),
)


class Outsider(NamedTuple):
    """A requester without an account, known by name, e-mail address and WhatsApp."""

    name: str
    email: str
    phone: str


OUTSIDERS = (
    Outsider("Budi Santoso", "budi.santoso@example.com", "6281277310101"),
    Outsider("Siti Rahmawati", "siti.rahmawati@example.com", "6281277310102"),
    Outsider("Agus Setiawan", "agus.setiawan@example.net", "6281277310103"),
    Outsider("Dewi Lestari", "dewi.lestari@example.org", "6281277310104"),
    Outsider("Andi Wijaya", "andi.wijaya@example.com", "6281277310105"),
    Outsider("Fitri Handayani", "fitri.handayani@example.net", "6281277310106"),
    Outsider("Hendra Gunawan", "hendra.gunawan@example.com", "6281277310107"),
    Outsider("Maya Sari", "maya.sari@example.org", "6281277310108"),
    Outsider("Yusuf Hakim", "yusuf.hakim@example.com", "6281277310109"),
    Outsider("Rina Marlina", "rina.marlina@example.net", "6281277310110"),
    Outsider("Dedi Kurniawan", "dedi.kurniawan@example.com", "6281277310111"),
    Outsider("Lina Marpaung", "lina.marpaung@example.org", "6281277310112"),
    Outsider("Teguh Saputra", "teguh.saputra@example.com", "6281277310113"),
    Outsider("Indah Permatasari", "indah.permatasari@example.net", "6281277310114"),
    Outsider("Fajar Nugroho", "fajar.nugroho@example.com", "6281277310115"),
    Outsider("Sri Wahyuni", "sri.wahyuni@example.org", "6281277310116"),
    Outsider("Joko Susilo", "joko.susilo@example.com", "6281277310117"),
    Outsider("Nurul Hidayah", "nurul.hidayah@example.net", "6281277310118"),
)


def outsider(name: str) -> Outsider:
    return next(person for person in OUTSIDERS if person.name == name)


# People at partner organisations, who write to Kerjasama and Humas most.
PARTNERS = (
    Outsider(
        "Ir. Surya Darma (PT Sinar Batam Teknologi)", "surya@sinarbatam.example", "6281277320201"
    ),
    Outsider(
        "Melati Anggraini (PT Maju Bersama Logistik)", "melati@majubersama.example", "6281277320202"
    ),
    Outsider("Dr. Ahmad Zaki (Universiti Teknologi Malaysia)", "zaki@utm.example", "6281277320203"),
    Outsider(
        "Rudi Hartono (PT Galangan Kapal Nusantara)", "rudi@galangan.example", "6281277320204"
    ),
    Outsider(
        "Wulan Sari (Dinas Pendidikan Provinsi Kepri)",
        "wulan@disdik-kepri.example",
        "6281277320205",
    ),
    Outsider("Benny Simanjuntak (PT Panbil Elektronik)", "benny@panbil.example", "6281277320206"),
    Outsider(
        "Yanti Oktavia (CV Kreatif Media Kepri)", "yanti@kreatifmedia.example", "6281277320207"
    ),
)

# Who works each unit's requests, and how often each of them takes one.
STAFF = {
    "UPT-SI": (("staf-si", 6), ("subkoor-si", 2), ("kepala-si", 1)),
    "P4M": (("staf-p4m", 5), ("kepala-p4m", 1)),
    "PHK": (("staf-humas", 4), ("subkoor-humas", 1)),
    "KS": (("staf-kerjasama", 1),),
    "BAA": (("staf-baa", 1),),
}


def _person(person: DemoPerson, password: str | None) -> tuple[User, bool]:
    user = User.objects.filter(username=person.username).first()
    created = user is None
    if user is None:
        user = services.user_create(
            actor=None,
            username=person.username,
            password=password,
            full_name=person.full_name,
            email=f"{person.username}@demo.pintu.test",
            phone=person.phone,
        )
    unit = Unit.objects.get(code=person.unit) if person.unit else None
    services.membership_grant(actor=None, user=user, role=person.role, unit=unit)
    return user, created


def everyone() -> tuple[DemoPerson, ...]:
    return (*DEMO_PEOPLE, *DEMO_STUDENTS, *DEMO_LECTURERS)


@transaction.atomic
def people_seed() -> list[tuple[DemoPerson, bool]]:
    """Make the demo people who are missing; returns each login and whether it was new."""
    made = []
    for person in DEMO_PEOPLE:
        user, created = _person(person, DEMO_PASSWORD)
        if person.role != Role.REQUESTER:
            twofactor.demo_device(user=user, key=DEMO_TOTP_KEY)
        made.append((person, created))
    for person in (*DEMO_STUDENTS, *DEMO_LECTURERS):
        _person(person, None)
    return made
