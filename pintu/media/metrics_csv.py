"""Reach and engagement exported from a channel's insights, as a CSV file: one row per item
and day. Pure: it reads the text and says, line by line, what it found or why not.

The header names the columns, in Indonesian or in English: ``konten`` (or ``item``, ``url``:
the item's number on the calendar or its publication's address), ``tanggal`` (``date``,
YYYY-MM-DD or DD/MM/YYYY), ``jangkauan`` (``reach``) and ``keterlibatan`` (``engagement``).
Commas or semicolons separate the fields (spreadsheets set to Indonesian write
semicolons); thousands may be written 1.234 or 1,234.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

COLUMNS = {
    "content": ("konten", "item", "url"),
    "day": ("tanggal", "date"),
    "reach": ("jangkauan", "reach"),
    "engagement": ("keterlibatan", "engagement"),
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Row:
    line: int
    content: str  # the item's number or its publication's address
    day: date
    reach: int
    engagement: int


@dataclass(frozen=True)
class Problem:
    line: int
    what: str  # "header", "date", "count" or "empty"
    text: str


def _day(text: str) -> date:
    text = text.strip()
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def _count(text: str) -> int:
    cleaned = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)


def read(text: str) -> tuple[list[Row], list[Problem]]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines:
        return [], [Problem(1, "empty", "")]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    where: dict[str, int] = {}
    for column, names in COLUMNS.items():
        found = next((header.index(name) for name in names if name in header), None)
        if found is None:
            return [], [Problem(1, "header", " / ".join(names))]
        where[column] = found
    rows, problems = [], []
    for line, fields in enumerate(reader, start=2):
        if not any(field.strip() for field in fields):
            continue
        values = {column: (fields[i] if i < len(fields) else "") for column, i in where.items()}
        try:
            day = _day(values["day"])
        except ValueError:
            problems.append(Problem(line, "date", values["day"]))
            continue
        try:
            reach, engagement = _count(values["reach"]), _count(values["engagement"])
        except ValueError as bad:
            problems.append(Problem(line, "count", str(bad)))
            continue
        rows.append(Row(line, values["content"].strip(), day, reach, engagement))
    return rows, problems
