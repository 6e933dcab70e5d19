"""The content calendar's forms, and those of PR.27.4's steps (plan the request into the
calendar; the review that decided it)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy

from pintu.desk.selectors import unit_people
from pintu.media.models import Channel, ContentItem, ItemStatus, Review
from pintu.org.models import Unit, User

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# What the request form's "Media" names (PR.27.4.yaml), as the calendar's channel.
REQUESTED_CHANNEL = {
    "Website": Channel.WEBSITE,
    "Instagram": Channel.INSTAGRAM,
    "YouTube": Channel.YOUTUBE,
    "Facebook": Channel.FACEBOOK,
    "TikTok": Channel.TIKTOK,
}
# A request that names no day is planned this long after it was taken up, at this hour
# (Pintu's choice, inside the service's 1-week resolution).
PLAN_AFTER = timedelta(days=5)
PLAN_HOUR = time(9, 0)


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class _People(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def _links(text: str) -> list[str]:
    """One web address a line. Only http(s): the item's page makes each a link, and a
    ``javascript:`` one would run in the browser of whoever clicks it."""
    links = [line.strip() for line in text.splitlines() if line.strip()]
    for link in links:
        try:
            _WEB_ADDRESS(link)
        except ValidationError:
            raise ValidationError(
                gettext_lazy("%(link)s is not a web address (http:// or https://)."),
                params={"link": link[:100]},
            ) from None
    return links


class ItemForm(_Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    brief = forms.CharField(
        label=gettext_lazy("Brief"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Channel.choices)
    planned_at = forms.DateTimeField(label=gettext_lazy("Planned publication"), widget=DATETIME)
    owner = _People(label=gettext_lazy("Owner"), queryset=User.objects.none(), required=False)
    links = forms.CharField(
        label=gettext_lazy("Links"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("One address a line: the brief's documents, drafts, the folder."),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[
            (ItemStatus.IDEA, ItemStatus.IDEA.label),
            (ItemStatus.PLANNED, ItemStatus.PLANNED.label),
        ],
    )

    def __init__(self, *args: Any, unit: Unit, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = unit_people(unit)
        if editing:
            del self.fields["planned_at"], self.fields["status"]

    def clean_links(self) -> list[str]:
        return _links(self.cleaned_data["links"])


class RescheduleForm(_Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=DATE)


class MoveForm(_Form):
    status = forms.ChoiceField(choices=ItemStatus.choices)


class TaskForm(_Form):
    title = forms.CharField(label=gettext_lazy("Task"), max_length=200)
    due_on = forms.DateField(label=gettext_lazy("Due"), widget=DATE)
    owner = _People(label=gettext_lazy("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = unit_people(unit)


class AssetForm(_Form):
    file = forms.FileField(label=gettext_lazy("File"))


class PublicationForm(_Form):
    url = forms.URLField(
        label=gettext_lazy("Published at the address"), max_length=500, assume_scheme="https"
    )
    published_at = forms.DateTimeField(label=gettext_lazy("Published at"), widget=DATETIME)


class MetricsForm(_Form):
    measured_on = forms.DateField(label=gettext_lazy("Counted on"), widget=DATE)
    reach = forms.IntegerField(label=gettext_lazy("Reach"), min_value=0)
    engagement = forms.IntegerField(label=gettext_lazy("Engagement"), min_value=0)


class CsvForm(_Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns konten (the item's number or its address), tanggal, jangkauan and "
            "keterlibatan; commas or semicolons."
        ),
    )


class ReviewForm(_Form):
    kind = forms.ChoiceField(label=gettext_lazy("How it was reviewed"), choices=Review.Kind.choices)
    held_at = forms.DateTimeField(label=gettext_lazy("Held at"), widget=DATETIME)
    period_start = forms.DateField(label=gettext_lazy("Schedule from"), widget=DATE)
    period_end = forms.DateField(label=gettext_lazy("Schedule until"), widget=DATE)
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minutes = forms.CharField(
        label=gettext_lazy("Minutes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decisions = forms.CharField(
        label=gettext_lazy("Decisions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    items = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Items it decided"),
        queryset=ContentItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = items


class ReportReviewForm(_Form):
    report = forms.CharField(
        label=gettext_lazy("Activity report"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("The year's activity report, or its summary (minutes, e-mails...)."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Review notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PlanForm(_Form):
    """PR.27.4's first step: the request on the calendar, filled in from what it asks."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    brief = forms.CharField(
        label=gettext_lazy("Brief"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Channel.choices)
    planned_at = forms.DateTimeField(label=gettext_lazy("Planned publication"), widget=DATETIME)
    owner = _People(label=gettext_lazy("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self._from_request(step))
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = unit_people(step.ticket.unit)

    @staticmethod
    def _from_request(step: Any) -> dict[str, Any]:
        ticket = step.ticket
        fields = ticket.fields
        try:
            day = parse_date(str(fields.get("tanggal_publikasi") or "").strip())
        except ValueError:  # a date that does not exist, such as 2026-02-30
            day = None
        if day is None:
            day = timezone.localtime(step.started_at or ticket.received_at).date() + PLAN_AFTER
        return {
            "title": fields.get("judul", "") or ticket.subject,
            "brief": fields.get("uraian", ""),
            "channel": REQUESTED_CHANNEL.get(str(fields.get("media", "")), Channel.OTHER),
            "planned_at": timezone.localtime(timezone.make_aware(datetime.combine(day, PLAN_HOUR))),
        }


class ReviewStepForm(_Form):
    """PR.27.4's second step: how the schedule with this item was reviewed."""

    kind = forms.ChoiceField(label=gettext_lazy("How it was reviewed"), choices=Review.Kind.choices)
    held_at = forms.DateTimeField(label=gettext_lazy("Held at"), widget=DATETIME)
    decisions = forms.CharField(
        label=gettext_lazy("Decisions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"kind": Review.Kind.MEETING, "held_at": timezone.localtime(step.started_at)},
        )
        super().__init__(*args, **kwargs)
