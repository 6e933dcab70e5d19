"""Tables to download, however long: CSV streamed row by row as the rows are read, XLSX
written to a temporary file in openpyxl's write-only mode and then streamed from it.
Neither holds the rows in memory.

Cells are values, never formulas: text that a spreadsheet would run as a formula (a
ticket subject "=HYPERLINK(...)" sent by e-mail, say) stays text.

openpyxl is imported by the functions that write XLSX, so that a web process carries it
only once somebody has downloaded a spreadsheet.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation

from pintu.core.files import stored_file_opened

if TYPE_CHECKING:
    from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The most rows one sheet holds; the rows after them go on to the next sheet.
SHEET_ROWS = 1_048_576
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """What csv.writer writes into: it hands each line back, to be streamed."""

    def write(self, line: str) -> str:
        return line


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    text = str(value)
    # The quote makes spreadsheet programs read the cell as text (OWASP's advice).
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv_lines(header: list[str], rows: Iterable[list[Any]], language: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The rows are read while the response streams, after the view has returned:
    # words come in the language of the request that asked for them.
    with translation.override(language):
        yield "\ufeff"  # a byte-order mark, without which Excel misreads UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_csv_cell(value) for value in row])


def csv_download(
    filename: str, header: list[str], rows: Iterable[list[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(header, rows, translation.get_language()), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cells(sheet: Any, row: list[Any]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in row:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # openpyxl would store text that starts with "=" as a formula
        else:
            cell = WriteOnlyCell(sheet, value=value)
        cells.append(cell)
    return cells


def _new_sheet(workbook: Workbook, title: str, header: list[str], widths: Sequence[int]) -> Any:
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    # A write-only sheet takes its column widths before its first row.
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.append(header)
    return sheet


def xlsx_sheets(
    workbook: Workbook,
    title: str,
    header: list[str],
    rows: Iterable[list[Any]],
    widths: Sequence[int] = (),
) -> None:
    """``rows`` into a write-only ``workbook``: one sheet per ``SHEET_ROWS`` rows, each
    with the header, the first named ``title`` and the next "``title`` 2", ...; cells are
    values, never formulas."""
    sheet: Any = None
    written, part = SHEET_ROWS, 0
    for row in rows:
        if written == SHEET_ROWS:
            part += 1
            sheet = _new_sheet(workbook, title if part == 1 else f"{title} {part}", header, widths)
            written = 1
        sheet.append(_xlsx_cells(sheet, row))
        written += 1
    if sheet is None:
        _new_sheet(workbook, title, header, widths)


def xlsx_download(
    filename: str,
    title: str,
    header: list[str],
    rows: Iterable[list[Any]],
    widths: Sequence[int] = (),
) -> FileResponse:
    """One sheet per ``SHEET_ROWS`` rows, each with the header; the first is ``title``.
    ``widths`` are the columns' widths in characters."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    xlsx_sheets(workbook, title, header, rows, widths)
    # The response closes the file after its last byte, and closing deletes it.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def stored_file(file: FieldFile, filename: str, content_type: str = "") -> FileResponse:
    """A kept file (an attachment, a document, an asset) as a download: always saved,
    never shown in the page, and its type as recorded, not guessed by the browser.
    Streamed from wherever it is kept (``pintu.core.files``): a missing file is a 404
    that says so, an unreachable store a 503."""
    response = FileResponse(
        stored_file_opened(file),
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
