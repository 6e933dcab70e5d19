"""The forms of PR.13.2's steps: the course change and the announcement P4M approves."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.elearning import selectors
from pintu.elearning.models import Course, Release
from pintu.elearning.protocol import moodle_time
from pintu.elearning.services.changes import course_identity

# What the request form's "Data yang diubah" names (PR.13.2.yaml), as Moodle's field.
REQUESTED_FIELD = {
    "Nama lengkap mata kuliah": "fullname",
    "Nama singkat (kode) mata kuliah": "shortname",
    "Nomor ID mata kuliah": "idnumber",
    "Kategori": "categoryid",
    "Ringkasan": "summary",
    "Tanggal mulai": "startdate",
    "Tanggal selesai": "enddate",
    "Tampil atau tersembunyi": "visible",
}
_HIDDEN_WORDS = re.compile(r"sembunyi|tutup|tidak\s+tampil|hidden|hide", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def _requested_date(text: str) -> date | None:
    """A date as a requester writes it: 2026-08-17 or 17/08/2026."""
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    try:
        return parse_date(text.strip())
    except ValueError:
        return None


def _start_of(day: date | None) -> int:
    """The Unix time of a day's first moment in Pintu's time zone (0 for none)."""
    if day is None:
        return 0
    return moodle_time(timezone.make_aware(datetime.combine(day, time.min)))


class CourseChangeForm(forms.Form):
    """The change to approve, filled in from the request (its course code, the data it
    names and the new value) so that staff check rather than retype. Left empty, a field
    keeps its value."""

    course = forms.CharField(
        label=gettext_lazy("Course"),
        max_length=300,
        help_text=gettext_lazy(
            "Its short name or ID number in Moodle (site:name when several sites have it)."
        ),
    )
    fullname = forms.CharField(label=gettext_lazy("New full name"), max_length=254, required=False)
    shortname = forms.CharField(
        label=gettext_lazy("New short name"), max_length=255, required=False
    )
    idnumber = forms.CharField(label=gettext_lazy("New ID number"), max_length=100, required=False)
    categoryid = forms.TypedChoiceField(
        label=gettext_lazy("New category"), coerce=int, empty_value=None, required=False
    )
    summary = forms.CharField(
        label=gettext_lazy("New summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    startdate = forms.DateField(
        label=gettext_lazy("New start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    enddate = forms.DateField(
        label=gettext_lazy("New end date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visible = forms.TypedChoiceField(
        label=gettext_lazy("Shown to students"),
        choices=[
            ("", gettext_lazy("unchanged")),
            ("1", gettext_lazy("shown")),
            ("0", gettext_lazy("hidden")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("initial", self._from_request(step.ticket.fields))
        super().__init__(*args, **kwargs)
        names = sorted(set(self._categories()), key=lambda pair: pair[1])
        field = self.fields["categoryid"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("unchanged"))] + [
            (category, f"{name} ({category})") for category, name in names
        ]
        self.courses = selectors.courses()[:2000]  # offered as the course field's list

    @staticmethod
    def _categories() -> list[tuple[int, str]]:
        return [
            (category, name)
            for site in selectors.sites()
            for category, name in selectors.categories(site).items()
        ]

    def _from_request(self, fields: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "course": fields.get("kode_mata_kuliah", ""),
            "reason": fields.get("alasan", ""),
        }
        field = REQUESTED_FIELD.get(str(fields.get("data", "")))
        wanted = str(fields.get("nilai_baru", "")).strip()
        if field is None or not wanted:
            return initial
        if field in ("startdate", "enddate"):
            initial[field] = _requested_date(wanted)
        elif field == "visible":
            initial[field] = "0" if _HIDDEN_WORDS.search(wanted) else "1"
        elif field == "categoryid":
            initial[field] = next(
                (c for c, name in self._categories() if name.casefold() == wanted.casefold()),
                None,
            )
        else:
            initial[field] = wanted
        return initial

    def clean_course(self) -> Course:
        text = self.cleaned_data["course"].strip()
        site_name, _colon, name = text.rpartition(":")
        found = list(selectors.courses_named(name, site=site_name)[:2])
        if not found:
            raise forms.ValidationError(
                _(
                    "No course %(name)s is in the course list: synchronise the site or check "
                    "the name."
                )
                % {"name": text}
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several sites have %(name)s: write it as site:name, e.g. %(example)s.")
                % {"name": text, "example": f"{found[0].site.name}:{name}"}
            )
        return found[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        course = data.get("course")
        if not isinstance(course, Course):
            return data
        wanted: dict[str, Any] = {}
        for field in ("fullname", "shortname", "idnumber", "summary"):
            if data.get(field, "").strip():
                wanted[field] = data[field].strip()
        for field in ("categoryid", "visible"):
            if data.get(field) is not None:
                wanted[field] = data[field]
        for field in ("startdate", "enddate"):
            if data.get(field):
                wanted[field] = _start_of(data[field])
        current = course_identity(course)
        data["changes"] = {key: value for key, value in wanted.items() if current[key] != value}
        if not data["changes"]:
            raise forms.ValidationError(
                _("Give at least one new value that differs from the course's.")
            )
        return data

    def current(self) -> Course | None:
        """The course the form names, as the course list holds it (for the panel)."""
        site_name, _colon, name = str(self["course"].value() or "").rpartition(":")
        return selectors.courses_named(name, site=site_name).first() if name.strip() else None


class OptionalChoices(forms.ModelMultipleChoiceField):
    """Choices posted as data rather than by a browser may arrive as one value, or as an
    empty one for none (a browser leaves unticked boxes out)."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, str):
            value = [value] if value else []
        return super().clean(value)


