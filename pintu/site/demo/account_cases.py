"""What the demo's requests say for PR.33.8's kinds of account request beyond the new
account (pintu.identity): a password reset or unlock, a change of name, access to a
system, deactivation on leaving."""

from __future__ import annotations

from pintu.site.demo.words import Case, Words

RESET = Words(
    cases=(
        Case(
            "Lupa kata sandi akun kampus",
            "Saya lupa kata sandi akun kampus dan tidak bisa masuk SIAKAD. NIM {number}.",
            {"nomor_induk": "{number}", "jenis": "Lupa kata sandi"},
        ),
        Case(
            "Akun terkunci setelah salah kata sandi",
            "Akun saya terkunci setelah beberapa kali salah memasukkan kata sandi di laptop "
            "baru. Mohon dibuka. NIM {number}.",
            {"nomor_induk": "{number}", "jenis": "Akun terkunci"},
        ),
        Case(
            "Kata sandi saya diketahui orang lain",
            "Kata sandi akun kampus saya terlihat teman waktu presentasi. Mohon saya "
            "diwajibkan menggantinya. NIP {staff_number}.",
            {"nomor_induk": "{staff_number}", "jenis": "Kata sandi diketahui orang lain"},
        ),
    ),
    questions=("Mohon sebutkan NIM/NIP sesuai kartu identitas Anda untuk verifikasi.",),
    answers=("NIM saya sesuai yang tertulis di permintaan. Terima kasih.",),
    solutions=("Sudah kami proses. Silakan ikuti petunjuk yang kami kirimkan.",),
    notes=("Data pemohon cocok dengan data induk.",),
)
CHANGE = Words(
    cases=(
        Case(
            "Perubahan nama pada akun kampus",
            "Nama saya sudah diperbarui di SIMPEG sesuai SK terbaru. Mohon nama pada akun "
            "kampus disesuaikan. NIP {staff_number}.",
            {"nomor_induk": "{staff_number}", "perubahan": "Nama", "keterangan": "Sesuai SK."},
        ),
        Case(
            "Nama di akun SIAKAD salah",
            "Nama saya di akun kampus masih belum lengkap. Data di bagian akademik sudah "
            "benar. NIM {number}.",
            {"nomor_induk": "{number}", "perubahan": "Nama", "keterangan": ""},
        ),
    ),
    questions=("Apakah data di bagian akademik/kepegawaian sudah diperbarui?",),
    answers=("Sudah, kemarin sudah diperbarui oleh bagian akademik.",),
    solutions=("Nama pada akun kampus sudah kami sesuaikan dengan data induk.",),
    notes=("Data induk terbaru sudah diimpor pagi ini.",),
)
ACCESS = Words(
    cases=(
        Case(
            "Minta akses VPN kampus",
            "Saya perlu akses VPN untuk membuka jurnal dari rumah. NIP {staff_number}.",
            {"nomor_induk": "{staff_number}", "sistem": "VPN", "keperluan": "Akses jurnal."},
        ),
        Case(
            "Akses e-learning untuk mata kuliah {course}",
            "Mohon akun saya diberi akses e-learning untuk mata kuliah {course}. NIM {number}.",
            {"nomor_induk": "{number}", "sistem": "E-learning", "keperluan": "Kuliah {course}."},
        ),
    ),
    questions=("Untuk keperluan apa akses tersebut dibutuhkan?",),
    answers=("Untuk perkuliahan semester ini.",),
    solutions=("Akses sudah kami berikan; silakan masuk dengan akun kampus Anda.",),
    notes=("Akses ditambahkan ke grup sistem di direktori.",),
)
LEAVE = Words(
    cases=(
        Case(
            "Penonaktifan akun setelah wisuda",
            "Saya sudah wisuda. Mohon akun kampus saya dinonaktifkan mulai {later_words}. "
            "NIM {number}.",
            {"nomor_induk": "{number}", "alasan": "Lulus", "tanggal": "{later}"},
        ),
        Case(
            "Pegawai pindah tugas",
            "Pegawai atas nama {name} pindah tugas mulai {later_words}. Mohon akunnya "
            "dinonaktifkan. NIP {staff_number}.",
            {"nomor_induk": "{staff_number}", "alasan": "Keluar atau pindah", "tanggal": "{later}"},
        ),
    ),
    questions=(),
    answers=(),
    solutions=("Akun dinonaktifkan pada tanggal tersebut; datanya tidak dihapus.",),
    notes=("Akun dinonaktifkan, grup dilepas.",),
)

WORDS = {
    "reset-sandi": RESET,
    "perubahan-akun": CHANGE,
    "akses-sistem": ACCESS,
    "penonaktifan-akun": LEAVE,
}
