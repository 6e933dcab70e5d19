"""Importing an agreements spreadsheet: a preview whose every problem names its line and
column; nothing imported from a file with a wrong row unless the valid rows are chosen;
XLSX and CSV read alike; `pintu partners import FILE [--dry-run]`."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from pintu.core.models import AuditEvent
from pintu.partners.imports import FileProblem, check_rows, read_table
from pintu.partners.models import Agreement, Partner
from pintu.partners.services.imports import (
    ImportRefused,
    agreements_import,
    agreements_preview,
    problem_words,
)
from pintu.partners.tests.conftest import agreement_signed, partner_made

HEADER = [
    "No", "Nomor", "Judul", "Jenis", "Mitra", "Tingkat", "Mulai", "Berakhir", "Ruang lingkup",
    "Prodi",
]  # fmt: skip
GOOD = [
    ["1", "010/PL29/KS/2025", "Magang industri", "MoA", "PT Sinar Batam Teknologi", "nasional",
     "01/02/2025", "31/01/2028", "pendidikan", "TRPL, RKS"],
    ["2", "011/PL29/KS/2025", "Riset energi surya", "MoU",
     "Universiti Teknologi Malaysia; PT Surya", "internasional", "2025-03-01", "2030-02-28",
     "penelitian; pengabdian", "TRPE"],
]  # fmt: skip
BAD = [
    ["3", "012/PL29/KS/2025", "", "Surat", "PT Batam Elektrik", "provinsi",
     "31/02/2025", "2024-01-01", "olahraga", "XYZ"],
]  # fmt: skip


def csv_bytes(rows: list[list[str]], delimiter: str = ",") -> bytes:
    lines = [delimiter.join(f'"{cell}"' for cell in row) for row in rows]
    return ("\ufeff" + "\n".join(lines)).encode()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Daftar Kerjasama Politeknik 2025"])  # a title above the header
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


UNITS = ["TRPL", "RKS", "TRPE", "JTI"]


def test_every_problem_names_its_line_and_column() -> None:
    _, rows = check_rows(read_table("a.csv", csv_bytes([HEADER, *GOOD, *BAD])), units=UNITS)
    assert [row.line for row in rows] == [2, 3, 4]
    assert rows[0].ok and rows[1].ok
    assert rows[0].values["units"] == ["TRPL", "RKS"]
    assert rows[0].values["starts_on"] == date(2025, 2, 1)
    assert rows[1].values["partners"] == ["Universiti Teknologi Malaysia", "PT Surya"]
    assert rows[1].values["scopes"] == ["research", "community_service"]
    problems = {(p.column, p.code, p.value) for p in rows[2].problems}
    assert problems == {
        ("Judul", "missing", ""),
        ("Jenis", "unknown_kind", "Surat"),
        ("Tingkat", "unknown_level", "provinsi"),
        ("Mulai", "bad_date", "31/02/2025"),
        ("Ruang lingkup", "unknown_scope", "olahraga"),
        ("Prodi", "unknown_unit", "XYZ"),
    }
    words = [problem_words(4, p) for p in rows[2].problems]
    assert "Baris 4, kolom Mulai: 31/02/2025 bukan tanggal" in " ".join(words)


def test_an_end_before_the_start_is_named() -> None:
    row = ["1", "1/KS", "Judul", "MoU", "PT A", "", "2025-05-01", "2025-04-30", "", ""]
    _, rows = check_rows(read_table("a.csv", csv_bytes([HEADER, row])), units=UNITS)
    assert [(p.column, p.code) for p in rows[0].problems] == [("Berakhir", "ends_before_start")]


def test_xlsx_and_csv_with_semicolons_read_alike() -> None:
    from_csv = check_rows(read_table("a.csv", csv_bytes([HEADER, *GOOD], ";")), units=UNITS)[1]
    xlsx_rows: list[list[Any]] = [HEADER, *GOOD]
    xlsx_rows[1] = [*GOOD[0][:6], date(2025, 2, 1), date(2028, 1, 31), *GOOD[0][8:]]
    from_xlsx = check_rows(read_table("a.xlsx", xlsx_bytes(xlsx_rows)), units=UNITS)[1]
    assert [r.values for r in from_csv] == [r.values for r in from_xlsx]
    assert [r.line for r in from_xlsx] == [3, 4]  # the title is line 1


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.pdf", b"%PDF", "not_a_table"),
        ("a.xlsx", b"not a workbook", "unreadable"),
        ("a.csv", b"x,y\n1,2\n", "no_header"),
        ("a.csv", b"Nomor,Judul\n1,A\n", "missing_columns:kind,partners"),
    ],
)
def test_a_file_that_is_no_table_of_agreements_is_refused(
    name: str, data: bytes, code: str
) -> None:
    with pytest.raises(FileProblem, match=code):
        check_rows(read_table(name, data), units=UNITS)


@pytest.mark.django_db
def test_nothing_is_imported_from_a_file_with_a_wrong_row(sops: None, ks_staff: Any) -> None:
    data = csv_bytes([HEADER, *GOOD, *BAD])
    with pytest.raises(ImportRefused, match="1 baris bermasalah"):
        agreements_import(actor=ks_staff, name="a.csv", data=data)
    assert not Agreement.objects.exists() and not Partner.objects.exists()


@pytest.mark.django_db
def test_the_valid_rows_are_imported_when_chosen(sops: None, ks_staff: Any) -> None:
    partner_made(ks_staff, "pt sinar batam teknologi")  # found by name, whatever its case
    done = agreements_import(
        actor=ks_staff, name="a.csv", data=csv_bytes([HEADER, *GOOD, *BAD]), valid_rows_only=True
    )
    assert len(done.imported) == 2 and [row.line for row in done.wrong] == [4]
    magang = Agreement.objects.get(number="010/PL29/KS/2025")
    assert (magang.kind, magang.status, magang.education, magang.ends_on) == (
        "moa", "draft", True, date(2028, 1, 31),
    )  # fmt: skip
    assert sorted(magang.units.values_list("code", flat=True)) == ["RKS", "TRPL"]
    assert Partner.objects.count() == 3  # two added, one found
    utm = Partner.objects.get(name="Universiti Teknologi Malaysia")
    assert utm.level == "international"
    event = AuditEvent.objects.get(action="agreement.import")
    assert event.after["imported"] == 2 and event.after["skipped_lines"] == [4]


@pytest.mark.django_db
def test_a_number_already_in_the_register_or_twice_in_the_file_is_a_problem(
    sops: None, ks_staff: Any
) -> None:
    agreement_signed(ks_staff, partner_made(ks_staff), number="010/pl29/ks/2025")
    again = ["3", "011/PL29/KS/2025", "Lagi", "MoU", "PT X", "", "", "", "", ""]
    preview = agreements_preview(name="a.csv", data=csv_bytes([HEADER, *GOOD, again]))
    assert [(row.line, [p.code for p in row.problems]) for row in preview.wrong] == [
        (2, ["duplicate_number"]),
        (4, ["repeated_number"]),
    ]


@pytest.mark.django_db
def test_the_command_checks_and_imports(
    sops: None, ks_staff: Any, tmp_path: Any, capsys: Any
) -> None:
    path = tmp_path / "kerjasama.csv"
    path.write_bytes(csv_bytes([HEADER, *GOOD, *BAD]))
    with pytest.raises(CommandError) as refused:
        call_command("partners", "import", str(path), "--dry-run")
    assert refused.value.returncode == 1
    out, err = capsys.readouterr()
    assert "2 rows can be imported, 1 have problems" in out
    assert "Baris 4, kolom Prodi: XYZ" in err
    assert not Agreement.objects.exists()

    with pytest.raises(CommandError, match="tidak ada yang diimpor"):
        call_command("partners", "import", str(path), "--user", "staf-kerjasama")
    assert not Agreement.objects.exists()

    path.write_bytes(csv_bytes([HEADER, *GOOD]))
    call_command("partners", "import", str(path), "--user", "staf-kerjasama")
    assert "2 agreements imported as drafts." in capsys.readouterr().out
    assert Agreement.objects.count() == 2


@pytest.mark.django_db
def test_the_page_previews_then_imports_the_valid_rows(sops: None, ks_staff: Any) -> None:
    client = Client()
    client.force_login(ks_staff)
    upload = SimpleUploadedFile("kerjasama.csv", csv_bytes([HEADER, *GOOD, *BAD]), "text/csv")
    preview = client.post(reverse("partners-import"), {"file": upload}).content.decode()
    assert "Baris 4, kolom Jenis: Surat bukan MoU, MoA atau IA." in preview
    assert not Agreement.objects.exists()
    kept = preview.split('name="kept" value="', 1)[1].split('"', 1)[0]
    done = client.post(
        reverse("partners-import"), {"kept": kept, "name": "kerjasama.csv", "rows": "valid"}
    )
    assert done.status_code == 302 and Agreement.objects.count() == 2
    # The kept file went with the import: the same form again imports nothing twice.
    again = client.post(reverse("partners-import"), {"kept": kept, "rows": "valid"})
    assert again.status_code == 302 and Agreement.objects.count() == 2
    assert client.post(reverse("partners-import"), {"kept": "../../etc/passwd"}).status_code == 302
