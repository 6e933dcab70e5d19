"""What the demo's requests say, per service type of the five SOPs: the cases people
write about (subject, message and the service's fields), the questions staff ask and
the answers they get, what a third party is waited for, the replies that resolve or
refuse, and internal notes. Texts are templates over a request's ``Slots``.
"""

from __future__ import annotations

from pintu.site.demo.account_cases import WORDS as ACCOUNT_KINDS
from pintu.site.demo.words import Case, Words

ACCOUNT = Words(
    cases=(
        Case(
            "Tidak bisa login SIAKAD",
            'Saya tidak bisa login ke SIAKAD sejak kemarin. Muncul pesan "username atau '
            'password salah" padahal saya yakin sudah benar. NIM saya {number}. Mohon '
            "bantuannya karena minggu ini batas pengisian KRS.",
            {"nomor_induk": "{number}", "status": "Mahasiswa", "sistem": "SIAKAD"},
        ),
        Case(
            "Reset kata sandi e-mail kampus",
            "Saya lupa kata sandi e-mail kampus dan nomor pemulihan yang terdaftar sudah "
            "tidak aktif. Mohon dibantu reset kata sandinya. NIM {number}.",
            {"nomor_induk": "{number}", "status": "Mahasiswa", "sistem": "E-mail kampus"},
        ),
        Case(
            "Permintaan akun e-mail dan SIAKAD untuk dosen baru",
            "Saya dosen baru di Jurusan {department} mulai semester {semester}. Mohon "
            "dibuatkan akun e-mail kampus dan akun SIAKAD. NIP {staff_number}.",
            {
                "nomor_induk": "{staff_number}",
                "status": "Dosen",
                "sistem": "E-mail kampus dan SIAKAD",
            },
        ),
        Case(
            "Akun Wi-Fi kampus terkunci",
            "Akun Wi-Fi saya terkunci setelah beberapa kali salah memasukkan kata sandi di "
            "laptop baru. Mohon dibuka kembali. NIM {number}.",
            {"nomor_induk": "{number}", "status": "Mahasiswa", "sistem": "Wi-Fi kampus"},
        ),
        Case(
            "Akun e-Learning belum aktif",
            "Saya mahasiswa baru, tetapi akun e-Learning saya belum bisa dipakai sehingga "
            "tidak bisa melihat materi {course}. NIM {number}.",
            {"nomor_induk": "{number}", "status": "Mahasiswa", "sistem": "e-Learning"},
        ),
        Case(
            "Aktivasi akun SIMPEG pegawai baru",
            "Mohon diaktifkan akun SIMPEG untuk pegawai baru di Bagian Keuangan atas nama "
            "saya, NIP {staff_number}, agar bisa mengisi presensi dan data kepegawaian.",
            {"nomor_induk": "{staff_number}", "status": "Pegawai", "sistem": "SIMPEG"},
        ),
    ),
    questions=(
        "Mohon kirimkan foto KTM atau kartu pegawai Anda untuk verifikasi identitas.",
        "Untuk verifikasi, mohon sebutkan tanggal lahir dan nama ibu kandung sesuai data kampus.",
        "Mohon konfirmasi alamat e-mail pribadi yang akan dipakai untuk pemulihan akun.",
    ),
    answers=(
        "Baik, foto KTM sudah saya kirimkan. Terima kasih.",
        "Berikut datanya sudah saya lengkapi. Mohon dicek kembali.",
        "E-mail pribadi saya sama dengan yang dipakai untuk menulis pesan ini.",
    ),
    solutions=(
        "Akun sudah aktif kembali. Silakan login dengan kata sandi sementara yang kami "
        "kirimkan dan segera ganti kata sandinya.",
        "Kata sandi sudah direset. Kata sandi sementara dikirim ke e-mail pemulihan Anda.",
        "Akun sudah dibuat dan dapat digunakan mulai hari ini. Panduan login terlampir di portal.",
    ),
    notes=(
        "Akun terkunci karena percobaan login gagal berulang; dibuka manual di LDAP.",
        "Data NIM cocok dengan data PDDikti, lanjut proses.",
        "Sinkronisasi akun SIAKAD ke e-Learning baru jalan malam ini.",
    ),
)

