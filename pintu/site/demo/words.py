"""How the demo's requests are written: the particulars a request is about (``Slots``:
the system, the room, the course, the partner...), drawn once per request so that its
subject, message and fields agree; the templates over them (``Case``, ``Words``, whose
data per service type is in ``pintu.site.demo.cases``); and what staff and requesters
say whatever the service (first answers, rating comments, greetings, signatures).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def date_words(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def semester(day: date) -> str:
    """The academic semester ``day`` falls in: odd from August, even from February."""
    if day.month >= 8:
        return f"Ganjil {day.year}/{day.year + 1}"
    if day.month == 1:
        return f"Ganjil {day.year - 1}/{day.year}"
    return f"Genap {day.year - 1}/{day.year}"


SYSTEMS = (
    "SIAKAD",
    "e-Learning",
    "SIMPEG",
    "SIMKEU",
    "Portal Mahasiswa",
    "Sistem Informasi Perpustakaan",
    "Tracer Study",
    "PMB Online",
)
PLACES = (
    "Lab Komputer 1",
    "Lab Komputer 3",
    "Lab Multimedia",
    "Ruang Dosen JTI",
    "Ruang Dosen Elektro",
    "Perpustakaan lantai 2",
    "Ruang Rapat Direktorat",
    "Ruang Kelas GU 705",
    "Ruang Kelas TA 10.3",
    "Bagian Keuangan",
)
BUILDINGS = ("Gedung Utama", "Tower A", "Gedung Teknik Mesin", "Gedung Technopreneur")
SERVERS = ("SIAKAD", "e-Learning", "repositori", "basis data keuangan")
SOFTWARE = (
    "AutoCAD 2024",
    "MATLAB R2023b",
    "Microsoft Office 2021",
    "SPSS 27",
    "Visual Studio Code",
    "Adobe Premiere Pro",
    "Cisco Packet Tracer",
    "SolidWorks 2023",
    "Zotero",
    "Python 3.12 dan Jupyter",
)
COURSES = (
    ("IF201", "Pemrograman Web", "Pemrograman Web Lanjut"),
    ("IF305", "Basis Data", "Sistem Basis Data"),
    ("RKS210", "Keamanan Jaringan", "Keamanan Jaringan Komputer"),
    ("TI220", "Jaringan Komputer", "Jaringan Komputer dan Komunikasi Data"),
    ("AK102", "Pengantar Akuntansi", "Dasar-Dasar Akuntansi"),
    ("TM230", "Mekanika Teknik", "Mekanika Teknik Terapan"),
    ("EL240", "Sistem Kendali", "Sistem Kendali Otomatis"),
    ("MB110", "Bahasa Inggris I", "English for Specific Purposes"),
    ("TRM201", "Desain Grafis", "Desain Komunikasi Visual"),
    ("MB250", "Kewirausahaan", "Technopreneurship"),
)
LECTURERS = (
    "Yuliana Sari, M.Cs.",
    "Dr. Hendra Kusuma, M.T.",
    "Ir. Bambang Wibowo, M.Eng.",
    "Ratna Dewi, M.Ak.",
    "Arif Rahman, M.Kom.",
    "Sinta Maharani, M.Sc.",
)
CLASSES = ("TI-1A", "TI-2B", "TRPL-3A", "RKS-2A", "AK-1B", "TM-2C", "TRM-3B")
PARTNERS = (
    "PT Sinar Batam Teknologi",
    "PT Maju Bersama Logistik",
    "Universiti Teknologi Malaysia",
    "PT Galangan Kapal Nusantara",
    "Dinas Pendidikan Provinsi Kepulauan Riau",
    "PT Panbil Elektronik",
    "CV Kreatif Media Kepri",
)
EVENTS = (
    "Dies Natalis",
    "Wisuda",
    "Seminar Nasional Teknologi Terapan",
    "Lomba Robotik Tingkat SMA",
    "Pengabdian Masyarakat di Belakang Padang",
    "Job Fair Kampus",
    "Kuliah Tamu Industri",
)
DEPARTMENTS = ("Teknik Informatika", "Teknik Elektro", "Teknik Mesin", "Manajemen dan Bisnis")
DIGITAL_SERVICES = (
    "Zoom Meeting",
    "Google Workspace",
    "Turnitin",
    "Canva Pro",
    "Neo Feeder PDDikti",
    "Microsoft Teams",
    "kanal YouTube kampus",
)


@dataclass(frozen=True)
class Slots:
    """The particulars one request is about."""

    name: str
    day: date
    system: str
    place: str
    building: str
    server: str
    software: str
    course: tuple[str, str, str]
    lecturers: tuple[str, str]
    classes: tuple[str, str]
    partner: str
    event: str
    department: str
    digital: str
    number: str  # a NIM
    staff_number: str  # a NIP
    later: date  # a date a few days on

    @classmethod
    def draw(cls, rng: random.Random, name: str, day: date) -> Slots:
        lecturer, other_lecturer = rng.sample(LECTURERS, 2)
        klass, other_class = rng.sample(CLASSES, 2)
        return cls(
            name=name,
            day=day,
            system=rng.choice(SYSTEMS),
            place=rng.choice(PLACES),
            building=rng.choice(BUILDINGS),
            server=rng.choice(SERVERS),
            software=rng.choice(SOFTWARE),
            course=rng.choice(COURSES),
            lecturers=(lecturer, other_lecturer),
            classes=(klass, other_class),
            partner=rng.choice(PARTNERS),
            event=rng.choice(EVENTS),
            department=rng.choice(DEPARTMENTS),
            digital=rng.choice(DIGITAL_SERVICES),
            number=f"43{rng.randint(21, 25)}{rng.randint(100000, 999999)}",
            staff_number=f"19{rng.randint(75, 95)}{rng.randint(1, 12):02d}"
            f"{rng.randint(1, 28):02d} {rng.randint(2005, 2023)}"
            f"{rng.randint(1, 12):02d} {rng.randint(1, 2)} {rng.randint(1, 15):03d}",
            later=day + timedelta(days=rng.randint(2, 9)),
        )

    def values(self) -> dict[str, str]:
        code, course, renamed = self.course
        return {
            "name": self.name,
            "system": self.system,
            "place": self.place,
            "building": self.building,
            "server": self.server,
            "software": self.software,
            "code": code,
            "course": course,
            "renamed": renamed,
            "lecturer": self.lecturers[0],
            "other_lecturer": self.lecturers[1],
            "klass": self.classes[0],
            "other_class": self.classes[1],
            "partner": self.partner,
            "event": self.event,
            "department": self.department,
            "digital": self.digital,
            "number": self.number,
            "staff_number": self.staff_number,
            "semester": semester(self.day),
            "day": self.day.isoformat(),
            "day_words": date_words(self.day),
            "later": self.later.isoformat(),
            "later_words": date_words(self.later),
            "year": str(self.day.year),
        }


@dataclass(frozen=True)
class Case:
    """One thing people write about: the subject, the message and the service's fields."""

    subject: str
    body: str
    fields: dict[str, str]


