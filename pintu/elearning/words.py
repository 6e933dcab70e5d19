"""Moodle's course data as people read it: each identity field by its name and each value
in words (a date for a Unix time, shown or hidden, a category by its name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pintu.elearning.protocol import IDENTITY_FIELDS, from_moodle_time, identity_changes

FIELD_LABELS = {
    "fullname": gettext_lazy("Full name"),
    "shortname": gettext_lazy("Short name"),
    "idnumber": gettext_lazy("ID number"),
    "categoryid": gettext_lazy("Category"),
    "summary": gettext_lazy("Summary"),
    "startdate": gettext_lazy("Start date"),
    "enddate": gettext_lazy("End date"),
    "visible": gettext_lazy("Shown to students"),
}
assert set(FIELD_LABELS) == set(IDENTITY_FIELDS)


def value_words(field: str, value: Any, categories: Mapping[int, str] | None = None) -> str:
    if field in ("startdate", "enddate"):
        moment = from_moodle_time(int(value or 0))
        return date_format(timezone.localtime(moment), "j F Y") if moment else "—"
    if field == "visible":
        return _("shown") if int(value or 0) else _("hidden")
    if field == "categoryid" and categories and int(value or 0) in categories:
        return f"{categories[int(value)]} ({value})"
    return str(value) if value not in (None, "") else "—"


def change_lines(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    categories: Mapping[int, str] | None = None,
) -> list[str]:
    """One line per field that differs, "Full name: old → new"; without a ``before``,
    the new values alone."""
    if before is None:
        return [
            f"{FIELD_LABELS[field]}: {value_words(field, value, categories)}"
            for field, value in after.items()
        ]
    return [
        f"{FIELD_LABELS[change.field]}: {value_words(change.field, change.before, categories)}"
        f" → {value_words(change.field, change.after, categories)}"
        for change in identity_changes(before, after)
    ]