LIGHT_WORK = Words(
    cases=(
        Case(
            "Wi-Fi di {place} tidak tersambung",
            "Sejak pagi Wi-Fi di {place} tidak bisa tersambung, laptop hanya menampilkan "
            '"No internet". Mohon dicek karena sedang ada perkuliahan.',
            {"jenis": "Perbaikan koneksi jaringan kabel/nirkabel", "lokasi": "{place}"},
        ),
        Case(
            "Proyektor di {place} tidak menyala",
            "Proyektor di {place} tidak menyala sama sekali, lampu indikator berkedip "
            "merah. Mohon bantuan teknisi.",
            {"jenis": "Perbaikan/instalasi perangkat keras TI", "lokasi": "{place}"},
        ),
        Case(
            "Printer di {place} tidak bisa mencetak",
            "Printer jaringan di {place} tidak bisa mencetak, antrean dokumen tertahan "
            "terus. Sudah saya matikan dan nyalakan lagi tetapi tetap sama.",
            {"jenis": "Perbaikan/instalasi perangkat keras TI", "lokasi": "{place}"},
        ),
        Case(
            "Kabel LAN di {place} putus",
            "Kabel LAN di meja dekat jendela {place} putus dan komputer tidak dapat "
            "terhubung ke jaringan. Mohon diganti.",
            {"jenis": "Perbaikan koneksi jaringan kabel/nirkabel", "lokasi": "{place}"},
        ),
        Case(
            "VPS praktikum tidak bisa diakses",
            "VPS untuk praktikum {course} tidak bisa diakses lewat SSH sejak tadi malam. "
            "Mohon dicek, praktikum dimulai besok pagi.",
            {"jenis": "Perbaikan VPS", "lokasi": "VPS praktikum {course}"},
        ),
        Case(
            "Komputer di {place} mati total",
            "Satu komputer di {place} (meja nomor 12) mati total, tidak ada lampu sama "
            "sekali saat tombol daya ditekan.",
            {"jenis": "Perbaikan/instalasi perangkat keras TI", "lokasi": "{place}"},
        ),
        Case(
            "Internet lambat di {place}",
            "Koneksi internet di {place} sangat lambat sejak dua hari ini, membuka "
            "e-Learning saja butuh waktu lama.",
            {"jenis": "Perbaikan koneksi jaringan kabel/nirkabel", "lokasi": "{place}"},
        ),
    ),
    questions=(
        "Mohon informasikan nomor inventaris perangkat yang bermasalah.",
        "Kapan ruangan bisa kami datangi untuk pengecekan? Mohon konfirmasi jamnya.",
    ),
    answers=(
        "Nomor inventarisnya sudah saya foto dan kirimkan. Terima kasih.",
        "Ruangan kosong setelah pukul 13.00, silakan datang.",
    ),
    solutions=(
        "Sudah kami perbaiki di lokasi dan sudah dicoba berfungsi normal. Silakan dicek kembali.",
        "Perangkat sudah diganti dengan yang baru dan sudah tersambung kembali.",
        "Access point sudah kami restart dan konfigurasinya diperbarui; koneksi sudah normal.",
    ),
    notes=(
        "Sudah dicek di lokasi, perlu ganti kabel patch.",
        "Adaptor proyektor rusak, ambil cadangan dari gudang.",
        "Access point lantai ini sering hang, usulkan penggantian.",
    ),
    waits=("Menunggu suku cadang dari vendor.",),
)

SOFTWARE_WORK = Words(
    cases=(
        Case(
            "Instalasi {software} di {place}",
            "Mohon dipasang {software} di semua komputer {place} untuk praktikum "
            "{course} yang dimulai minggu depan.",
            {"perangkat_lunak": "{software}", "lokasi": "{place}"},
        ),
        Case(
            "Mohon install {software} di laptop dosen",
            "Saya membutuhkan {software} di laptop dinas saya untuk persiapan mengajar. "
            "Laptop bisa saya antar ke UPT-SI hari ini.",
            {"perangkat_lunak": "{software}", "lokasi": "Laptop dinas, {place}"},
        ),
        Case(
            "Lisensi {software} habis",
            "Lisensi {software} di {place} sudah habis dan aplikasinya tidak bisa dibuka. "
            "Mohon diaktifkan kembali.",
            {"perangkat_lunak": "{software}", "lokasi": "{place}"},
        ),
    ),
    questions=("Berapa unit komputer yang perlu dipasang? Mohon sebutkan nomor mejanya.",),
    answers=("Semua 30 unit, meja 1 sampai 30. Terima kasih.",),
    solutions=(
        "{software} sudah terpasang dan sudah kami uji. Silakan digunakan.",
        "Lisensi sudah diaktifkan kembali hingga akhir tahun.",
    ),
    notes=("Installer diambil dari repositori lisensi kampus.",),
)

