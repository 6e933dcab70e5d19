"""The demo requests that arrive while `make run` is up: a few in its first minutes, so
that the staff queue visibly moves.

`pintu seed demo` writes one ``DemoArrival`` row per request with the moment it is due;
the worker's periodic job (``pintu.site.tasks.demo_arrivals``) files each one through
``ticket_create`` once that moment has come. A row is claimed with a conditional UPDATE
in the transaction that files it, so however many workers run, each request arrives once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from pintu.desk import services
from pintu.desk.models import Door, Ticket
from pintu.org.models import User
from pintu.site.demo import words
from pintu.site.demo.people import Outsider, outsider
from pintu.site.models import DemoArrival
from pintu.sop.models import ServiceType


class Arrival(NamedTuple):
    key: str
    after: timedelta  # after the moment of seeding
    sop: str
    service: str
    door: str
    requester: str | Outsider  # a demo username, or an outside contact
    subject: str
    body: str
    fields: dict[str, str]


ARRIVALS = (
    Arrival(
        "krs-siakad",
        timedelta(minutes=2),
        "PR.33.8",
        "perbaikan-sistem-informasi",
        Door.WEB,
        "mahasiswa",
        "KRS tidak bisa disimpan di SIAKAD",
        'Saat menyimpan KRS muncul pesan "Sesi berakhir" dan mata kuliah yang sudah saya '
        "pilih hilang. Batas pengisian KRS besok. Mohon bantuannya.",
        {"sistem": "SIAKAD"},
    ),
    Arrival(
        "wifi-tower-a",
        timedelta(minutes=3),
        "PR.33.8",
        "layanan-ringan",
        Door.EMAIL,
        outsider("Teguh Saputra"),
        "Wi-Fi Tower A lantai 5 putus",
        "Wi-Fi di Tower A lantai 5 putus sejak sepuluh menit lalu, padahal sebentar lagi "
        "ada rapat daring dengan mitra. Mohon segera dicek.",
        {},
    ),
    Arrival(
        "kuis-basis-data",
        timedelta(minutes=5),
        "PR.13.2",
        "publikasi-pengumuman",
        Door.WEB,
        "dosen",
        "Publikasi pengumuman kuis Basis Data",
        "Mohon dipublikasikan pengumuman kuis Basis Data untuk kelas TI-2B di e-Learning.",
        {
            "judul": "Kuis Basis Data Pekan Depan",
            "isi": "Kuis Basis Data kelas TI-2B dilaksanakan pada pertemuan berikutnya, "
            "materi normalisasi dan SQL dasar.",
            "mata_kuliah": "IF305 Basis Data",
        },
    ),
    Arrival(
        "sandi-email-dosen",
        timedelta(minutes=7),
        "PR.33.8",
        "akun-kampus",
        Door.EMAIL,
        "dosen",
        "Reset kata sandi e-mail",
        "Kata sandi e-mail kampus saya tidak bisa dipakai lagi setelah pembaruan keamanan "
        "kemarin. Mohon dibantu reset.",
        {},
    ),
    Arrival(
        "akses-zoom-rapat",
        timedelta(minutes=9),
        "SDM.5.OT.02.02-5068",
        "pemberian-akses",
        Door.EMAIL,
        outsider("Sri Wahyuni"),
        "Permohonan akses akun Zoom untuk rapat jurusan",
        "Kami memohon akses akun Zoom Sub Bagian Administrasi Akademik untuk rapat jurusan "
        "besok pukul 09.00.",
        {},
    ),
)
BY_KEY = {arrival.key: arrival for arrival in ARRIVALS}


def arrivals_schedule(now: datetime) -> int:
    """Write the arrivals due after ``now``; returns how many."""
    DemoArrival.objects.bulk_create(
        [DemoArrival(key=a.key, due_at=now + a.after) for a in ARRIVALS], ignore_conflicts=True
    )
    return len(ARRIVALS)


def _file(arrival: Arrival, now: datetime) -> Ticket:
    service_type = ServiceType.objects.select_related("sop__unit").get(
        sop__code=arrival.sop, sop__is_current=True, key=arrival.service
    )
    local = timezone.localtime(now)
    if isinstance(arrival.requester, Outsider):
        who = arrival.requester
        requester: services.Requester = services.ContactDetails(
            name=who.name, email=who.email, phone=who.phone
        )
        name = who.name
    else:
        user = User.objects.get(username=arrival.requester)
        name = str(user)
        requester = user
        if arrival.door == Door.EMAIL:  # known by the address the mail came from
            requester = services.ContactDetails(
                name=user.full_name, email=user.email, phone=user.phone
            )
    body = arrival.body
    if arrival.door == Door.EMAIL:
        body = f"{words.greeting(local.hour)},\n\n{body}\n\nTerima kasih.\n{name}"
    created = services.ticket_create(
        actor=requester if isinstance(requester, User) else None,
        service_type=service_type,
        requester=requester,
        opening=services.Opening(subject=arrival.subject, body=body),
        door=arrival.door,
        fields=arrival.fields,
        now=now,
    )
    return created.ticket


def arrivals_file_due(now: datetime) -> list[Ticket]:
    """File every demo arrival whose moment has come and that nobody filed yet."""
    due = DemoArrival.objects.filter(filed_at__isnull=True, due_at__lte=now, key__in=BY_KEY)
    filed = []
    for pk, key in due.order_by("due_at", "id").values_list("pk", "key"):
        with transaction.atomic():
            # Of two workers that both saw the row, only one matches it here; the other
            # waits for the first one's commit and then finds it filed.
            if not DemoArrival.objects.filter(pk=pk, filed_at__isnull=True).update(filed_at=now):
                continue
            ticket = _file(BY_KEY[key], now)
            DemoArrival.objects.filter(pk=pk).update(ticket=ticket)
        filed.append(ticket)
    return filed
