"""SOP pages: the catalogue, one page per SOP that reads like the paper document, its PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pintu.core.pdf import html_pdf
from pintu.org.models import Unit
from pintu.sop import diagram, selectors
from pintu.sop.definition import RETENTION_RE, Activity, Definition, Service
from pintu.sop.grammar import parse_target
from pintu.sop.models import Sop

# Characters kept in a download's file name; SOP codes normally have only these.
UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")
# The style sheets whose document part (between the two markers) styles the document
# itself, for the page and the PDF alike.
DOCUMENT_STYLESHEETS = ("pintu/pintu.css", "sop/sop.css")
DOCUMENT_STYLES = ("/* sop-document */", "/* sop-screen */")
# Past this natural width (CSS pixels) a diagram would shrink below about 70% on a
# portrait A4 page (182 mm of text width), too small to read.
WIDE_DIAGRAM = 1000
# Letters that number the flows of one SOP, as the paper SOPs do ("a. Diagram alur ...").
FLOW_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class CatalogueEntry:
    sop: Sop
    services: int
    activities: int
    kpis: int


@dataclass(frozen=True)
class ActivityRow:
    number: int
    activity: Activity
    actor: str  # the role's name
    time: str  # the time standard in words; empty where the SOP leaves it blank


@dataclass(frozen=True)
class FlowSection:
    letter: str
    services: tuple[Service, ...]
    svg: str
    width: int  # the diagram's natural width, in CSS pixels
    wide: bool  # too wide for a portrait A4 page: the PDF prints it on a landscape one
    rows: tuple[ActivityRow, ...]


@require_GET
@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    # The counts come from the stored definition itself: no query per SOP.
    sops = selectors.sop_list().order_by("unit__code", "code")
    entries = [
        CatalogueEntry(
            sop=sop,
            services=len(sop.definition.get("services", ())),
            activities=len(sop.definition.get("activities", ())),
            kpis=len(sop.definition.get("kpis", ())),
        )
        for sop in sops
    ]
    groups: list[tuple[Unit, list[CatalogueEntry]]] = [
        (unit, list(items)) for unit, items in groupby(entries, key=lambda e: e.sop.unit)
    ]
    return render(request, "sop/catalogue.html", {"groups": groups, "total": len(entries)})


def _sop_or_404(request: HttpRequest, code: str) -> Sop:
    """The current revision of ``code``, or the one ``?revision=N`` asks for."""
    wanted = request.GET.get("revision")
    if wanted is None:
        sop = selectors.sop_current(code)
    elif wanted.isdigit():
        sop = Sop.objects.select_related("unit").filter(code=code, revision=int(wanted)).first()
    else:
        sop = None
    if sop is None:
        raise Http404("No such SOP or revision")
    return sop


def retention_words(value: str) -> str:
    """``5y`` → ``5 tahun``, as the paper SOPs write it."""
    match = RETENTION_RE.match(value)
    return f"{match['years']} tahun" if match else value


def kpi_target_words(text: str) -> str:
    """A KPI target of the schema's grammar (``present``, ``>= 100%``, ``>= 1/year``) in
    the reader's words: the targets are Pintu's reading of each KPI, not the SOP's text."""
    target = parse_target(text)
    if target.kind == "presence":
        return _("on file")
    if target.kind == "count":
        return _("at least %(count)s a year") % {"count": _number(target.value)}
    if target.since is None:
        return _("at least %(percent)s%%") % {"percent": _number(target.value)}
    return _("at least %(percent)s%% in %(year)s, %(step)s points more each year") % {
        "percent": _number(target.value),
        "year": target.since,
        "step": _number(target.step),
    }


def _number(value: float) -> str:
    return number_format(int(value) if value.is_integer() else value)


def _flow_sections(definition: Definition) -> list[FlowSection]:
    role_names = {role.key: role.name for role in definition.roles}
    sections = []
    for letter, flow in zip(FLOW_LETTERS, diagram.flows(definition), strict=False):
        drawing = diagram.draw_flow(definition, flow)
        rows = tuple(
            ActivityRow(
                number=number,
                activity=activity,
                actor=role_names.get(activity.actor, activity.actor),
                time=diagram.duration_words(activity.time_standard),
            )
            for number, activity in enumerate(flow.activities, start=1)
        )
        sections.append(
            FlowSection(
                letter=letter,
                services=flow.services,
                # Safe: draw_flow escapes every text it takes from the definition.
                svg=mark_safe(drawing.svg),  # noqa: S308
                width=round(drawing.width),
                wide=drawing.width > WIDE_DIAGRAM,
                rows=rows,
            )
        )
    return sections


def _document_styles() -> str:
    """The document part of the SOP pages' style sheets, so that the PDF looks like the page.

    Only that part: the rest styles the screen, and WeasyPrint would log a warning for
    each rule it does not support.
    """
    begin, end = DOCUMENT_STYLES
    parts = []
    for name in DOCUMENT_STYLESHEETS:
        found = finders.find(name)
        text = Path(str(found)).read_text(encoding="utf-8") if found else ""
        start = text.find(begin)
        if start >= 0:
            parts.append(text[start : text.find(end, start)])
    return "\n".join(parts)


def _document_context(sop: Sop) -> dict[str, Any]:
    definition = sop.parsed()
    services = [
        {
            "service": service,
            "first_response": diagram.duration_words(service.first_response),
            "resolution": diagram.duration_words(service.resolution),
        }
        for service in definition.services
    ]
    records = [(record, retention_words(record.retention)) for record in definition.records]
    return {
        "sop": sop,
        "definition": definition,
        "flows": _flow_sections(definition),
        "services": services,
        "records": records,
        "kpis": [(kpi, kpi_target_words(kpi.target)) for kpi in definition.kpis],
        "has_cover": any(
            (
                definition.legal_basis,
                definition.qualifications,
                definition.linked_sops,
                definition.equipment,
                definition.related,
                definition.supporting_documents,
                definition.warning,
                definition.definitions,
            )
        ),
    }


@require_GET
@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    sop = _sop_or_404(request, code)
    context = _document_context(sop)
    context["revisions"] = list(
        Sop.objects.filter(code=sop.code)
        .order_by("-revision")
        .values("revision", "version", "effective", "is_current")
    )
    return render(request, "sop/detail.html", context)


@require_GET
@login_required
def pdf(request: HttpRequest, code: str) -> HttpResponse:
    sop = _sop_or_404(request, code)
    context = _document_context(sop)
    context["stylesheet"] = _document_styles()
    html = render_to_string("sop/print.html", context, request=request)
    response = HttpResponse(html_pdf(html), content_type="application/pdf")
    name = UNSAFE_FILENAME.sub("_", sop.code) + ("" if sop.is_current else f"-r{sop.revision}")
    response["Content-Disposition"] = f'attachment; filename="SOP-{name}.pdf"'
    return response