HEAVY_WORK = Words(
    cases=(
        Case(
            "Jaringan looping di {building}",
            "Jaringan di {building} putus-nyambung sejak pagi, lampu switch berkedip "
            "cepat. Sepertinya ada looping.",
            {"lokasi": "{building}"},
        ),
        Case(
            "Switch di {building} rusak",
            "Switch di ruang panel {building} mati dan satu lantai tidak mendapat "
            "jaringan sama sekali.",
            {"lokasi": "Ruang panel {building}"},
        ),
        Case(
            "Server {server} mati, PSU rusak",
            "Server {server} mati mendadak dan tidak mau menyala; ada bau hangus dari bagian PSU.",
            {"lokasi": "Ruang server, server {server}"},
        ),
        Case(
            "Harddisk server {server} rusak",
            "Monitoring RAID server {server} menunjukkan satu harddisk gagal. Mohon "
            "segera diganti sebelum harddisk lain ikut rusak.",
            {"lokasi": "Ruang server, server {server}"},
        ),
        Case(
            "Pengembangan jaringan ruang kelas baru di {building}",
            "Ruang kelas baru di {building} lantai 4 akan dipakai semester depan. Mohon "
            "dipasang jaringan kabel dan Wi-Fi.",
            {"lokasi": "{building} lantai 4"},
        ),
    ),
    questions=("Mohon izin akses ke ruang panel; siapa yang memegang kuncinya?",),
    answers=("Kunci ruang panel ada di satpam lantai 1, sudah saya informasikan.",),
    solutions=(
        "Perangkat sudah diganti dan jaringan sudah normal kembali. Terima kasih atas "
        "kesabarannya.",
        "Pekerjaan sudah selesai dan sudah kami uji bersama pengguna di lokasi.",
    ),
    notes=(
        "Port looping ditemukan di switch akses lantai 3, sudah diisolasi.",
        "Garansi PSU masih berlaku, klaim ke vendor.",
    ),
    waits=(
        "Menunggu pengiriman perangkat pengganti dari vendor.",
        "Menunggu jadwal teknisi vendor untuk penggantian di lokasi.",
    ),
)

SYSTEM_REPAIR = Words(
    cases=(
        Case(
            "Nilai tidak muncul di SIAKAD",
            "Nilai mata kuliah {course} semester {semester} tidak muncul di KHS saya, "
            "padahal dosen sudah mengunggah. NIM {number}.",
            {"sistem": "SIAKAD"},
        ),
        Case(
            "Error saat cetak KRS di SIAKAD",
            "Saat mencetak KRS muncul error dan file PDF-nya kosong. Sudah saya coba di "
            "dua browser berbeda.",
            {"sistem": "SIAKAD"},
        ),
        Case(
            "Halaman {system} menampilkan error 500",
            'Halaman {system} menampilkan "500 Internal Server Error" setiap kali saya '
            "membuka menu laporan.",
            {"sistem": "{system}"},
        ),
        Case(
            "Data dosen pengampu salah di SIAKAD",
            "Dosen pengampu {course} kelas {klass} di SIAKAD tertulis {other_lecturer}, "
            "seharusnya {lecturer}.",
            {"sistem": "SIAKAD"},
        ),
        Case(
            "Tombol unggah di {system} tidak berfungsi",
            "Tombol unggah dokumen di {system} tidak merespons sama sekali, padahal "
            "ukuran file hanya 2 MB.",
            {"sistem": "{system}"},
        ),
    ),
    questions=("Mohon kirimkan tangkapan layar pesan error dan jam kejadiannya.",),
    answers=("Tangkapan layarnya sudah saya kirim, kejadiannya sekitar pukul 09.00.",),
    solutions=(
        "Perbaikan sudah kami terapkan di {system}. Silakan dicoba kembali.",
        "Bug sudah diperbaiki dan data sudah disinkronkan ulang.",
    ),
    notes=(
        "Error berasal dari query laporan tanpa indeks, diperbaiki di rilis berikut.",
        "Masalah cache sesi, sudah dibersihkan.",
    ),
    waits=("Menunggu perbaikan dari pengembang aplikasi pihak ketiga.",),
)

