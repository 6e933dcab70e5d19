"""What a service promises the requester, in plain words: "dijawab dalam 15 menit kerja;
selesai dalam 3 hari kerja", and when exactly: "Kamis, 26 November 2026 pukul 07.40".

Pure: no ORM, no clock. Every phrase is interface text built with gettext, so the
portal reads the same in Indonesian and in English. (``pintu.sop.diagram`` writes
durations the way the paper SOP does, always in Indonesian: that is document text.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.utils import dateformat
from django.utils.functional import Promise as LazyString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from pintu.sop.grammar import parse_duration

# The number fills %(count)s and picks the plural form.
_WORKING: dict[str, LazyString] = {
    "m": ngettext_lazy("%(count)s working minute", "%(count)s working minutes", "count"),
    "h": ngettext_lazy("%(count)s working hour", "%(count)s working hours", "count"),
    "d": ngettext_lazy("%(count)s working day", "%(count)s working days", "count"),
    "w": ngettext_lazy("%(count)s working week", "%(count)s working weeks", "count"),
    "mo": ngettext_lazy("%(count)s working month", "%(count)s working months", "count"),
}
_CALENDAR: dict[str, LazyString] = {
    "m": ngettext_lazy("%(count)s minute", "%(count)s minutes", "count"),
    "h": ngettext_lazy("%(count)s hour", "%(count)s hours", "count"),
    "d": ngettext_lazy("%(count)s day", "%(count)s days", "count"),
    "w": ngettext_lazy("%(count)s week", "%(count)s weeks", "count"),
    "mo": ngettext_lazy("%(count)s month", "%(count)s months", "count"),
}


def target_words(target: str, clock: str = "working") -> str:
    """``3d`` on the working clock → "3 hari kerja"; on the calendar clock → "3 hari"."""
    amount, unit = parse_duration(target)
    words = _CALENDAR if clock == "calendar" else _WORKING
    return str(words[unit] % {"count": amount})


@dataclass(frozen=True)
class ServicePromise:
    """A service type's two time standards, in words."""

    first_response: str  # "dijawab dalam 15 menit kerja"
    resolution: str  # "selesai dalam 3 hari kerja"

    def __str__(self) -> str:
        return f"{self.first_response}; {self.resolution}"


def service_promise(first_response: str, resolution: str, clock: str = "working") -> ServicePromise:
    return ServicePromise(
        first_response=_("answered within %(duration)s")
        % {"duration": target_words(first_response, clock)},
        resolution=_("done within %(duration)s") % {"duration": target_words(resolution, clock)},
    )


def moment_words(moment: datetime, tz: tzinfo) -> str:
    """A deadline as a person reads it, in the unit's time zone: "Kamis, 26 November 2026
    pukul 07.40" (day and month names from Django's own catalogue)."""
    local = moment.astimezone(tz)
    return _("%(date)s at %(hour)s:%(minute)s") % {
        "date": dateformat.format(local, "l, j F Y"),
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
    }
