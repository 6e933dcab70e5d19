"""SOP pages: the catalogue and one page per SOP."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pintu.sop.models import Sop


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    sops = Sop.objects.filter(is_current=True).select_related("unit")
    return render(request, "sop/catalogue.html", {"sops": sops})
