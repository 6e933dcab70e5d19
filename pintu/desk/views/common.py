"""What the desk's pages share: SLA words, the stars of a rating, the words staff.js
needs, dates and durations in words, and turning refusals into messages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pintu.org.models import Unit, User
from pintu.sla.calendars import zone_for_unit
from pintu.sla.clock import SlaState

SLA_WORDS = {
    SlaState.ON_TRACK: gettext_lazy("On track"),
    SlaState.AT_RISK: gettext_lazy("At risk"),
    SlaState.BREACHED: gettext_lazy("Breached"),
    SlaState.MET: gettext_lazy("Met"),
    SlaState.MISSED: gettext_lazy("Missed"),
}

# The stars a rating (1 to 5) is drawn with, on the portal and in the workspace.
STARS = range(1, 6)


def js_words() -> dict[str, str]:
    """The words staff.js writes into the page (it has no catalogue of its own)."""
    return {
        "left": _("%(time)s left"),
        "late": _("%(time)s late"),
        "running": _("running for %(time)s"),
        "minute": _("min"),
        "hour": _("h"),
        "day": _("d"),
        "alertsOn": _("Sound and notifications: on"),
        "alertsOff": _("Sound and notifications: off"),
        "newCount": _("New since this page opened: %(count)s"),
        "updated": _("updated %(time)s"),
        "notifyTitle": _("New requests in the queue"),
        "notifyBody": _("%(count)s new request(s) arrived."),
        # The question before a bulk close, for one request and for several.
        "closeOne": ngettext("Close %(count)s request?", "Close %(count)s requests?", 1),
        "closeMany": ngettext("Close %(count)s request?", "Close %(count)s requests?", 2),
    }


def when(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j M Y H:i") if moment else ""


def minutes_words(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(m)s min") % {"m": rest}
    if not rest:
        return _("%(h)s h") % {"h": hours}
    return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}


def render_for_unit(
    request: HttpRequest, template: str, context: dict[str, Any], unit: Unit
) -> HttpResponse:
    """A page of ``unit``'s work, its moments in the unit's time zone."""
    with timezone.override(zone_for_unit(unit)):
        return render(request, template, context)


def reference_url(name: str) -> str:
    """The address of the URL ``name`` with ``%s`` where a ticket's reference goes:
    reversed once for a page of rows rather than once a row."""
    return reverse(name, args=["REFERENCE"]).replace("REFERENCE", "%s")


def jinja_fragment(request: HttpRequest, template: str, context: dict[str, Any]) -> SafeString:
    """A fragment that Jinja2 renders for speed (``pintu.core.jinja``; its templates in
    ``desk/jinja2/``), ready to place in a Django template or to send as it is."""
    html = render_to_string(template, context, request, using="jinja2")
    return mark_safe(html)  # noqa: S308 (escaped by the engine)


def signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every view here requires a signed-in person
    return user


def errors_text(errors: Iterable[Any]) -> str:
    return " ".join(str(error) for error in errors)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