# An announcement whose request names a day but no hour appears at the start of the
# working day (Pintu's choice).
MORNING = time(7, 0)


class AnnouncementForm(forms.Form):
    """The announcement to approve, filled in from the request (its title, its text, the
    course it names, the day it should appear)."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("HTML is allowed: paragraphs, lists, links, bold and italics."),
    )
    front_page = forms.BooleanField(label=gettext_lazy("On the site's front page"), required=False)
    courses = forms.CharField(
        label=gettext_lazy("In the courses"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Their short names or ID numbers, separated by commas."),
    )
    releases = OptionalChoices(
        label=gettext_lazy("It announces these releases (B.4.6.4.g)"),
        queryset=Release.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("A moment already past publishes it at once."),
    )

    def __init__(self, *args: Any, step: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("initial", self._from_request(step))
        super().__init__(*args, **kwargs)
        self.courses_offered = selectors.courses()[:2000]
        releases = self.fields["releases"]
        assert isinstance(releases, OptionalChoices)
        releases.queryset = selectors.releases_waiting()

    @staticmethod
    def _from_request(step: Any) -> dict[str, Any]:
        fields = step.ticket.fields
        named = _named_courses(str(fields.get("mata_kuliah", "")))
        day = _requested_date(str(fields.get("tanggal_tayang", "")))
        # From the request alone, never the clock: the day it asks for, else when the
        # step began (a moment past: at once).
        when = timezone.make_aware(datetime.combine(day, MORNING)) if day else step.started_at
        return {
            "title": fields.get("judul", "") or step.ticket.subject,
            "body": linebreaks(str(fields.get("isi", "")), autoescape=True),
            "front_page": not named,
            "courses": ", ".join(course.shortname for course in named),
            "publish_at": timezone.localtime(when) if when else None,
        }

    def clean_courses(self) -> list[Course]:
        found: list[Course] = []
        unknown: list[str] = []
        for name in _names(self.cleaned_data["courses"]):
            site_name, _colon, short = name.rpartition(":")
            course = selectors.courses_named(short, site=site_name).first()
            if course is None:
                unknown.append(name)
            else:
                found.append(course)
        if unknown:
            raise forms.ValidationError(
                _("Not in the course list: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        courses = data.get("courses") or []
        sites = {course.site for course in courses}
        if len(sites) > 1:
            raise forms.ValidationError(_("One announcement goes to the courses of one site."))
        if not sites and data.get("front_page"):
            known = list(selectors.sites()[:2])
            if len(known) != 1:
                raise forms.ValidationError(
                    _("Name a course (site:name) so that the front page's site is known.")
                )
            sites = set(known)
        data["site"] = next(iter(sites), None)
        return data


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _named_courses(text: str) -> list[Course]:
    """The courses a requester names, "IF201 Pemrograman Web, IF305": each part by its
    first word or whole."""
    found = []
    for part in _names(text):
        for name in (part, part.split()[0]):
            course = selectors.courses_named(name).first()
            if course is not None:
                found.append(course)
                break
    return found


class ReleaseForm(forms.Form):
    """A published feature or change of an information system, for the register."""

    system = forms.CharField(label=gettext_lazy("Information system"), max_length=200)
    feature = forms.CharField(
        label=gettext_lazy("Feature or change"), widget=forms.Textarea(attrs={"rows": 2})
    )
    published_at = forms.DateTimeField(
        label=gettext_lazy("Published at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reference = forms.CharField(
        label=gettext_lazy("Request (if one asked for its announcement)"),
        max_length=32,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_reference(self) -> Any:
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            return None
        ticket = selectors.ticket_by_reference(reference)
        if ticket is None:
            raise forms.ValidationError(_("There is no request %(ref)s.") % {"ref": reference})
        return ticket


class ReleaseAnnouncedForm(forms.Form):
    """An announcement of a release made outside the e-learning platform."""

    where = forms.CharField(label=gettext_lazy("Announced where"), max_length=300)
    url = forms.URLField(
        label=gettext_lazy("Its address"), max_length=500, required=False, assume_scheme="https"
    )
    at = forms.DateTimeField(
        label=gettext_lazy("Announced at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
