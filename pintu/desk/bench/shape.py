"""How the bench traffic is shaped: shares of units, services, doors and outcomes, and
the words its tickets are written in."""

from __future__ import annotations

from datetime import timedelta

from pintu.desk.models import Door, Priority, Status

SPAN_DAYS = 730

# Shares of the traffic; units and services not named here weigh 10 and 2.
UNIT_WEIGHTS = {"UPT-SI": 35, "BAA": 20, "P4M": 20, "PHK": 13, "KS": 12}
SERVICE_WEIGHTS = {
    "layanan-ringan": 6,
    "akun-kampus": 5,
    "instalasi-perangkat-lunak": 3,
    "perbaikan-sistem-informasi": 3,
    "pendaftaran-akun": 3,
    "pemberian-akses": 3,
    "perubahan-data-mata-kuliah": 3,
    "publikasi-konten": 3,
    "publikasi-pengumuman": 2,
    "layanan-berat": 1,
    "pengembangan-sistem-informasi": 1,
    "pengembangan-media": 1,
    "sosialisasi-fitur": 1,
}
DOORS = {Door.WEB: 40, Door.EMAIL: 25, Door.WHATSAPP: 25, Door.WALK_IN: 6, Door.PHONE: 4}
ONLINE_DOORS = (Door.WEB.value, Door.EMAIL.value, Door.WHATSAPP.value)
# Outside partners write more often to the partnership unit (KS).
CONTACT_SHARE = {Door.WEB.value: 0.0, Door.EMAIL.value: 0.25, Door.WHATSAPP.value: 0.4}
CONTACT_SHARE_PARTNERS = 0.7
ACTIVE = {
    Status.NEW: 20,
    Status.OPEN: 50,
    Status.WAITING_REQUESTER: 20,
    Status.WAITING_THIRD_PARTY: 10,
}
PRIORITIES = {Priority.NORMAL: 80, Priority.HIGH: 12, Priority.LOW: 5, Priority.URGENT: 3}
CSAT = {5: 45, 4: 35, 3: 12, 2: 5, 1: 3}
CSAT_SHARE = 0.55

# When requests arrive: office hours on working days mostly, online doors at any hour.
OFFICE_HOURS = (7.5 * 60, 16 * 60)  # local minutes of the day
OFFICE_HOURS_SHARE = 0.82
WEEKEND_SHARE = 0.12  # a weekend day gets this share of a weekday's requests
# The chance that a ticket is still active falls with its age: most requests of the
# last days are open, and a few old ones are forgotten in the queue (3 % in all).
ACTIVE_FLOOR = 0.015
ACTIVE_RECENT = 0.6
ACTIVE_DECAY_DAYS = 10
ON_TIME_SHARE = 0.88  # resolved within the resolution target
PAUSED_SHARE = 0.12  # resolved tickets that waited for the requester once
AUTO_CLOSE = timedelta(days=7)  # resolved tickets close a week later

PLACES = [
    "Lab Komputer 1",
    "Lab Komputer 3",
    "Ruang Dosen JTI",
    "Perpustakaan",
    "Gedung B",
    "Ruang Rapat Direktorat",
    "Asrama Taruna",
    "Aula",
    "Ruang Kelas 2.04",
]
SYSTEMS = ["SIAKAD", "E-Learning", "SIMPEG", "Repositori", "PMB Online", "E-Office", "SSO"]
SOFTWARE = ["MATLAB", "AutoCAD", "SPSS", "Office", "Visual Studio Code", "QGIS", "Zoom"]
PARTNERS = [
    "PT Telkom Indonesia",
    "Pemkot Batam",
    "Universitas Andalas",
    "PT PLN Batam",
    "Bank Riau Kepri",
    "SMK Negeri 1 Batam",
]
EVENTS = ["Dies Natalis", "Wisuda", "Seminar Nasional", "PKM Mahasiswa", "Kunjungan Industri"]
SUBJECTS = {
    "perubahan-data-mata-kuliah": [
        "Perubahan data mata kuliah {course}",
        "Koreksi SKS {course}",
        "Ganti dosen pengampu {course}",
    ],
    "publikasi-pengumuman": [
        "Pengumuman kuliah {course} di e-learning",
        "Mohon tayangkan pengumuman {course}",
    ],
    "publikasi-konten": ["Publikasi kegiatan {event}", "Berita {event} untuk website"],
    "pengembangan-media": ["Video profil untuk {event}", "Desain poster {event}"],
    "akun-kampus": [
        "Akun e-mail kampus belum aktif",
        "Reset kata sandi {system}",
        "Akun {system} untuk pegawai baru",
    ],
    "layanan-ringan": [
        "Wi-Fi {place} tidak tersambung",
        "Printer {place} macet",
        "Proyektor {place} tidak menyala",
        "Komputer {place} mati",
    ],
    "instalasi-perangkat-lunak": ["Instalasi {software} di {place}", "Lisensi {software} habis"],
    "layanan-berat": ["Switch {place} mati", "Jaringan {place} looping", "Server {system} rusak"],
    "perbaikan-sistem-informasi": [
        "Tidak bisa login {system}",
        "{system} lambat sekali",
        "Error saat unggah berkas di {system}",
    ],
    "pengembangan-sistem-informasi": ["Fitur baru untuk {system}", "Laporan baru di {system}"],
    "sosialisasi-fitur": ["Sosialisasi fitur baru {system}"],
    "draf-mou-moa": ["Draf MoU dengan {partner}", "Draf MoA dengan {partner}"],
    "permintaan-mitra": ["Permintaan kerja sama dari {partner}"],
    "pendaftaran-akun": ["Pendaftaran akun {system}"],
    "pemberian-akses": ["Permohonan akses {system}"],
}
INBOUND = [
    "Mohon bantuannya, terima kasih.",
    "Sudah dicoba beberapa kali tetapi belum berhasil.",
    "Mohon segera ditindaklanjuti karena dipakai untuk perkuliahan.",
]
REPLIES = [
    "Baik, permintaan Anda sedang kami proses.",
    "Terima kasih, kami cek terlebih dahulu.",
    "Mohon dilengkapi datanya agar bisa kami proses.",
]
ANSWERS = ["Berikut data yang diminta.", "Sudah saya lengkapi, terima kasih."]
RESOLUTIONS = [
    "Sudah selesai, silakan dicoba kembali.",
    "Permintaan sudah kami kerjakan.",
    "Sudah kami perbaiki. Terima kasih atas laporannya.",
]
NOTES = ["Menunggu konfirmasi dari vendor.", "Perlu dicek langsung ke lokasi."]
