"""The e-learning module's pages: the Moodle sites, their courses, the changes and
announcements that requests brought to them, the register of releases, and the public
status of the online learning services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pintu.core.moments import stamp
from pintu.elearning import access, selectors, services
from pintu.elearning.forms import ReleaseAnnouncedForm, ReleaseForm
from pintu.elearning.models import AnnouncementTarget
from pintu.elearning.words import change_lines
from pintu.outbox.services import item_retry
from pintu.sla.calendars import zone_for_unit


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


@require_GET
@login_required
def announcements(request: HttpRequest) -> HttpResponse:
    """Each approved announcement with the state of every target."""
    _readable(request)
    return render(
        request,
        "elearning/announcements.html",
        {
            "announcements": selectors.announcements()[:100],
            "can_work": access.can_work_on_learning(request.user),
        },
    )


@require_POST
@login_required
def target_retry(request: HttpRequest, target_id: int) -> HttpResponse:
    """Post a failed target again, and only that one."""
    if not access.can_work_on_learning(request.user):
        raise PermissionDenied
    found = (
        AnnouncementTarget.objects.select_related("announcement__ticket__unit")
        .filter(pk=target_id)
        .first()
    )
    job = selectors.dead_job(found) if found is not None else None
    if found is None or job is None:
        raise Http404
    try:
        item_retry(actor=request.user, item=job, unit=found.announcement.ticket.unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(target)s will be posted again.") % {"target": found.name})
    return redirect("elearning-announcements")


def _releases_page(
    request: HttpRequest, form: ReleaseForm | None = None, status: int = 200
) -> HttpResponse:
    can_work = access.can_work_on_releases(request.user)
    return render(
        request,
        "elearning/releases.html",
        {
            "releases": selectors.releases()[:200],
            "can_work": can_work,
            "form": form or (ReleaseForm() if can_work else None),
            "announced_form": ReleaseAnnouncedForm(),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
def releases(request: HttpRequest) -> HttpResponse:
    """B.4.6.4.g's register: each release, its clock, the announcement that closed it."""
    _readable(request)
    if request.method != "POST":
        return _releases_page(request)
    if not access.can_work_on_releases(request.user):
        raise PermissionDenied
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            release = services.release_record(
                actor=request.user,
                unit=selectors.release_unit(),
                system=form.cleaned_data["system"],
                feature=form.cleaned_data["feature"],
                published_at=form.cleaned_data["published_at"],
                ticket=form.cleaned_data["reference"],
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Recorded: its announcement is due by %(due)s.")
                % {"due": stamp(release.announce_due_at, zone_for_unit(release.unit))},
            )
            return redirect("elearning-releases")
    return _releases_page(request, form, status=200)


@require_POST
@login_required
def release_announced(request: HttpRequest, release_id: int) -> HttpResponse:
    if not access.can_work_on_releases(request.user):
        raise PermissionDenied
    release = selectors.releases().filter(pk=release_id).first()
    if release is None:
        raise Http404
    form = ReleaseAnnouncedForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("elearning-releases")
    try:
        services.release_announced(
            actor=request.user,
            release=release,
            where=form.cleaned_data["where"],
            url=form.cleaned_data["url"],
            at=form.cleaned_data["at"],
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The announcement is recorded."))
    return redirect("elearning-releases")


@require_GET
def status_page(request: HttpRequest) -> HttpResponse:
    """Public: are the online learning services up (B.1.8.17.a, b)?"""
    now = timezone.now()
    return render(
        request,
        "elearning/status.html",
        {
            "board": selectors.status_board(now=now),
            "outages": selectors.outages_recent(),
            "now": now,
        },
    )


urlpatterns: list[URLPattern] = [
    path("elearning/", home, name="elearning-home"),
    path("elearning/mata-kuliah/", courses, name="elearning-courses"),
    path("elearning/perubahan/", changes, name="elearning-changes"),
    path("elearning/pengumuman/", announcements, name="elearning-announcements"),
    path("elearning/rilis/", releases, name="elearning-releases"),
    path(
        "elearning/rilis/<int:release_id>/disosialisasikan/",
        release_announced,
        name="elearning-release-announced",
    ),
    path("status/", status_page, name="elearning-status"),
    path(
        "elearning/pengumuman/tujuan/<int:target_id>/kirim-ulang/",
        target_retry,
        name="elearning-target-retry",
    ),
]
