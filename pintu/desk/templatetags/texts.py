"""``{% load texts %}``: ``message|folded`` splits a long message into the part shown and
the part behind "tampilkan semua" (``pintu.desk.texts.fold``)."""

from __future__ import annotations

from django import template

from pintu.desk.texts import fold

register = template.Library()


@register.filter
def folded(text: str) -> tuple[str, str]:
    return fold(text or "")
