"""Importing an agreements spreadsheet into the register: a preview of every row with
its problems in words (line and column named), and the import, in one transaction.
Nothing is imported from a file with a wrong row unless the user chooses to import the
valid rows only. Imported agreements are drafts: the register signs an agreement only
with its document on file, which a spreadsheet does not carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.org.models import Unit
from pintu.partners.imports import FileProblem, Problem, Row, check_rows, read_table
from pintu.partners.models import Agreement, Partner
from pintu.partners.services.common import audit, require_work
from pintu.partners.services.register import agreement_create, partner_create

MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Preview:
    """What a file would import: each row, and its problems in words."""

    name: str
    columns: dict[str, str]
    rows: list[Row]
    imported: list[Agreement] = field(default_factory=list)

    @property
    def wrong(self) -> list[Row]:
        return [row for row in self.rows if not row.ok]

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if row.ok]


class ImportRefused(ValueError):
    """The file cannot be imported as it is; the message says why in words."""


def problem_words(line: int, problem: Problem) -> str:
    """One problem as the user reads it: the line, the column, what is wrong."""
    what = {
        "missing": _("is empty"),
        "unknown_kind": _("%(value)s is not MoU, MoA or IA"),
        "unknown_partner_kind": _(
            "%(value)s is not a kind of partner (industri, pemerintah, perguruan tinggi, "
            "sekolah, LSM, lainnya)"
        ),
        "unknown_level": _("%(value)s is not a level (internasional, nasional, lokal)"),
        "bad_date": _("%(value)s is not a date (write 2026-12-31 or 31/12/2026)"),
        "ends_before_start": _("%(value)s is before the start"),
        "unknown_scope": _("%(value)s is not pendidikan, penelitian or pengabdian"),
        "unknown_unit": _("%(value)s is not the code of a department or study programme"),
        "duplicate_number": _("%(value)s is already in the register"),
        "repeated_number": _("%(value)s is on an earlier line of the file too"),
    }[problem.code] % {"value": problem.value}
    return _("Line %(line)s, column %(column)s: %(what)s.") % {
        "line": line,
        "column": problem.column,
        "what": what,
    }


def file_words(problem: FileProblem) -> str:
    code = str(problem)
    if code.startswith("missing_columns:"):
        return _("The file has no column for: %(columns)s.") % {
            "columns": ", ".join(code.split(":", 1)[1].split(","))
        }
    return {
        "not_a_table": _("Choose an XLSX or CSV file."),
        "unreadable": _("The file cannot be read as a spreadsheet."),
        "no_header": _("No header row found: name the columns Nomor, Judul, Jenis and Mitra."),
        "too_large": _("The file is larger than 5 MB."),
    }[code]


def agreements_preview(*, name: str, data: bytes) -> Preview:
    """Every row of the file, checked against the register too (numbers already in it).
    ImportRefused when the file is no table of agreements."""
    try:
        if len(data) > MAX_BYTES:
            raise FileProblem("too_large")
        columns, rows = check_rows(
            read_table(name, data),
            units=Unit.objects.filter(
                kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.STUDY_PROGRAMME]
            ).values_list("code", flat=True),
        )
    except FileProblem as problem:
        raise ImportRefused(file_words(problem)) from None
    numbers = {str(row.values["number"]).lower() for row in rows if row.values["number"]}
    known = set(
        Agreement.objects.annotate(lower=Lower("number"))
        .filter(lower__in=numbers)
        .values_list("lower", flat=True)
    )
    seen: set[str] = set()
    for row in rows:
        number = str(row.values["number"])
        if not number:
            continue
        column = columns.get("number", "number")
        if number.lower() in known:
            row.problems.append(Problem(column, "duplicate_number", number))
        elif number.lower() in seen:
            row.problems.append(Problem(column, "repeated_number", number))
        seen.add(number.lower())
    return Preview(name, columns, rows)


@transaction.atomic(durable=True)
def agreements_import(
    *,
    actor: Any,
    name: str,
    data: bytes,
    valid_rows_only: bool = False,
    now: datetime | None = None,
) -> Preview:
    """Import the file's agreements as drafts, their partners found by name or added.
    With a wrong row, nothing is imported (ImportRefused) unless ``valid_rows_only``."""
    require_work(actor)
    now = now or timezone.now()
    preview = agreements_preview(name=name, data=data)
    if preview.wrong and not valid_rows_only:
        raise ImportRefused(
            _("%(count)s rows have problems: nothing was imported.") % {"count": len(preview.wrong)}
        )
    if not preview.valid:
        raise ImportRefused(_("The file has no row to import."))
    partners = {p.name.lower(): p for p in Partner.objects.all()}
    units = {u.code: u for u in Unit.objects.filter(kind__in=["department", "study_programme"])}
    for row in preview.valid:
        values = row.values
        chosen = []
        for partner_name in values["partners"]:  # type: ignore[attr-defined]
            partner = partners.get(partner_name.lower())
            if partner is None:
                partner = partner_create(
                    actor=actor,
                    name=partner_name,
                    kind=values["partner_kind"],
                    level=values["level"],
                    country=values["country"],
                    now=now,
                )
                partners[partner_name.lower()] = partner
            chosen.append(partner)
        scopes = values["scopes"]
        try:
            agreement = agreement_create(
                actor=actor,
                partners=chosen,
                units=[units[code] for code in values["units"]],  # type: ignore[attr-defined]
                now=now,
                number=values["number"],
                kind=values["kind"],
                title=values["title"],
                signed_on=values["signed_on"],
                starts_on=values["starts_on"],
                ends_on=values["ends_on"],
                education="education" in scopes,  # type: ignore[operator]
                research="research" in scopes,  # type: ignore[operator]
                community_service="community_service" in scopes,  # type: ignore[operator]
            )
        except ValidationError as error:
            raise ImportRefused(
                _("Line %(line)s: %(problem)s Nothing was imported.")
                % {"line": row.line, "problem": " ".join(error.messages)}
            ) from None
        preview.imported.append(agreement)
    first = preview.imported[0]
    audit(
        actor,
        "agreement.import",
        first,
        after={
            "file": name,
            "imported": len(preview.imported),
            "skipped_lines": [row.line for row in preview.wrong],
        },
    )
    return preview
