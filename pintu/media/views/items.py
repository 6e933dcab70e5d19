"""One content item: its page (status moves, tasks, assets, publications, reach, the
reviews that decided it, its history) and one POST endpoint per change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pintu.core.downloads import stored_file
from pintu.desk.services import uploads_from_files
from pintu.media import lifecycle, selectors, services
from pintu.media.forms import (
    AssetForm,
    ItemForm,
    MetricsForm,
    MoveForm,
    PublicationForm,
    RescheduleForm,
    TaskForm,
)
from pintu.media.models import Asset, ContentItem, ItemStatus, Task
from pintu.media.views.common import readable, workable


def _item(pk: int) -> ContentItem:
    item = selectors.item_detail(pk)
    if item is None:
        raise Http404
    return item


def _back(request: HttpRequest, item: ContentItem) -> HttpResponse:
    """Back where the change was made: the calendar view it came from, or the item."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return redirect(wanted)
    return redirect("media-item", item.pk)


def _page(
    request: HttpRequest, item: ContentItem, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    bound = bound or {}
    unit = item.unit
    local = timezone.localtime(item.planned_at)
    return render(
        request,
        "media/item.html",
        {
            "item": item,
            "can_work": readable(request),
            "moves": [(s, ItemStatus(s).label) for s in lifecycle.button_moves(item.status)],  # type: ignore[arg-type]
            "edit_form": bound.get("edit")
            or ItemForm(
                unit=unit,
                editing=True,
                initial={
                    "title": item.title,
                    "brief": item.brief,
                    "channel": item.channel,
                    "owner": item.owner_id,
                    "links": "\n".join(item.links),
                },
            ),
            "reschedule_form": bound.get("reschedule")
            or RescheduleForm(initial={"day": local.date()}),
            "task_form": bound.get("task") or TaskForm(unit=unit),
            "asset_form": bound.get("asset") or AssetForm(),
            "publication_form": bound.get("publication")
            or PublicationForm(initial={"published_at": timezone.localtime()}),
            "metrics_form": bound.get("metrics")
            or MetricsForm(initial={"measured_on": timezone.localdate()}),
        },
        status=400 if bound else 200,
    )


def _act(
    request: HttpRequest,
    item: ContentItem,
    name: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Check the form, call one service; on success a message and back, else the page
    again with what was typed and why it was refused."""
    if form.is_valid():
        try:
            done = action(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _back(request, item)
    return _page(request, item, {name: form})


@require_GET
@login_required
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _item(pk))


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    readable(request)
    unit = selectors.media_unit()
    if request.method == "POST":
        workable(request)
        form = ItemForm(request.POST, unit=unit)
        if form.is_valid():
            try:
                item = services.item_create(
                    actor=request.user, unit=unit, now=timezone.now(), **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("%(title)s is on the calendar.") % {"title": item.title}
                )
                return redirect("media-item", item.pk)
    else:
        initial: dict[str, str] = {"status": ItemStatus.IDEA}
        if request.GET.get("day"):
            initial["planned_at"] = f"{request.GET['day']}T09:00"
        form = ItemForm(unit=unit, initial=initial)
    return render(request, "media/item_new.html", {"form": form})


@require_POST
@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    workable(request)
    item = _item(pk)

    def edit(data: dict[str, Any]) -> str:
        services.item_edit(actor=request.user, item=item, now=timezone.now(), **data)
        return _("Saved.")

    return _act(request, item, "edit", ItemForm(request.POST, unit=item.unit, editing=True), edit)


@require_POST
@login_required
def item_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """To another day at the same time of day: the calendar's drag (it asks for JSON) or
    the item page's form."""
    workable(request)
    item = _item(pk)
    form = RescheduleForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json:
        if not form.is_valid():
            return JsonResponse({"error": _("Choose a day.")}, status=400)
        try:
            moved = services.item_reschedule(
                actor=request.user,
                item=item,
                planned_at=lifecycle.moved_to(
                    timezone.localtime(item.planned_at), form.cleaned_data["day"]
                ),
                now=timezone.now(),
            )
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        return JsonResponse({"planned_at": timezone.localtime(moved.planned_at).isoformat()})

    def reschedule(data: dict[str, Any]) -> str:
        moved = services.item_reschedule(
            actor=request.user,
            item=item,
            planned_at=lifecycle.moved_to(timezone.localtime(item.planned_at), data["day"]),
            now=timezone.now(),
        )
        return _("%(title)s moved to %(day)s.") % {
            "title": moved.title,
            "day": data["day"].strftime("%d-%m-%Y"),
        }

    return _act(request, item, "reschedule", form, reschedule)


@require_POST
@login_required
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    workable(request)
    item = _item(pk)

    def move(data: dict[str, Any]) -> str:
        moved = services.item_move(
            actor=request.user, item=item, status=data["status"], now=timezone.now()
        )
        return _("%(title)s: %(status)s.") % {
            "title": moved.title,
            "status": moved.get_status_display(),
        }

    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        done = move(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return _back(request, item)


@require_POST
@login_required
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    workable(request)
    item = _item(pk)

    def add(data: dict[str, Any]) -> str:
        task = services.task_add(actor=request.user, item=item, now=timezone.now(), **data)
        return _("Task added: %(task)s.") % {"task": task.title}

    return _act(request, item, "task", TaskForm(request.POST, unit=item.unit), add)


@require_POST
@login_required
def task_done(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    workable(request)
    item = _item(pk)
    task = Task.objects.filter(pk=task_id, item=item).first()
    if task is None:
        raise Http404
    services.task_done(actor=request.user, task=task, now=timezone.now())
    messages.success(request, _("Done: %(task)s.") % {"task": task.title})
    return _back(request, item)


@require_POST
@login_required
def asset_add(request: HttpRequest, pk: int) -> HttpResponse:
    workable(request)
    item = _item(pk)

    def add(data: dict[str, Any]) -> str:
        (upload,) = uploads_from_files([data["file"]])
        asset = services.asset_add(actor=request.user, item=item, upload=upload, now=timezone.now())
        return _("%(name)s added.") % {"name": asset.name}

    return _act(request, item, "asset", AssetForm(request.POST, request.FILES), add)


@require_GET
@login_required
def asset_download(request: HttpRequest, pk: int, asset_id: int) -> FileResponse:
    readable(request)
    asset = Asset.objects.filter(pk=asset_id, item_id=pk).first()
    if asset is None:
        raise Http404
    return stored_file(asset.file, asset.name)


@require_POST
@login_required
def publication_add(request: HttpRequest, pk: int) -> HttpResponse:
    workable(request)
    item = _item(pk)

    def publish(data: dict[str, Any]) -> str:
        services.publication_record(actor=request.user, item=item, now=timezone.now(), **data)
        return _("%(title)s is published.") % {"title": item.title}

    return _act(request, item, "publication", PublicationForm(request.POST), publish)


@require_POST
@login_required
def metrics_add(request: HttpRequest, pk: int) -> HttpResponse:
    workable(request)
    item = _item(pk)

    def record(data: dict[str, Any]) -> str:
        services.metrics_record(actor=request.user, item=item, now=timezone.now(), **data)
        return _("Reach and engagement recorded.")

    return _act(request, item, "metrics", MetricsForm(request.POST), record)
