"""The reviews of the schedule (each with its reviewed version), the evaluation of a
period with the CSV import of reach and engagement, the sub-coordinator's review of the
year's activity report, and the calendar's feed."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pintu.media import access, selectors, services
from pintu.media.feed import FeedItem, calendar_feed
from pintu.media.forms import CsvForm, ReportReviewForm, ReviewForm
from pintu.media.models import Channel, ContentItem, ItemStatus, ReportReview
from pintu.media.views.common import readable, workable

PROBLEM_WORDS = {
    "header": gettext_lazy("the header lacks a column"),
    "date": gettext_lazy("not a date"),
    "count": gettext_lazy("not a count"),
    "content": gettext_lazy("no such item or address"),
    "unpublished": gettext_lazy("the item is not published"),
    "empty": gettext_lazy("the file is empty"),
}


def _review_items(start: date, end: date) -> QuerySet[ContentItem]:
    return ContentItem.objects.filter(
        unit=selectors.media_unit(),
        planned_at__date__gte=start - timedelta(days=31),
        planned_at__date__lte=end + timedelta(days=31),
    ).order_by("planned_at")


@login_required
def reviews_page(request: HttpRequest) -> HttpResponse:
    can_work = readable(request)
    unit = selectors.media_unit()
    today = timezone.localdate()
    start = date(today.year, today.month, 1)
    end = date(today.year + (today.month == 12), today.month % 12 + 1, 1) - timedelta(days=1)
    form = ReviewForm(
        request.POST or None,
        items=_review_items(start, end),
        initial={"held_at": timezone.localtime(), "period_start": start, "period_end": end},
    )
    if request.method == "POST":
        workable(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = services.review_record(
                    actor=request.user,
                    unit=unit,
                    kind=data["kind"],
                    held_at=data["held_at"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    items=list(data["items"]),
                    agenda=data["agenda"],
                    minutes=data["minutes"],
                    decisions=data["decisions"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Schedule version %(version)s kept.") % {"version": review.version}
                )
                return redirect("media-review", review.pk)
    return render(
        request,
        "media/reviews.html",
        {"reviews": selectors.reviews(unit)[:100], "form": form, "can_work": can_work},
    )


@require_GET
@login_required
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    readable(request)
    review = selectors.reviews(selectors.media_unit()).filter(pk=pk).first()
    if review is None:
        raise Http404
    channels, statuses = dict(Channel.choices), dict(ItemStatus.choices)
    schedule = [
        {
            **row,
            "planned_at": parse_datetime(row["planned_at"]),
            "channel": channels.get(row["channel"], row["channel"]),
            "status": statuses.get(row["status"], row["status"]),
        }
        for row in review.schedule
    ]
    return render(request, "media/review.html", {"review": review, "schedule": schedule})


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@require_GET
@login_required
def evaluation_page(request: HttpRequest) -> HttpResponse:
    can_work = readable(request)
    unit = selectors.media_unit()
    year = _year(request)
    rows = selectors.evaluation(unit, date(year, 1, 1), date(year, 12, 31))
    return render(
        request,
        "media/evaluation.html",
        {
            "year": year,
            "rows": rows,
            "figures": selectors.figures(rows),
            "can_work": can_work,
            "can_review": access.can_review_reports(request.user, unit),
            "csv_form": CsvForm(),
            "report_form": ReportReviewForm(),
            "report_reviews": ReportReview.objects.filter(unit=unit, year=year).select_related(
                "reviewed_by"
            ),
        },
    )


@require_POST
@login_required
def metrics_csv(request: HttpRequest) -> HttpResponse:
    workable(request)
    form = CsvForm(request.POST, request.FILES)
    year = _year(request)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file."))
        return redirect(f"{reverse('media-evaluation')}?year={year}")
    text = form.cleaned_data["file"].read().decode("utf-8-sig", errors="replace")
    kept, problems = services.metrics_import(
        actor=request.user, unit=selectors.media_unit(), text=text, now=timezone.now()
    )
    messages.success(request, _("%(count)s rows imported.") % {"count": kept})
    for problem in problems[:20]:
        messages.error(
            request,
            _("Line %(line)s: %(what)s (%(text)s).")
            % {
                "line": problem.line,
                "what": PROBLEM_WORDS.get(problem.what, problem.what),
                "text": problem.text,
            },
        )
    return redirect(f"{reverse('media-evaluation')}?year={year}")


@require_POST
@login_required
def report_review(request: HttpRequest) -> HttpResponse:
    unit = selectors.media_unit()
    if not access.can_review_reports(request.user, unit):
        raise PermissionDenied
    year = _year(request)
    form = ReportReviewForm(request.POST)
    if form.is_valid():
        services.report_review_record(
            actor=request.user,
            unit=unit,
            year=year,
            report=form.cleaned_data["report"],
            notes=form.cleaned_data["notes"],
            figures=selectors.year_figures(unit, year),
            now=timezone.now(),
        )
        messages.success(request, _("The review of %(year)s is recorded.") % {"year": year})
    else:
        messages.error(request, _("Write the activity report, or its summary."))
    return redirect(f"{reverse('media-evaluation')}?year={year}")


@require_GET
def feed(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """A unit's calendar for calendar programs: its address holds the secret, so a wrong
    one finds nothing (404, as if there were no such feed)."""
    found = selectors.feed_token_of(code)
    if found is None or not secrets.compare_digest(found.token, token):
        raise Http404
    now = timezone.now()
    items = ContentItem.objects.filter(
        unit=found.unit, planned_at__gte=now - timedelta(days=366)
    ).order_by("planned_at")
    body = calendar_feed(
        name=_("Content calendar %(unit)s") % {"unit": found.unit.code},
        items=[
            FeedItem(
                uid=f"content-item-{item.pk}@{settings.PINTU_EMAIL_DOMAIN}",
                title=item.title,
                channel=item.get_channel_display(),
                status=item.status,
                status_words=item.get_status_display(),
                brief=item.brief,
                planned_at=item.planned_at,
                updated_at=item.updated_at,
                url=f"{settings.PINTU_BASE_URL}{reverse('media-item', args=[item.pk])}",
            )
            for item in items
        ],
        now=now,
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
