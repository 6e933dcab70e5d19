"""The units the five SOPs name, and the departments with their study programmes.

Frozen here as data (a migration must not read files that may change later); admins
edit units afterwards through the admin site.
"""

from django.db import migrations

UNITS = [
    # code, name, kind, parent
    ("DIR", "Direktur", "directorate", None),
    ("P4M", "Pusat Penjaminan Mutu dan Pengembangan Pembelajaran (P4M)", "unit", "DIR"),
    ("UPT-SI", "UPT Sistem Informasi", "unit", "DIR"),
    ("PHK", "Koordinator Humas dan Kerjasama (Koor.PHK)", "unit", "DIR"),
    ("KS", "Unit Kerjasama", "unit", "PHK"),
    ("BAA", "Sub Bagian Administrasi Akademik", "unit", "DIR"),
    ("JTI", "Jurusan Teknik Informatika", "department", "DIR"),
    ("TI", "D3 Teknik Informatika", "study_programme", "JTI"),
    ("TRPL", "D4 Teknologi Rekayasa Perangkat Lunak", "study_programme", "JTI"),
    ("RKS", "D4 Rekayasa Keamanan Siber", "study_programme", "JTI"),
    ("TRM", "D4 Teknologi Rekayasa Multimedia", "study_programme", "JTI"),
    ("ANI", "D4 Animasi", "study_programme", "JTI"),
    ("JTE", "Jurusan Teknik Elektro", "department", "DIR"),
    ("TEM", "D3 Teknik Elektronika Manufaktur", "study_programme", "JTE"),
    ("TRE", "D4 Teknologi Rekayasa Elektronika", "study_programme", "JTE"),
    ("MKT", "D4 Teknik Mekatronika", "study_programme", "JTE"),
    ("TRPE", "D4 Teknologi Rekayasa Pembangkit Energi", "study_programme", "JTE"),
    ("JTM", "Jurusan Teknik Mesin", "department", "DIR"),
    ("TM", "D3 Teknik Mesin", "study_programme", "JTM"),
    ("TRPF", "D4 Teknologi Rekayasa Pengelasan dan Fabrikasi", "study_programme", "JTM"),
    ("TPPU", "D3 Teknik Perawatan Pesawat Udara", "study_programme", "JTM"),
    ("JMB", "Jurusan Manajemen dan Bisnis", "department", "DIR"),
    ("AK", "D3 Akuntansi", "study_programme", "JMB"),
    ("AKM", "D4 Akuntansi Manajerial", "study_programme", "JMB"),
    ("ABT", "D4 Administrasi Bisnis Terapan", "study_programme", "JMB"),
    ("LPI", "D4 Logistik Perdagangan Internasional", "study_programme", "JMB"),
]
SERVICE_UNITS = ("P4M", "UPT-SI", "PHK", "KS", "BAA")


def seed(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    BusinessCalendar = apps.get_model("org", "BusinessCalendar")
    by_code = {}
    for code, name, kind, parent in UNITS:
        unit, _ = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": by_code.get(parent)}
        )
        by_code[code] = unit
    for code in SERVICE_UNITS:
        BusinessCalendar.objects.get_or_create(unit=by_code[code])


def unseed(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    for code, *_ in reversed(UNITS):
        Unit.objects.filter(code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
