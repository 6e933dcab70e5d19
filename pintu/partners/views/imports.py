"""The import page: upload an agreements spreadsheet, read the preview with each row's
problems, then import (all rows, or the valid ones when some are wrong). The file is
kept under its checksum between the preview and the import, so nothing is uploaded
twice and the import reads exactly what the preview showed."""

from __future__ import annotations

import hashlib
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pintu.partners.services.imports import (
    ImportRefused,
    Preview,
    agreements_import,
    agreements_preview,
    problem_words,
)
from pintu.partners.views.common import page, worker

IMPORTED = gettext_lazy(
    "%(count)s agreements imported as drafts: upload each one's document, then send it for review."
)
KEPT = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx)$")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=gettext_lazy(
            "One agreement a row, with the columns Nomor, Judul, Jenis (MoU, MoA, IA), Mitra "
            "(several separated by ;), and if known Jenis mitra, Tingkat, Negara, Tanggal "
            "tanda tangan, Mulai, Berakhir, Ruang lingkup and Prodi (codes)."
        ),
    )


def _kept_path(kept: str) -> str:
    return f"partners/imports/{kept}"


def _rows(preview: Preview) -> list[dict[str, object]]:
    return [
        {
            "line": row.line,
            "values": row.values,
            "problems": [problem_words(row.line, problem) for problem in row.problems],
        }
        for row in preview.rows
    ]


@require_http_methods(["GET", "POST"])
@login_required
def agreement_import(request: HttpRequest) -> HttpResponse:
    actor = worker(request)
    form = UploadForm()
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and "kept" in request.POST:
        kept, name = request.POST["kept"], request.POST.get("name", "")[:200]
        if not KEPT.match(kept) or not default_storage.exists(_kept_path(kept)):
            messages.error(request, _("The previewed file is gone: upload it again."))
            return redirect("partners-import")
        with default_storage.open(_kept_path(kept), "rb") as stored:
            data = stored.read()
        try:
            done = agreements_import(
                actor=actor,
                name=name or kept,
                data=data,
                valid_rows_only=request.POST.get("rows") == "valid",
            )
        except ImportRefused as refused:
            messages.error(request, str(refused))
            return redirect("partners-import")
        default_storage.delete(_kept_path(kept))
        messages.success(request, IMPORTED % {"count": len(done.imported)})
        return redirect("partners-agreements")
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                preview = agreements_preview(name=upload.name, data=data)
            except ImportRefused as refused:
                form.add_error("file", str(refused))
            else:
                extension = upload.name.rsplit(".", 1)[-1].lower()
                kept = f"{hashlib.sha256(data).hexdigest()}.{extension}"
                if not default_storage.exists(_kept_path(kept)):
                    default_storage.save(_kept_path(kept), ContentFile(data))
                context.update(preview=preview, rows=_rows(preview), kept=kept, name=upload.name)
    return page(request, "partners/import.html", context)


urlpatterns: list[URLPattern] = [
    path("kerjasama/perjanjian/impor/", agreement_import, name="partners-import"),
]