@dataclass(frozen=True)
class Words:
    """Everything the demo says about one service type."""

    cases: tuple[Case, ...]
    questions: tuple[str, ...]  # staff ask for what is missing; the request then waits
    answers: tuple[str, ...]  # the requester's answer
    solutions: tuple[str, ...]  # the reply that resolves it
    notes: tuple[str, ...]  # internal notes
    waits: tuple[str, ...] = ()  # what a third party is waited for (empty: never one)
    refusals: tuple[str, ...] = ()  # the reply when the SOP's flow refuses


def fill(text: str, slots: Slots) -> str:
    return text.format_map(slots.values())


def fill_fields(fields: dict[str, str], slots: Slots) -> dict[str, str]:
    return {key: fill(value, slots) for key, value in fields.items()}


# The first answer staff give, whatever the service.
FIRST_REPLIES = (
    "Terima kasih, permintaan Anda sudah kami terima dan sedang kami periksa.",
    "Baik, segera kami tindak lanjuti. Mohon ditunggu kabar berikutnya.",
    "Permintaan sudah kami catat dan sedang dikerjakan oleh tim kami.",
    "Terima kasih atas laporannya. Kami cek terlebih dahulu dan kami kabari.",
)
RESUMED_NOTES = (
    "Pemohon sudah melengkapi data lewat telepon.",
    "Pemohon datang langsung membawa data yang diminta.",
)
WAIT_OVER = (
    "Pihak ketiga sudah memberi kabar; pekerjaan dilanjutkan.",
    "Yang ditunggu sudah datang, lanjut dikerjakan.",
)
AGAIN = (
    "Maaf, masalahnya muncul lagi hari ini.",
    "Sepertinya belum tuntas, kemarin sempat normal tetapi sekarang sama lagi.",
)
AGAIN_SOLVED = ("Sudah kami perbaiki ulang dan kami pantau beberapa hari ke depan.",)
RATING_COMMENTS = {
    5: ("Cepat dan ramah, terima kasih!", "Mantap, langsung beres.", "Pelayanan sangat baik."),
    4: ("Sudah beres, terima kasih.", "Baik, hanya menunggu agak lama di awal."),
    3: ("Cukup, tetapi prosesnya agak lama.", "Selesai, walaupun harus bertanya dua kali."),
    2: ("Prosesnya lama dan saya harus menanyakan berkali-kali.",),
    1: ("Masalah belum benar-benar selesai.", "Terlalu lama, kuliah saya jadi terganggu."),
}


# How staff sign their replies.
SIGNATURES = {
    "UPT-SI": "Helpdesk UPT-SI",
    "P4M": "Helpdesk P4M",
    "PHK": "Humas dan Kerjasama",
    "KS": "Unit Kerjasama",
    "BAA": "Sub Bagian Administrasi Akademik",
}


def greeting(hour: int) -> str:
    if hour < 11:
        return "Selamat pagi"
    if hour < 15:
        return "Selamat siang"
    if hour < 18:
        return "Selamat sore"
    return "Selamat malam"
