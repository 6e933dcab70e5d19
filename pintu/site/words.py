"""Lengths of time as people read them, in the language of the page (moments are
``pintu.core.moments``'s).

Pure: no ORM, no clock. A length of time is said with the phrases the portal promises
its times in (``pintu.desk.promises``), so "15 menit" reads the same on every page.
"""

from __future__ import annotations

import math
from datetime import timedelta

from pintu.desk.promises import target_words

_UNITS = (("d", 24 * 60), ("h", 60), ("m", 1))


def timedelta_words(delta: timedelta) -> str:
    """``timedelta(minutes=90)`` → "1 jam 30 menit", largest unit first. Rounded up to
    whole minutes, at least one: it says how long someone has to wait."""
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    parts = []
    for unit, size in _UNITS:
        amount, minutes = divmod(minutes, size)
        if amount:
            parts.append(target_words(f"{amount}{unit}", clock="calendar"))
    return " ".join(parts)
