"""A report's content laid out as a file: PDF (WeasyPrint, from an HTML template), DOCX
(python-docx, with real headings and tables, for the unit to edit afterwards) and an XLSX
data annex (openpyxl, every record behind every KPI, written row by row).

Each library is imported by the writer that uses it: a web process that shows the report
page, or a worker that has written no report yet, does not carry them."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pintu.core import charts
from pintu.core.downloads import XLSX_TYPE, xlsx_sheets
from pintu.core.moments import month_short, stamp
from pintu.core.pdf import html_pdf
from pintu.kpi.engine import kpi_evidence
from pintu.kpi.selectors import evidence_header, evidence_rows
from pintu.reports.content import Progress, ReportContent, met_text, value_text
from pintu.reports.models import AnalysisPoint
from pintu.sla.calendars import zone_for_unit
from pintu.sop.measurement import Period

# The PDF's SVG is drawn apart from the page's styles: its colours go inside it.
SVG_STYLE = (
    "<style>.bar{fill:#4f83c2}.bar.met{fill:#3f8f57}.bar.missed{fill:#c0573f}"
    ".label,.value{font-size:12px;fill:#111;font-family:'DejaVu Sans',sans-serif}"
    ".axis{stroke:#999}.target{stroke:#a32;stroke-dasharray:4 3}</style>"
)


def _styled(svg: str) -> str:
    return svg.replace("<title>", SVG_STYLE + "<title>", 1)


def layout(content: ReportContent) -> dict[str, Any]:
    """What the writers share: each KPI row with its words, value and state, and the
    analysis by kind."""
    by_month = {m: float(content.volumes.by_month.get(m, 0)) for m in range(1, 13)}
    kpi_charts = [
        _styled(charts.share_by_month(r.code, r.measurement.by_month))
        for r in content.results
        if r.kind == "share" and r.measurement is not None and r.measurement.by_month
    ]
    return {
        "c": content,
        "generated": stamp(content.generated_at, zone_for_unit(content.unit)),
        "last_year": content.year - 1,
        "kpi_groups": [
            (
                group.criterion,
                group.lead,
                [(r, words, value_text(r), met_text(r)) for r, words in group.rows],
            )
            for group in content.groups
        ],
        "evaluations": content.evaluations,
        "analysis": [
            (kind, label, [p for p in content.points if p.kind == kind])
            for kind, label in AnalysisPoint.Kind.choices
        ],
        "appendices": [(a, value_text(a.result)) for a in content.appendices],
        "doors": content.volumes.by_door,
        "charts": {
            "month": _styled(charts.by_month(by_month, title=_("Requests by month"))),
            "kpis": kpi_charts,
        },
    }


def write_pdf(content: ReportContent, progress: Progress) -> bytes:
    html = render_to_string("reports/document.html", layout(content))
    progress(80, _("Writing the PDF"))
    return html_pdf(html)


# ---------------------------------------------------------------- DOCX


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _share(part: int, whole: int, share: float | None) -> str:
    if share is None:
        return "–"
    return f"{share:.1f}% ({part}/{whole})".replace(".", ",", 1)


def write_docx(content: ReportContent, progress: Progress) -> bytes:
    shared = layout(content)
    progress(80, _("Writing the DOCX"))
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(content.title, level=0)
    document.add_paragraph(f"{content.unit.name} ({content.unit.code})")
    document.add_paragraph(
        _("Written by Pintu from the unit's records on") + f" {shared['generated']}."
    )

    document.add_heading("1. " + _("Unit profile"), level=1)
    _table(
        document,
        [_("SOP number"), _("Title"), _("Version")],
        [[code, title, version] for code, title, version in content.sops],
    )
    if content.heads:
        document.add_paragraph(_("Unit head") + ": " + ", ".join(content.heads))

    document.add_heading("2. " + _("Services and volumes"), level=1)
    document.add_paragraph(
        _("%(total)s requests were received in the year; %(resolved)s of them are resolved.")
        % {"total": content.volumes.total, "resolved": content.volumes.resolved}
    )
    _table(
        document,
        [_("Request type"), _("Requests"), _("First response on time"), _("Resolved on time")],
        [
            [
                s.name,
                str(s.requests),
                _share(s.responded_on_time, s.responded_counted, s.response_share),
                _share(s.resolved_on_time, s.resolved_counted, s.resolution_share),
            ]
            for s in content.services
        ],
    )
    _table(
        document,
        [_("Month"), _("Requests")],
        [[month_short(m), str(content.volumes.by_month.get(m, 0))] for m in range(1, 13)],
    )

    document.add_heading("3. " + _("KPI results"), level=1)
    for criterion, lead, rows in shared["kpi_groups"]:
        document.add_heading(criterion, level=2)
        if lead:
            document.add_paragraph(lead + " …")
        _table(
            document,
            ["KPI", _("Standard"), _("Target"), _("Result"), _("State")],
            [[r.code, words, r.kpi.target, value, state] for r, words, value, state in rows],
        )

    document.add_heading("4. " + _("Satisfaction and what was done about it"), level=1)
    _table(
        document,
        [_("Request type"), _("Resolved"), _("Rated"), _("Average")],
        [
            [name, str(done), str(rated), "–" if avg is None else f"{avg:.2f}".replace(".", ",")]
            for name, done, rated, avg in content.volumes.ratings_by_service
        ],
    )
    for evaluation, name in shared["evaluations"]:
        document.add_heading(_("Evaluation") + f": {name}", level=2)
        document.add_paragraph(evaluation.summary)
        findings = list(evaluation.findings.all())
        if findings:
            _table(
                document,
                [_("Finding"), _("Follow-up action"), _("What was done")],
                [
                    [
                        f.text,
                        f.action,
                        (f.done_note or "✓") if f.done_at else _("open"),
                    ]
                    for f in findings
                ],
            )

    document.add_heading("5. " + _("Analysis"), level=1)
    for _kind, label, points in shared["analysis"]:
        document.add_heading(str(label), level=2)
        for point in points or []:
            document.add_paragraph(point.text)
            for figure in point.figures:
                document.add_paragraph(f"{figure['label']}: {figure['value']}", style="List Bullet")
        if not points:
            document.add_paragraph("–")

    document.add_heading("6. " + _("Follow-up plan"), level=1)
    _table(
        document,
        [_("Action"), _("Person in charge"), _("Due"), _("Status")],
        [
            [f.action, f.owner, date_format(f.due), str(f.get_status_display())]
            for f in content.follow_ups
        ],
    )
    document.add_heading(
        _("Last year's plan (%(year)s) and its outcome") % {"year": content.year - 1}, level=2
    )
    if content.last_year:
        _table(
            document,
            [_("Action"), _("Person in charge"), _("Due"), _("Status"), _("Outcome")],
            [
                [f.action, f.owner, date_format(f.due), str(f.get_status_display()), f.outcome]
                for f in content.last_year
            ],
        )
    else:
        document.add_paragraph(_("No plan was written last year."))

    if content.appendices:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(_("Appendix: the records behind each KPI"), level=1)
    for appendix, value in shared["appendices"]:
        document.add_heading(f"{appendix.result.code} · {value}", level=2)
        _table(
            document,
            [_("Record"), _("What"), _("Result"), _("Note")],
            [[e.reference, e.label, _evidence_word(e), e.note] for e in appendix.rows],
        )
    if content.digests:
        document.add_heading(_("Appendix: the audit log's daily digests"), level=1)
        _table(
            document,
            [_("Day"), _("Row"), "SHA-256"],
            [[date_format(day), str(seq), digest] for day, seq, digest in content.digests],
        )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _evidence_word(evidence: Any) -> str:
    if not evidence.counted:
        return _("not counted yet")
    return _("passed") if evidence.passed else _("failed")


# ---------------------------------------------------------------- XLSX


def write_xlsx(content: ReportContent, progress: Progress) -> bytes:
    """The data annex: the KPI table, the services, and every record behind every KPI (no
    cap), a sheet each, written without keeping the rows in memory."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    xlsx_sheets(
        book,
        "KPI",
        [
            "SOP",
            "KPI",
            _("Standard"),
            _("Target"),
            _("Value"),
            _("Numerator"),
            _("Denominator"),
            _("State"),
        ],
        (
            [
                r.sop,
                r.code,
                r.kpi.text,
                r.kpi.target,
                None if r.value is None else round(r.value, 2),
                r.measurement.numerator if r.measurement else None,
                r.measurement.denominator if r.measurement else None,
                met_text(r),
            ]
            for r in content.results
        ),
    )
    xlsx_sheets(
        book,
        _("Services"),
        [
            _("Request type"),
            _("Requests"),
            _("First response on time"),
            _("Counted"),
            _("Resolved on time"),
            _("Counted"),
            _("Rated"),
            _("Average"),
        ],
        (
            [
                s.name,
                s.requests,
                s.responded_on_time,
                s.responded_counted,
                s.resolved_on_time,
                s.resolved_counted,
                s.rated,
                None if s.average_rating is None else round(s.average_rating, 2),
            ]
            for s in content.services
        ),
    )
    period = Period.year(content.year)
    zone = zone_for_unit(content.unit)
    measured = [r for r in content.results if r.measurement is not None]
    for index, result in enumerate(measured):
        _result, records = kpi_evidence(content.unit, period, content.generated_at, result.code)
        xlsx_sheets(book, _sheet_name(result.code), evidence_header(), evidence_rows(records, zone))
        progress(75 + 20 * (index + 1) // max(len(measured), 1), _("Writing the XLSX"))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _sheet_name(code: str) -> str:
    # Excel forbids []:*?/\ in sheet names and allows 31 characters.
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in code)[:31]


WRITERS: dict[str, Callable[[ReportContent, Progress], bytes]] = {
    "pdf": write_pdf,
    "docx": write_docx,
    "xlsx": write_xlsx,
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX_TYPE,
}