SYSTEM_BUILD = Words(
    cases=(
        Case(
            "Penambahan fitur ekspor Excel di {system}",
            "Kami membutuhkan fitur ekspor data ke Excel di {system} untuk keperluan "
            "laporan akreditasi jurusan.",
            {"sistem": "{system}"},
        ),
        Case(
            "Pembuatan formulir pendaftaran wisuda online",
            "Mohon dibuatkan formulir pendaftaran wisuda online yang terhubung dengan "
            "data SIAKAD untuk wisuda tahun {year}.",
            {"sistem": "SIAKAD"},
        ),
        Case(
            "Integrasi SIAKAD dengan e-Learning",
            "Kami mengusulkan agar peserta kelas di e-Learning otomatis mengikuti data "
            "KRS di SIAKAD.",
            {"sistem": "SIAKAD dan e-Learning"},
        ),
        Case(
            "Dashboard monitoring kehadiran dosen",
            "Mohon dibuatkan dashboard monitoring kehadiran dosen per jurusan untuk pimpinan.",
            {"sistem": "SIMPEG"},
        ),
    ),
    questions=("Mohon kirimkan contoh format laporan yang dibutuhkan.",),
    answers=("Contoh format laporannya sudah saya kirimkan.",),
    solutions=(
        "Fitur sudah selesai dikembangkan dan sudah tersedia di {system}. Panduan "
        "penggunaan ada di menu Bantuan.",
    ),
    notes=("Masuk sprint pengembangan berikutnya; estimasi dua minggu.",),
    waits=("Menunggu persetujuan kebutuhan dari pimpinan unit pemohon.",),
)

FEATURE_NEWS = Words(
    cases=(
        Case(
            "Sosialisasi fitur presensi QR di SIAKAD",
            "Fitur presensi QR di SIAKAD sudah dipublikasikan hari ini, {day_words}. Mohon "
            "disosialisasikan kepada dosen dan mahasiswa.",
            {"sistem": "SIAKAD", "tanggal_publikasi": "{day}"},
        ),
        Case(
            "Sosialisasi perubahan tampilan Portal Mahasiswa",
            "Tampilan baru Portal Mahasiswa dipublikasikan hari ini, {day_words}. Mohon "
            "dibuatkan pengumuman dan panduan singkat.",
            {"sistem": "Portal Mahasiswa", "tanggal_publikasi": "{day}"},
        ),
        Case(
            "Sosialisasi fitur tanda tangan elektronik di {system}",
            "Fitur tanda tangan elektronik di {system} berlaku sejak hari ini, {day_words}. "
            "Mohon disosialisasikan ke seluruh unit.",
            {"sistem": "{system}", "tanggal_publikasi": "{day}"},
        ),
    ),
    questions=("Apakah sudah ada panduan pengguna yang bisa kami lampirkan?",),
    answers=("Panduannya sudah ada di folder bersama, tautannya saya kirimkan.",),
    solutions=("Sosialisasi sudah dikirim melalui e-mail kampus dan dipasang di portal.",),
    notes=("Koordinasi dengan Humas untuk unggahan di media sosial.",),
)

COURSE_DATA = Words(
    cases=(
        Case(
            "Mohon ubah nama mata kuliah {code}",
            "Sesuai kurikulum baru, nama mata kuliah {code} {course} di e-Learning mohon "
            "diubah menjadi {renamed}.",
            {
                "kode_mata_kuliah": "{code}",
                "nama_mata_kuliah": "{course}",
                "data": "Nama lengkap mata kuliah",
                "nilai_lama": "{course}",
                "nilai_baru": "{renamed}",
                "alasan": "Penyesuaian dengan kurikulum baru.",
            },
        ),
        Case(
            "Nomor ID mata kuliah {code} untuk semester {semester}",
            "Mata kuliah {course} di e-Learning mohon diberi nomor ID {code}-{year} agar "
            "sesuai dengan SIAKAD.",
            {
                "kode_mata_kuliah": "{code}",
                "nama_mata_kuliah": "{course}",
                "data": "Nomor ID mata kuliah",
                "nilai_lama": "-",
                "nilai_baru": "{code}-{year}",
                "alasan": "Disamakan dengan kode kelas di SIAKAD.",
            },
        ),
        Case(
            "Mata kuliah {course} masih tampil di e-Learning",
            "Mata kuliah {code} {course} semester lalu masih tampil bagi mahasiswa kelas "
            "{klass}. Mohon disembunyikan.",
            {
                "kode_mata_kuliah": "{code}",
                "nama_mata_kuliah": "{course}",
                "data": "Tampil atau tersembunyi",
                "nilai_lama": "Tampil",
                "nilai_baru": "Tersembunyi",
                "alasan": "Perkuliahan semester lalu sudah selesai.",
            },
        ),
        Case(
            "Mata kuliah {course} tercatat di semester yang salah",
            "Mata kuliah {code} {course} di e-Learning tercatat di semester yang salah. "
            "Mohon dipindahkan ke semester {semester}.",
            {
                "kode_mata_kuliah": "{code}",
                "nama_mata_kuliah": "{course}",
                "data": "Kategori",
                "nilai_lama": "Semester sebelumnya",
                "nilai_baru": "{semester}",
                "alasan": "Mata kuliah ditawarkan pada semester {semester}.",
            },
        ),
    ),
    questions=("Mohon lampirkan SK atau surat tugas mengajar sebagai dasar perubahan.",),
    answers=("SK mengajar sudah saya unggah. Terima kasih.",),
    solutions=(
        "Data mata kuliah sudah kami perbarui di e-Learning. Silakan dicek.",
        "Perubahan sudah diterapkan dan peserta kelas sudah disesuaikan.",
    ),
    notes=("Perubahan juga perlu diteruskan ke BAAK agar SIAKAD sama.",),
)

