"""Finding a request in every unit the viewer works in (or reads): by its words, newest
first, a page at a time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from pintu.desk import access, search, selectors
from pintu.desk.models import Ticket
from pintu.desk.views.common import SLA_WORDS

# A page of results; "next" goes on from its last.
PAGE = 50


@require_GET
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    if not selectors.staff_units(request.user).exists():
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:200]
    after = None
    if request.GET.get("after"):
        try:
            after = selectors.Cursor.decode(request.GET["after"])
        except ValueError:
            after = None  # a mangled link starts from the newest
    context: dict[str, object] = {"query": query, "searched": bool(search.query_words(query))}
    if context["searched"]:
        page = selectors.ticket_list(
            viewer=request.user, filters=selectors.ListFilter(q=query), limit=PAGE, after=after
        )
        rows = selectors.with_sla(page.tickets, timezone.now())
        context.update(
            rows=[(row, SLA_WORDS[row.state], _href(request, row.ticket)) for row in rows],
            count=page.count,
            count_exact=page.count_exact,
            continued=after is not None,
            next_url="?" + urlencode({"q": query, "after": page.next.encode()})
            if page.next
            else "",
        )
    return render(request, "desk/staff/search.html", context)


def _href(request: HttpRequest, ticket: Ticket) -> str:
    """The staff page of a ticket of the viewer's units; the portal's of one they asked
    another unit for."""
    if access.can_read_in(request.user, ticket.unit):
        return reverse("desk-ticket", args=[ticket.reference])
    return reverse("portal-ticket", args=[ticket.reference])


urlpatterns: list[URLPattern] = [path("desk/search/", search_page, name="desk-search")]
