"""``{% load moments %}``: ``{{ moment|stamp }}`` ("1 Des 2026 19.21") and
``{{ moment|stamp_zone }}`` ("1 Des 2026 19.21 WIB") in the page's time zone (a unit's
pages activate the unit's; see ``pintu.core.moments``)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from pintu.core.moments import stamp as stamp_words

register = template.Library()


@register.filter
def stamp(moment: datetime | None) -> str:
    return stamp_words(moment, timezone.get_current_timezone(), zone=False) if moment else ""


@register.filter
def stamp_zone(moment: datetime | None) -> str:
    return stamp_words(moment, timezone.get_current_timezone()) if moment else ""
