"""Pages of the e-mail door: the quarantine (admins), a message's original bytes, retry;
on local runs, the mail the catcher kept (admins)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pintu.desk import access as desk_access
from pintu.doors.email.catcher import caught_files, caught_message, caught_path, caught_summary
from pintu.doors.email.ingest import inbound_retry
from pintu.doors.models import InboundMessage
from pintu.org import access as org_access
from pintu.org.models import Unit

# Why a mail is in quarantine, in words (``InboundMessage.reason``); the error under it
# stays as the parser or the server wrote it.
REASON_WORDS = {
    "no unit": gettext_lazy("no unit owns the address"),
    "no service": gettext_lazy("the unit has no SOP loaded"),
    "unparseable": gettext_lazy("not an e-mail message"),
    "error": gettext_lazy("processing failed"),
    "message-id reused": gettext_lazy("another message came earlier with this Message-ID"),
}
# Reasons whose error text is a program's own (in English), not one of ours.
TECHNICAL = {"unparseable", "error"}


@login_required
def quarantine_list(request: HttpRequest) -> HttpResponse:
    """Mail that could not be processed, newest first, with its error."""
    if not org_access.is_admin(request.user):
        raise PermissionDenied
    quarantined = (
        InboundMessage.objects.filter(
            door=InboundMessage.Door.EMAIL, outcome=InboundMessage.Outcome.QUARANTINED
        )
        .select_related("mailbox")
        .defer("raw")
    )
    page = Paginator(quarantined, 50).get_page(request.GET.get("page"))
    units = Unit.objects.filter(is_active=True).only("code", "name")
    rows = [
        (message, REASON_WORDS.get(message.reason, message.reason), message.reason in TECHNICAL)
        for message in page
    ]
    return render(request, "doors/quarantine.html", {"page": page, "rows": rows, "units": units})


@login_required
def inbound_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The message exactly as it arrived: admins, and staff of the unit whose request it
    became (that is where attachments the desk refused are found)."""
    message = get_object_or_404(InboundMessage.objects.select_related("ticket__unit"), pk=pk)
    allowed = org_access.is_admin(request.user) or (
        message.ticket is not None and desk_access.can_work_in(request.user, message.ticket.unit)
    )
    if not allowed:
        raise Http404
    extension = "eml" if message.door == InboundMessage.Door.EMAIL else "json"
    response = HttpResponse(
        bytes(message.raw),
        content_type="message/rfc822" if extension == "eml" else "application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="inbound-{message.pk}.{extension}"'
    return response


@require_POST
@login_required
def inbound_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not org_access.is_admin(request.user):
        raise PermissionDenied
    message = get_object_or_404(InboundMessage, pk=pk, door=InboundMessage.Door.EMAIL)
    unit = None
    code = request.POST.get("unit", "").strip()
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            messages.error(request, _("Unknown unit %(code)s.") % {"code": code})
            return redirect("doors-quarantine")
    try:
        result = inbound_retry(actor=request.user, message=message, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("doors-quarantine")
    if result.outcome == InboundMessage.Outcome.QUARANTINED:
        messages.error(
            request,
            _("Message %(pk)s is still quarantined (%(reason)s).")
            % {"pk": message.pk, "reason": result.reason},
        )
    else:
        messages.success(
            request,
            _("Message %(pk)s processed: %(outcome)s %(ticket)s")
            % {
                "pk": message.pk,
                "outcome": InboundMessage.Outcome(result.outcome).label,
                "ticket": result.ticket or "",
            },
        )
    return redirect("doors-quarantine")


def local_admins_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Caught mail exists on local runs only: in production its pages are not there, for
    anyone, signed in or not. Elsewhere they are for admins."""

    @login_required
    @wraps(view)
    def for_admins(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not org_access.is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    @wraps(view)
    def local(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.PRODUCTION:
            raise Http404
        return for_admins(request, *args, **kwargs)

    return local


def _caught_file(name: str) -> Path:
    found = caught_path(settings.PINTU_CAUGHT_MAIL_DIR, name)
    if found is None:
        raise Http404
    return found


@local_admins_only
def caught_mail_list(request: HttpRequest) -> HttpResponse:
    """What the outbox "sent" on this machine, newest first."""
    directory = settings.PINTU_CAUGHT_MAIL_DIR
    page = Paginator(caught_files(directory), 50).get_page(request.GET.get("page"))
    mails = [caught_summary(file) for file in page]
    return render(
        request, "doors/caught_mail.html", {"page": page, "mails": mails, "directory": directory}
    )


@local_admins_only
def caught_mail_detail(request: HttpRequest, name: str) -> HttpResponse:
    file = _caught_file(name)
    message = caught_message(file)
    text = message.get_body(preferencelist=("plain",))
    context = {
        "mail": caught_summary(file),
        "headers": [(key, str(value)) for key, value in message.items()],
        "text": text.get_content() if text is not None else None,
        "attachments": [part.get_filename() or "" for part in message.iter_attachments()],
    }
    return render(request, "doors/caught_message.html", context)


@local_admins_only
def caught_mail_raw(request: HttpRequest, name: str) -> HttpResponse:
    response = HttpResponse(_caught_file(name).read_bytes(), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{name}.eml"'
    return response


urlpatterns: list[URLPattern] = [
    path("doors/quarantine/", quarantine_list, name="doors-quarantine"),
    path("doors/inbound/<int:pk>/raw/", inbound_raw, name="doors-inbound-raw"),
    path("doors/inbound/<int:pk>/retry/", inbound_retry_view, name="doors-inbound-retry"),
    path("dev/mail/", caught_mail_list, name="dev-mail"),
    path("dev/mail/<str:name>/", caught_mail_detail, name="dev-mail-message"),
    path("dev/mail/<str:name>.eml", caught_mail_raw, name="dev-mail-raw"),
]