ANNOUNCEMENT = Words(
    cases=(
        Case(
            "Publikasi pengumuman UTS {course}",
            "Mohon dipublikasikan pengumuman jadwal UTS {course} di e-Learning untuk kelas "
            "{klass}.",
            {
                "judul": "Jadwal UTS {course}",
                "isi": "UTS {course} kelas {klass} dilaksanakan pada {later_words} pukul "
                "08.00 WIB secara luring. Mahasiswa membawa kartu ujian.",
                "mata_kuliah": "{code} {course}",
                "tanggal_tayang": "{later}",
            },
        ),
        Case(
            "Publikasi pengumuman UAS semester {semester}",
            "Mohon pengumuman jadwal UAS semester {semester} dipasang di halaman depan "
            "e-Learning untuk semua mahasiswa.",
            {
                "judul": "Jadwal UAS Semester {semester}",
                "isi": "UAS semester {semester} dimulai {later_words}. Jadwal lengkap per "
                "kelas dapat diunduh di SIAKAD.",
            },
        ),
        Case(
            "Pengumuman kuliah pengganti {course}",
            "Mohon dipublikasikan pengumuman kuliah pengganti {course} karena saya dinas "
            "luar pada jadwal biasa.",
            {
                "judul": "Kuliah Pengganti {course}",
                "isi": "Kuliah {course} kelas {klass} diganti pada {later_words} pukul 13.00 "
                "WIB di ruang yang sama.",
                "mata_kuliah": "{code} {course}",
            },
        ),
        Case(
            "Pengumuman batas pengumpulan tugas besar {course}",
            "Mohon diumumkan di e-Learning batas pengumpulan tugas besar {course}.",
            {
                "judul": "Batas Pengumpulan Tugas Besar {course}",
                "isi": "Tugas besar {course} dikumpulkan paling lambat {later_words} pukul "
                "23.59 WIB melalui e-Learning.",
                "mata_kuliah": "{code} {course}",
                "tanggal_tayang": "{later}",
            },
        ),
    ),
    questions=("Apakah pengumuman ini juga perlu dikirim sebagai notifikasi e-mail?",),
    answers=("Ya, mohon dikirim juga lewat notifikasi e-mail.",),
    solutions=("Pengumuman sudah tayang di e-Learning dan notifikasi sudah terkirim ke peserta.",),
    notes=("Dijadwalkan tayang otomatis sesuai tanggal yang diminta.",),
)

OUTAGE = Words(
    cases=(
        Case(
            "e-Learning tidak bisa dibuka",
            "Sejak pagi e-Learning tidak bisa dibuka dari kampus maupun dari rumah. Kuis "
            "{course} kelas {klass} dijadwalkan hari ini.",
            {"layanan": "e-Learning"},
        ),
        Case(
            "E-journal perpustakaan tidak dapat diakses",
            "Portal e-journal perpustakaan menampilkan galat saat saya mencari artikel untuk "
            "tugas {course}.",
            {"layanan": "E-journal perpustakaan"},
        ),
    ),
    questions=("Apakah galatnya muncul di semua peramban? Mohon kirim tangkapan layarnya.",),
    answers=("Ya, di Chrome dan Firefox sama. Tangkapan layar saya lampirkan.",),
    solutions=(
        "Layanan sudah dapat diakses kembali setelah server dimulai ulang oleh UPT-SI.",
        "Gangguan sudah ditangani; mohon dicoba lagi dan kabari bila masih terjadi.",
    ),
    notes=("Diteruskan ke UPT-SI: server e-Learning tidak merespons.",),
)

