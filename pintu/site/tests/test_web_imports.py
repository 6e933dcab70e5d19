"""A web process carries what serving pages needs, not what writing files needs: WeasyPrint,
openpyxl and python-docx (with fontTools, Pillow, pydyf, lxml: some 37 MB of a process) are
imported by the functions that write a PDF, a spreadsheet or a document, the first time
one is written. Checked in a fresh interpreter, as gunicorn starts one."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("weasyprint", "openpyxl", "docx", "fontTools", "PIL")

SCRIPT = f"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
from pintu.wsgi import application
from django.urls import get_resolver

def walk(patterns):
    for pattern in patterns:
        walk(getattr(pattern, "url_patterns", []))
        getattr(pattern, "callback", None)

walk(get_resolver().url_patterns)
loaded = [name for name in {HEAVY!r} if name in sys.modules]
from pintu.core.pdf import html_pdf
pdf = html_pdf("<p>Halo</p>")
after = "weasyprint" in sys.modules
print(json.dumps({{"before": loaded, "pdf": pdf[:5].decode(), "after": after}}))
"""


def test_serving_pages_does_not_import_the_file_writers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"] == []
    # ... and the first PDF still comes out, importing WeasyPrint then.
    assert seen["pdf"] == "%PDF-"
    assert seen["after"] is True
