"""The master data's files, read and checked row by row: columns found by their header
in any order and language, every problem of every row named, and a clean file read
whole, from CSV and from XLSX."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pintu.identity.masterdata import (
    Problem,
    UnreadableFile,
    check,
    id_number_of,
    phone_number,
    read_table,
)

UNITS = {"TRPL", "RKS", "UPT-SI", "JTI"}
HEADER = ["id_number", "name", "email", "phone", "kind", "unit"]


def csv_file(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def test_a_clean_file_is_read_whole_with_its_other_columns_kept() -> None:
    table = read_table(
        "mahasiswa.csv",
        csv_file(
            "NIM;Nama;Email;No HP;Jenis;Prodi;Angkatan",
            "4321250001;Siti Aminah;SITI@mail.test;0812-3456-7890;Mahasiswa;trpl;2025",
            "4321250002;Budi Santoso;;;mahasiswa;RKS;2025",
        ),
    )
    report = check(table, units=UNITS)
    assert report.ok
    siti, budi = report.people
    assert (siti.row, siti.id_number, siti.email, siti.phone) == (
        2,
        "4321250001",
        "siti@mail.test",
        "6281234567890",
    )
    assert (siti.kind, siti.unit, siti.status, siti.extra) == (
        "mahasiswa",
        "TRPL",
        "aktif",
        {"Angkatan": "2025"},
    )
    assert (budi.email, budi.phone) == ("", "")


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        (",Siti,,,mahasiswa,TRPL", "id_number", "Kosong"),
        ("4321,,,,mahasiswa,TRPL", "name", "Kosong"),
        ("4321,Siti,,,alumni,TRPL", "kind", "Bukan mahasiswa"),
        ("4321,Siti,,,mahasiswa,XYZ", "unit", "XYZ"),
        ("4321,Siti,bukan-surel,,mahasiswa,TRPL", "email", "alamat surel"),
        ("4321,Siti,,12,mahasiswa,TRPL", "phone", "telepon"),
        ("43/21,Siti,,,mahasiswa,TRPL", "id_number", "NIM"),
    ],
)
def test_each_bad_row_is_named_with_its_column(line: str, column: str, words: str) -> None:
    report = check(read_table("x.csv", csv_file(",".join(HEADER), line)), units=UNITS)
    assert not report.ok and report.people == ()
    (problem,) = report.problems
    assert (problem.row, problem.column) == (2, column)
    assert words in problem.message


def test_every_problem_is_reported_not_only_the_first() -> None:
    report = check(
        read_table(
            "x.csv",
            csv_file(
                ",".join(HEADER),
                "1001,Siti,,,mahasiswa,TRPL",
                ",,,,,",  # an empty line is no row
                "1002,,,,dosen,ZZZ",
                "1001,Siti lagi,,,mahasiswa,TRPL",
            ),
        ),
        units=UNITS,
    )
    assert [(p.row, p.column) for p in report.problems] == [
        (4, "name"),
        (4, "unit"),
        (5, "id_number"),
    ]
    assert "baris 2" in report.problems[-1].message  # the duplicate names its first row


def test_a_missing_column_is_a_problem_of_the_file() -> None:
    report = check([["nama", "email"], ["Siti", "s@x.test"]], units=UNITS)
    assert {(p.row, p.column) for p in report.problems} == {
        (1, "id_number"),
        (1, "kind"),
        (1, "unit"),
    }
    assert check([["nim", "NIP", "nama", "jenis", "unit"]], units=UNITS).problems == (
        Problem(1, "NIP", "Kolom ini muncul dua kali."),
    )
    assert check([], units=UNITS).problems[0].message == "Berkas kosong."


def test_an_xlsx_is_read_as_its_csv_would_be_with_long_numbers_kept() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama Lengkap", "Jenis", "Unit Kerja", "Status"])
    sheet.append([4321250001, "Dr. Dewi Lestari", "Dosen", "JTI", "aktif"])  # kept as a number
    sheet.append(["198701012010012002", "Agus", "pegawai", "UPT-SI", "Keluar"])
    data = io.BytesIO()
    book.save(data)
    report = check(read_table("pegawai.xlsx", data.getvalue()), units=UNITS)
    assert report.ok
    assert [(p.id_number, p.kind, p.status) for p in report.people] == [
        ("4321250001", "dosen", "aktif"),
        ("198701012010012002", "pegawai", "keluar"),
    ]


def test_a_file_that_is_not_a_table_says_so() -> None:
    with pytest.raises(UnreadableFile, match="XLSX"):
        read_table("data.xlsx", b"not a zip")
    with pytest.raises(UnreadableFile, match="UTF-8"):
        read_table("data.csv", "nama\nSíti".encode("utf-16"))


@pytest.mark.parametrize(
    ("written", "kept"),
    [("0812-3456-7890", "6281234567890"), ("+62 812 345", "62812345"), ("", "")],
)
def test_numbers_are_kept_in_international_form(written: str, kept: str) -> None:
    assert phone_number(written) == kept


def test_a_nip_written_in_groups_is_one_number() -> None:
    assert id_number_of(" 19850612 200801 1 001 ") == "198506122008011001"


cells = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)


@given(rows=st.lists(st.lists(cells, min_size=6, max_size=7), max_size=8))
def test_any_table_is_read_into_people_or_problems_never_an_error(rows: list[list[str]]) -> None:
    report = check([HEADER, *rows], units=UNITS)
    rows_with_problems = {p.row for p in report.problems}
    assert all(person.row not in rows_with_problems for person in report.people)
    assert len({p.id_number for p in report.people}) == len(report.people)