CONTENT = Words(
    cases=(
        Case(
            "Publikasi kegiatan {event}",
            "Mohon dipublikasikan dokumentasi kegiatan {event} di Instagram resmi kampus. "
            "Foto dan keterangan terlampir.",
            {
                "judul": "{event} {year}",
                "uraian": "Dokumentasi kegiatan {event}: 10 foto dan keterangan singkat.",
                "media": "Instagram",
                "tanggal_publikasi": "{later}",
            },
        ),
        Case(
            "Liputan {event} untuk website",
            "Mohon dibuatkan berita liputan {event} untuk website kampus.",
            {
                "judul": "Liputan {event}",
                "uraian": "Berita 300-500 kata beserta foto kegiatan {event}.",
                "media": "Website",
            },
        ),
        Case(
            "Video profil Jurusan {department}",
            "Jurusan {department} ingin menayangkan video profil baru di kanal YouTube "
            "kampus menjelang PMB.",
            {
                "judul": "Video Profil Jurusan {department}",
                "uraian": "Video berdurasi 3 menit, file mentah sudah siap.",
                "media": "YouTube",
                "tanggal_publikasi": "{later}",
            },
        ),
        Case(
            "Poster PMB jalur prestasi",
            "Mohon dibuatkan dan dipublikasikan poster PMB jalur prestasi di TikTok dan Instagram.",
            {
                "judul": "PMB Jalur Prestasi {year}",
                "uraian": "Poster dan video pendek informasi PMB jalur prestasi.",
                "media": "TikTok",
            },
        ),
    ),
    questions=("Mohon kirimkan foto resolusi tinggi dan nama narasumber yang dikutip.",),
    answers=("Foto dan nama narasumber sudah saya kirim lewat tautan Google Drive.",),
    solutions=(
        "Konten sudah masuk jadwal kegiatan dan tayang sesuai tanggal yang disepakati.",
        "Konten sudah dipublikasikan. Terima kasih atas materinya.",
    ),
    notes=("Masuk timeline konten minggu depan, slot Selasa pagi.",),
    waits=("Menunggu persetujuan naskah dari pimpinan.",),
)

MEDIA_PLAN = Words(
    cases=(
        Case(
            "Usulan kanal TikTok resmi kampus",
            "Kami mengusulkan kanal TikTok resmi kampus untuk menjangkau calon mahasiswa.",
            {"uraian": "Kanal TikTok resmi dengan dua unggahan per minggu."},
        ),
        Case(
            "Usulan pembaruan tampilan website Jurusan {department}",
            "Tampilan website Jurusan {department} sudah lama tidak diperbarui. Kami "
            "mengusulkan desain baru yang ramah ponsel.",
            {"uraian": "Desain ulang website jurusan yang responsif."},
        ),
        Case(
            "Usulan newsletter bulanan untuk alumni",
            "Kami mengusulkan newsletter bulanan untuk alumni berisi berita kampus dan "
            "lowongan kerja.",
            {"uraian": "Newsletter e-mail bulanan untuk alumni."},
        ),
    ),
    questions=("Mohon lengkapi usulan dengan perkiraan kebutuhan anggaran.",),
    answers=("Rincian anggarannya sudah saya lampirkan.",),
    solutions=("Usulan sudah dibahas dalam rapat dan masuk rencana pengembangan media tahun ini.",),
    notes=("Dibahas di rapat koordinasi Humas bulan ini.",),
    waits=("Menunggu keputusan rapat pimpinan.",),
)

