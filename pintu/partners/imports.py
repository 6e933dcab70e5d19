"""Reading an agreements spreadsheet (XLSX or CSV) that a cooperation office keeps today,
into rows checked one by one: what each row would import, or what is wrong with it,
naming the line and the column. Pure apart from the lookups passed in (the known
units), so that the preview and the import read a file the same way.

The columns are found by their headers (Indonesian or English, any case); the first row
holding a "nomor"/"number" or "judul"/"title" header is the header row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("nomor", "no. dokumen", "nomor dokumen", "number"),
    "title": ("judul", "nama kerjasama", "title"),
    "kind": ("jenis", "jenis dokumen", "kind", "type"),
    "partners": ("mitra", "nama mitra", "partner", "partners"),
    "partner_kind": ("jenis mitra", "partner kind"),
    "level": ("tingkat", "level"),
    "country": ("negara", "country"),
    "signed_on": ("tanggal tanda tangan", "ditandatangani", "signed on"),
    "starts_on": ("mulai", "tanggal mulai", "starts on", "start"),
    "ends_on": ("berakhir", "tanggal berakhir", "ends on", "end"),
    "scopes": ("ruang lingkup", "lingkup", "scope"),
    "units": ("jurusan/prodi", "prodi", "unit", "units"),
}
REQUIRED = ("title", "kind", "partners")

KINDS = {"mou": "mou", "moa": "moa", "ia": "ia", "implementation arrangement": "ia"}
SCOPES = {
    "pendidikan": "education",
    "education": "education",
    "penelitian": "research",
    "research": "research",
    "pkm": "community_service",
    "pengabdian": "community_service",
    "pengabdian kepada masyarakat": "community_service",
    "community service": "community_service",
}
LEVELS = {
    "internasional": "international",
    "international": "international",
    "nasional": "national",
    "national": "national",
    "lokal": "local",
    "wilayah": "local",
    "local": "local",
}
PARTNER_KINDS = {
    "industri": "industry",
    "industry": "industry",
    "pemerintah": "government",
    "government": "government",
    "perguruan tinggi": "university",
    "universitas": "university",
    "university": "university",
    "sekolah": "school",
    "school": "school",
    "lsm": "ngo",
    "ngo": "ngo",
    "lainnya": "other",
    "other": "other",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


class FileProblem(ValueError):
    """The file cannot be read as a table of agreements (the message says why)."""


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell: ``column`` as the file's header names it."""

    column: str
    code: str  # missing, unknown_kind, bad_date, unknown_unit, ends_before_start, ...
    value: str = ""


@dataclass
class Row:
    """One line of the file: what it would import, or its problems."""

    line: int
    values: dict[str, object] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_table(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    """The file's lines as (line number, cells as text); FileProblem when it is neither
    an XLSX workbook nor a CSV file."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        return list(_xlsx_lines(data))
    if extension == "csv":
        return list(_csv_lines(data))
    raise FileProblem("not_a_table")


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # only for XLSX files

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is no workbook
        raise FileProblem("unreadable") from None
    sheet = workbook.worksheets[0]
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [_text(cell) for cell in cells]
    workbook.close()


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem("unreadable") from None
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        yield number, [cell.strip() for cell in cells]


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        words = " ".join(cell.lower().replace("_", " ").split())
        for key, names in HEADERS.items():
            if words in names and key not in found:
                found[key] = index
    return found


def _day(text: str) -> date | None:
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(text)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def check_rows(
    lines: Sequence[tuple[int, list[str]]], *, units: Collection[str]
) -> tuple[dict[str, str], list[Row]]:
    """The header (key -> the file's name for it) and every data row, checked. ``units``
    are the codes of the departments and study programmes. FileProblem when no header
    row names the required columns."""
    start = next(
        (
            index
            for index, (_, cells) in enumerate(lines)
            if {"title", "number"} & set(_columns(cells))
        ),
        None,
    )
    if start is None:
        raise FileProblem("no_header")
    header_cells = lines[start][1]
    columns = _columns(header_cells)
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        raise FileProblem("missing_columns:" + ",".join(missing))
    names = {key: header_cells[index] for key, index in columns.items()}
    known = {code.upper() for code in units}
    rows = []
    for number, cells in lines[start + 1 :]:
        if not any(cells):
            continue
        cell = {key: cells[index] if index < len(cells) else "" for key, index in columns.items()}
        rows.append(_check(number, cell, names, known))
    return names, rows


def _check(number: int, cell: Mapping[str, str], names: Mapping[str, str], units: set[str]) -> Row:
    row = Row(number)

    def problem(key: str, code: str, value: str = "") -> None:
        row.problems.append(Problem(names.get(key, key), code, value))

    for key in REQUIRED:
        if not cell.get(key):
            problem(key, "missing")
    row.values["number"] = cell.get("number", "")
    row.values["title"] = cell.get("title", "")
    if kind := cell.get("kind", ""):
        if kind.lower() in KINDS:
            row.values["kind"] = KINDS[kind.lower()]
        else:
            problem("kind", "unknown_kind", kind)
    # Several partners of one agreement are separated by semicolons (names hold commas).
    row.values["partners"] = [p.strip() for p in cell.get("partners", "").split(";") if p.strip()]
    for key, table, default, code in (
        ("partner_kind", PARTNER_KINDS, "other", "unknown_partner_kind"),
        ("level", LEVELS, "national", "unknown_level"),
    ):
        text = cell.get(key, "")
        if text and text.lower() not in table:
            problem(key, code, text)
        row.values[key] = table.get(text.lower(), default) if text else default
    row.values["country"] = cell.get("country", "") or "Indonesia"
    for key in ("signed_on", "starts_on", "ends_on"):
        text = cell.get(key, "")
        try:
            row.values[key] = _day(text) if text else None
        except ValueError:
            problem(key, "bad_date", text)
    starts, ends = row.values.get("starts_on"), row.values.get("ends_on")
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        problem("ends_on", "ends_before_start", cell.get("ends_on", ""))
    scopes = []
    for part in _split(cell.get("scopes", "")):
        if part.lower() in SCOPES:
            scopes.append(SCOPES[part.lower()])
        else:
            problem("scopes", "unknown_scope", part)
    row.values["scopes"] = scopes
    chosen = []
    for part in _split(cell.get("units", "")):
        if part.upper() in units:
            chosen.append(part.upper())
        else:
            problem("units", "unknown_unit", part)
    row.values["units"] = chosen
    return row
