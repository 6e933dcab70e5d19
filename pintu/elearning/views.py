"""The e-learning module's pages: the Moodle sites and their courses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from pintu.elearning import access, selectors


def _readable(request: HttpRequest) -> None:
    if not access.can_read(request.user):
        raise PermissionDenied


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    _readable(request)
    sites = selectors.sites().annotate(course_count=Count("courses"))
    return render(request, "elearning/home.html", {"sites": sites})


@require_GET
@login_required
def courses(request: HttpRequest) -> HttpResponse:
    _readable(request)
    found = selectors.courses()
    query = request.GET.get("q", "").strip()
    if query:
        found = found.filter(
            Q(shortname__icontains=query)
            | Q(fullname__icontains=query)
            | Q(idnumber__icontains=query)
        )
    return render(request, "elearning/courses.html", {"courses": found[:500], "query": query})


urlpatterns: list[URLPattern] = [
    path("elearning/", home, name="elearning-home"),
    path("elearning/mata-kuliah/", courses, name="elearning-courses"),
]