AGREEMENT = Words(
    cases=(
        Case(
            "Perpanjangan MoU dengan {partner}",
            "MoU dengan {partner} berakhir bulan depan. Mohon disiapkan draf perpanjangan "
            "dengan ruang lingkup yang sama.",
            {
                "mitra": "{partner}",
                "jenis": "MoU",
                "permintaan": "Pembaruan",
                "ruang_lingkup": "Pendidikan, penelitian, dan pengabdian kepada masyarakat.",
            },
        ),
        Case(
            "Penyusunan MoA magang dengan {partner}",
            "Jurusan {department} akan mengirim mahasiswa magang ke {partner}. Mohon "
            "disusunkan draf MoA-nya.",
            {
                "mitra": "{partner}",
                "jenis": "MoA",
                "permintaan": "Penyusunan",
                "ruang_lingkup": "Program magang mahasiswa Jurusan {department}.",
            },
        ),
        Case(
            "Draf MoU kerja sama penelitian dengan {partner}",
            "Kami akan memulai penelitian bersama {partner}. Mohon dibuatkan draf MoU.",
            {
                "mitra": "{partner}",
                "jenis": "MoU",
                "permintaan": "Penyusunan",
                "ruang_lingkup": "Penelitian terapan dan publikasi bersama.",
            },
        ),
        Case(
            "Pembaruan MoA kelas industri dengan {partner}",
            "MoA kelas industri dengan {partner} perlu diperbarui karena ada penambahan "
            "program studi.",
            {
                "mitra": "{partner}",
                "jenis": "MoA",
                "permintaan": "Pembaruan",
                "ruang_lingkup": "Kelas industri dan rekrutmen lulusan.",
            },
        ),
    ),
    questions=("Mohon kirimkan salinan MoU sebelumnya dan nama pejabat penandatangan.",),
    answers=("Salinan MoU lama dan data penandatangan sudah kami kirimkan.",),
    solutions=(
        "Draf sudah kami kirimkan untuk ditinjau. Silakan beri tanda pada pasal yang perlu diubah.",
        "Draf final sudah siap dan dijadwalkan untuk penandatanganan.",
    ),
    notes=("Gunakan templat MoU terbaru dari bagian hukum.",),
    waits=("Menunggu tinjauan draf dari bagian legal mitra.",),
)

PARTNER_REQUEST = Words(
    cases=(
        Case(
            "Permintaan mahasiswa magang dari {partner}",
            "{partner} membutuhkan 5 mahasiswa magang bidang {department} untuk tiga "
            "bulan mulai {later_words}.",
            {"mitra": "{partner}", "uraian": "Lima mahasiswa magang bidang {department}."},
        ),
        Case(
            "Undangan rapat koordinasi program bersama",
            "Kami mengundang perwakilan kampus untuk rapat koordinasi program bersama "
            "pada {later_words}.",
            {"mitra": "{partner}", "uraian": "Rapat koordinasi program kerja sama."},
        ),
        Case(
            "Permintaan data alumni untuk rekrutmen",
            "{partner} membuka rekrutmen dan meminta daftar alumni Jurusan {department} "
            "yang bersedia dihubungi.",
            {"mitra": "{partner}", "uraian": "Daftar alumni untuk rekrutmen."},
        ),
        Case(
            "Permohonan pelatihan karyawan",
            "{partner} ingin bekerja sama dalam pelatihan karyawan di bidang {department}.",
            {"mitra": "{partner}", "uraian": "Pelatihan karyawan oleh dosen kampus."},
        ),
    ),
    questions=("Mohon konfirmasi jumlah peserta dan tanggal yang diinginkan.",),
    answers=("Jumlah peserta dan tanggalnya sudah kami konfirmasi di e-mail ini.",),
    solutions=(
        "Rencana kegiatan sudah kami susun dan kami kirimkan bersama jadwalnya.",
        "Permintaan sudah kami teruskan ke jurusan dan jadwal kegiatan sudah disepakati.",
    ),
    notes=("Koordinasikan dengan jurusan terkait sebelum menjawab mitra.",),
    waits=("Menunggu konfirmasi jadwal dari mitra.",),
)

ACCOUNT_LIST = Words(
    cases=(
        Case(
            "Pendaftaran akun {digital} untuk perkuliahan",
            "Mohon akun {digital} berikut dicatat ke dalam daftar akun layanan digital "
            "Sub Bagian Administrasi Akademik.",
            {"layanan": "{digital}", "akun": "akademik.{code}.{number}@demo.pintu.test"},
        ),
        Case(
            "Pencatatan akun {digital} baru",
            "Kami baru membuat akun {digital} untuk kelas taruna tingkat II. Mohon dicatat.",
            {"layanan": "{digital}", "akun": "taruna2.{code}.{number}@demo.pintu.test"},
        ),
    ),
    questions=(),
    answers=(),
    solutions=("Data akun sudah kami catat ke dalam daftar akun yang dikelola.",),
    notes=("Dicatat di Daftar Akun Layanan Berbasis Digital, lembar semester ini.",),
)

