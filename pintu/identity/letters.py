"""The hand-over letters of a cohort as one PDF (WeasyPrint): a page per student with
their username, their one-time link as text and as a QR code, and how to use it."""

from __future__ import annotations

from datetime import datetime

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pintu.core.pdf import html_pdf
from pintu.identity.cohorts import letters_of
from pintu.identity.handover import link_url
from pintu.identity.models import Cohort


def letters_pdf(cohort: Cohort, *, now: datetime) -> bytes:
    pages = []
    for line, handover in letters_of(cohort, now):
        url = link_url(handover) if handover is not None else ""
        qr = segno.make(url, error="m").svg_inline(scale=4) if url else ""
        svg = mark_safe(qr)  # noqa: S308 (segno's drawing of our own link)
        pages.append({"line": line, "handover": handover, "url": url, "qr": svg})
    html = render_to_string("identity/letters.html", {"cohort": cohort, "pages": pages})
    return html_pdf(html)
