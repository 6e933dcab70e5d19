"""The cooperation activities' pages: the list by year and stage, and each activity with
what its four steps recorded and its report's files. The steps themselves are done on
the activity's request, in the desk."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from pintu.core.downloads import stored_file
from pintu.partners import selectors
from pintu.partners.forms import STAGE_WORDS, ActivityFilterForm
from pintu.partners.models import Activity, ActivityFile
from pintu.partners.services.activities import activity_service
from pintu.partners.views.common import page, reader, today


@require_GET
@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    reader(request)
    this_year = today().year
    form = ActivityFilterForm(request.GET or None, this_year=this_year)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year") or this_year
    activities = selectors.activity_list(
        year=int(year), stage=filters.get("stage", ""), query=filters.get("q", "")
    )
    return page(
        request,
        "partners/activity_list.html",
        {
            "form": form,
            "year": year,
            "activities": activities,
            "stage_words": STAGE_WORDS,
            "service": activity_service(),
        },
    )


@require_GET
@login_required
def activity_page(request: HttpRequest, pk: int) -> HttpResponse:
    reader(request)
    activity = get_object_or_404(
        Activity.objects.select_related("partner", "agreement", "ticket", "request"), pk=pk
    )
    return page(
        request,
        "partners/activity.html",
        {
            "activity": activity,
            "stage_words": STAGE_WORDS[activity.stage],
            "units": activity.units.order_by("code"),
            "files": activity.files.select_related("uploaded_by"),
        },
    )


@require_GET
@login_required
def activity_file(request: HttpRequest, pk: int, file: int) -> FileResponse:
    reader(request)
    kept = get_object_or_404(ActivityFile, activity_id=pk, pk=file)
    return stored_file(kept.file, kept.filename, kept.content_type)


urlpatterns: list[URLPattern] = [
    path("kerjasama/kegiatan/", activity_list, name="partners-activities"),
    path("kerjasama/kegiatan/<int:pk>/", activity_page, name="partners-activity"),
    path(
        "kerjasama/kegiatan/<int:pk>/berkas/<int:file>/",
        activity_file,
        name="partners-activity-file",
    ),
]