ACCOUNT_ACCESS = Words(
    cases=(
        Case(
            "Permohonan akses akun {digital}",
            "Saya memohon akses ke akun {digital} Sub Bagian Administrasi Akademik untuk "
            "kegiatan perkuliahan taruna.",
            {"akun": "{digital}", "keperluan": "Perkuliahan taruna kelas {klass}."},
        ),
        Case(
            "Minta akses akun Turnitin",
            "Mohon diberikan akses akun Turnitin untuk memeriksa similarity tugas akhir "
            "taruna bimbingan saya.",
            {"akun": "Turnitin", "keperluan": "Pemeriksaan similarity tugas akhir."},
        ),
        Case(
            "Akses akun {digital} untuk kuliah umum",
            "Kami membutuhkan akses akun {digital} untuk kuliah umum pada {later_words}.",
            {"akun": "{digital}", "keperluan": "Kuliah umum pada {later_words}."},
        ),
    ),
    questions=(
        "Untuk keperluan apa dan sampai kapan akses dibutuhkan? Mohon sebutkan juga "
        "nama mata kuliahnya.",
    ),
    answers=(
        "Untuk mata kuliah {course}, sampai akhir semester {semester}. Saya konfirmasi "
        "akan menjaga kerahasiaan akun.",
    ),
    solutions=("Akses sudah kami berikan. Kata sandi dikirim terpisah melalui e-mail.",),
    notes=("Klasifikasi: akun perkuliahan, akses sampai akhir semester.",),
    refusals=(
        "Mohon maaf, permohonan akses belum dapat kami penuhi karena akun tersebut "
        "khusus untuk kegiatan ujian. Silakan ajukan kembali dengan surat tugas.",
    ),
)

BUSINESS_DOCUMENT = Words(
    cases=(
        Case(
            "Permintaan SOP layanan e-Learning",
            "Untuk persiapan akreditasi program studi, mohon dikirimkan SOP terbaru yang "
            "mengatur layanan e-Learning beserta formulirnya.",
            {
                "dokumen": "SOP layanan media pembelajaran digital",
                "keperluan": "Bahan borang akreditasi Jurusan {department}.",
            },
        ),
        Case(
            "Mohon formulir evaluasi layanan",
            "Kami di Jurusan {department} membutuhkan formulir evaluasi layanan yang dipakai "
            "P4M untuk rapat tinjauan manajemen.",
            {
                "dokumen": "Formulir evaluasi layanan",
                "keperluan": "Rapat tinjauan manajemen semester {semester}.",
            },
        ),
        Case(
            "Manual mutu versi terbaru",
            "Mohon tautan manual mutu versi terbaru; versi yang kami punya tahun lalu.",
            {
                "dokumen": "Manual mutu",
                "keperluan": "Pembaruan dokumen di Jurusan {department}.",
            },
        ),
    ),
    questions=("Dokumen ini untuk keperluan internal atau untuk pihak luar?",),
    answers=("Untuk keperluan internal jurusan. Terima kasih.",),
    solutions=(
        "Dokumen yang diminta sudah kami kirimkan; versi terkendali ada di laman P4M.",
        "Tautan ke dokumen terbaru sudah kami kirim. Mohon tidak dicetak tanpa cap kendali.",
    ),
    notes=("Pastikan yang dikirim versi terkendali terakhir.",),
)

WORDS = {
    "akun-kampus": ACCOUNT,
    "layanan-ringan": LIGHT_WORK,
    "instalasi-perangkat-lunak": SOFTWARE_WORK,
    "layanan-berat": HEAVY_WORK,
    "perbaikan-sistem-informasi": SYSTEM_REPAIR,
    "pengembangan-sistem-informasi": SYSTEM_BUILD,
    "sosialisasi-fitur": FEATURE_NEWS,
    "perubahan-data-mata-kuliah": COURSE_DATA,
    "publikasi-pengumuman": ANNOUNCEMENT,
    "gangguan-layanan": OUTAGE,
    "dokumen-proses-bisnis": BUSINESS_DOCUMENT,
    "publikasi-konten": CONTENT,
    "pengembangan-media": MEDIA_PLAN,
    "draf-mou-moa": AGREEMENT,
    "permintaan-mitra": PARTNER_REQUEST,
    "pendaftaran-akun": ACCOUNT_LIST,
    "pemberian-akses": ACCOUNT_ACCESS,
    **ACCOUNT_KINDS,
}
