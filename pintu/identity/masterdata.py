"""The master data of people as the academic and HR systems export it (CSV or XLSX):
read, its columns found by their header, and every row checked before anything is
imported, so that a file with one bad row imports nothing.

Pure: no ORM, no clock. Columns are found by name, in any order and case: ``id_number``
(NIM/NIP/NIK), ``name``, ``email``, ``phone``, ``kind`` (mahasiswa, dosen, pegawai),
``unit`` (a unit or study-programme code) and ``status`` (aktif, lulus, keluar; aktif
when empty), each also under its Indonesian names (``nim``, ``nama``, ``prodi``, ...).
Other columns are kept with the row as extra data.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# The field each header names (compared in lower case, spaces and dashes as "_").
HEADERS: dict[str, str] = {
    **dict.fromkeys(("id_number", "nim", "nip", "nik", "nomor_induk", "no_induk"), "id_number"),
    **dict.fromkeys(("name", "nama", "nama_lengkap", "full_name"), "name"),
    **dict.fromkeys(("email", "e_mail", "surel", "alamat_email"), "email"),
    **dict.fromkeys(("phone", "telepon", "hp", "no_hp", "nomor_hp", "whatsapp", "wa"), "phone"),
    **dict.fromkeys(("kind", "jenis", "peran"), "kind"),
    **dict.fromkeys(("unit", "prodi", "program_studi", "unit_kerja", "kode_unit"), "unit"),
    **dict.fromkeys(("status", "status_aktif"), "status"),
}
REQUIRED = ("id_number", "name", "kind", "unit")
KINDS: dict[str, str] = {
    **dict.fromkeys(("mahasiswa", "student", "taruna"), "mahasiswa"),
    **dict.fromkeys(("dosen", "lecturer"), "dosen"),
    **dict.fromkeys(("pegawai", "staff", "tendik", "karyawan"), "pegawai"),
}
STATUSES: dict[str, str] = {
    **dict.fromkeys(("", "aktif", "active", "cuti"), "aktif"),
    **dict.fromkeys(("lulus", "graduated", "alumni"), "lulus"),
    **dict.fromkeys(("keluar", "left", "berhenti", "do", "mengundurkan_diri"), "keluar"),
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_NUMBER = re.compile(r"^[0-9A-Za-z.\-]{3,40}$")
# The most rows one file may hold: a whole campus, with room to spare.
MAX_ROWS = 100_000


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX table this can read; the message says why."""


@dataclass(frozen=True)
class Person:
    row: int  # the line in the file (the header is 1)
    id_number: str
    name: str
    email: str
    phone: str
    kind: str
    unit: str
    status: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    row: int  # 0 for the file as a whole
    column: str
    message: str


@dataclass(frozen=True)
class Report:
    people: tuple[Person, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _key(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The file's rows as text cells: XLSX by its name (its first sheet), else CSV in
    UTF-8 (a byte-order mark allowed) separated by commas or semicolons."""
    if filename.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The file is not UTF-8 text (save the CSV as UTF-8).")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError):
        raise UnreadableFile(_("The file is not an XLSX workbook.")) from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if value is None else _cell(value) for value in values])
    workbook.close()
    return rows


def _cell(value: object) -> str:
    # Spreadsheets keep long numbers (a NIM) as numbers: 4321250001.0 is "4321250001".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def id_number_of(text: str) -> str:
    """A NIM, NIP or NIK as kept: NIPs are often written in groups ("19850612 200801 1
    001"), which are one number."""
    return re.sub(r"\s+", "", text)


def phone_number(text: str) -> str:
    """A WhatsApp number in international form without "+": 0812... becomes 62812..."""
    digits = re.sub(r"[^0-9]", "", text)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def check(table: Sequence[Sequence[str]], *, units: Collection[str]) -> Report:
    """Every row of ``table`` (its first row the header) read and checked: a required
    field missing, a kind, status, unit, e-mail or number that cannot be right, a
    NIM/NIP/NIK given twice. Rows are numbered as in the file."""
    # Each row with its line in the file, empty lines left out.
    lines = [(n, list(row)) for n, row in enumerate(table, start=1) if any(c.strip() for c in row)]
    if not lines:
        return Report((), (Problem(0, "", _("The file is empty.")),))
    header_line, titles = lines[0]
    header = [_key(cell) for cell in titles]
    columns: dict[str, int] = {}
    extra: dict[int, str] = {}
    problems: list[Problem] = []
    for index, name in enumerate(header):
        known = HEADERS.get(name)
        if known is None:
            if name:
                extra[index] = titles[index].strip()
        elif known in columns:
            problems.append(Problem(header_line, titles[index], _("This column appears twice.")))
        else:
            columns[known] = index
    for name in REQUIRED:
        if name not in columns:
            problems.append(Problem(header_line, name, _("The column is missing.")))
    if problems:
        return Report((), tuple(problems))
    if len(lines) - 1 > MAX_ROWS:
        return Report(
            (), (Problem(0, "", _("The file has more than %(n)s rows.") % {"n": MAX_ROWS}),)
        )
    people: list[Person] = []
    first_row: dict[str, int] = {}
    for number, cells in lines[1:]:
        person, found = _person(number, cells, columns, extra, units)
        problems.extend(found)
        if person is None:
            continue
        seen = first_row.setdefault(person.id_number.lower(), number)
        if seen != number:
            problems.append(
                Problem(number, "id_number", _("Given twice: also in row %(row)s.") % {"row": seen})
            )
            continue
        people.append(person)
    return Report(tuple(people), tuple(problems))


def _person(
    number: int,
    cells: Sequence[str],
    columns: dict[str, int],
    extra: dict[int, str],
    units: Collection[str],
) -> tuple[Person | None, list[Problem]]:
    def value(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    problems = [
        Problem(number, name, _("Empty; it is required.")) for name in REQUIRED if not value(name)
    ]
    id_number, email = id_number_of(value("id_number")), value("email").lower()
    kind = KINDS.get(_key(value("kind")))
    status = STATUSES.get(_key(value("status")))
    unit = value("unit").upper()
    if id_number and not ID_NUMBER.match(id_number):
        problems.append(Problem(number, "id_number", _("Not a NIM, NIP or NIK.")))
    if value("kind") and kind is None:
        problems.append(Problem(number, "kind", _("Not mahasiswa, dosen or pegawai.")))
    if status is None:
        problems.append(Problem(number, "status", _("Not aktif, lulus or keluar.")))
    if unit and unit not in units:
        problems.append(
            Problem(number, "unit", _("No unit has the code %(code)s.") % {"code": unit})
        )
    if email and not EMAIL.match(email):
        problems.append(Problem(number, "email", _("Not an e-mail address.")))
    phone = phone_number(value("phone"))
    if value("phone") and not 9 <= len(phone) <= 15:
        problems.append(Problem(number, "phone", _("Not a telephone number.")))
    if problems:
        return None, problems
    assert kind is not None and status is not None
    kept = {
        name: cells[i].strip() for i, name in extra.items() if i < len(cells) and cells[i].strip()
    }
    person = Person(number, id_number, value("name"), email, phone, kind, unit, status, kept)
    return person, []
