"""The register of digital-service accounts, for the staff who keep it and for auditors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from pintu.desk import access
from pintu.org import access as org_access
from pintu.vault.selectors import accounts_visible_to


@require_GET
@login_required
def register_page(request: HttpRequest) -> HttpResponse:
    if not (access.work_unit_ids(request.user) or org_access.can_read_everything(request.user)):
        raise PermissionDenied
    accounts = accounts_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(service__icontains=query) | accounts.filter(
            account__icontains=query
        )
    return render(request, "vault/register.html", {"accounts": accounts, "query": query})


urlpatterns: list[URLPattern] = [path("akun-digital/", register_page, name="vault-register")]
