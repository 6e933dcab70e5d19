"""``{% load words %}``: lengths of time in words, e.g. the lockout page's cool-off."""

from __future__ import annotations

from datetime import timedelta

from django import template

from pintu.site.words import timedelta_words

register = template.Library()


@register.filter
def duration(delta: timedelta | None) -> str:
    """``{{ cooloff_timedelta|duration }}`` → "15 menit"; nothing for no value."""
    return timedelta_words(delta) if delta is not None else ""
