"""A moment as people read it, the same on every page: "1 Des 2026 19.21", with its zone
("WIB") where it matters, in the time zone of the unit whose page it is.

Pure: no ORM, no clock read. Month names and the time's separator come from the page's
language (Django's catalogue and ours).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from django.utils import dateformat
from django.utils.translation import gettext as _


def stamp(moment: datetime, tz: tzinfo, *, zone: bool = True) -> str:
    """``moment`` in ``tz``: "1 Des 2026 19.21 WIB" (without "WIB" when ``zone`` is
    off, for lists whose zone the page says once)."""
    local = moment.astimezone(tz)
    text = _("%(date)s %(hour)s:%(minute)s") % {
        "date": dateformat.format(local, "j M Y"),
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
    }
    return f"{text} {local.tzname()}" if zone else text


def month_short(number: int) -> str:
    """A month's short name in the page's language ("Jan", "Agu"), 1-12."""
    return dateformat.format(date(2000, number, 1), "M")
