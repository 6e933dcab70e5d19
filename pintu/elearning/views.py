"""The e-learning module's pages: the Moodle sites, their courses, and the changes and
announcements that requests brought to them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from pintu.elearning import access, selectors
from pintu.elearning.words import change_lines


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


@require_GET
@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """The course changes approved at requests, each with Moodle's before and after."""
    _readable(request)
    rows = [
        (
            change,
            change_lines(change.before, change.after)
            if change.after
            else change_lines(None, change.changes),
        )
        for change in selectors.course_changes()[:200]
    ]
    return render(request, "elearning/changes.html", {"rows": rows})


urlpatterns: list[URLPattern] = [
    path("elearning/", home, name="elearning-home"),
    path("elearning/mata-kuliah/", courses, name="elearning-courses"),
    path("elearning/perubahan/", changes, name="elearning-changes"),
]
