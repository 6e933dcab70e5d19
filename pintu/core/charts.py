"""Charts drawn on the server as SVG: bars by month, by request type, by door. They read
on a phone (they scale to the width), when printed (no colour carries meaning alone:
values are written on the bars) and without JavaScript.

Pure: no ORM; text is escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from pintu.core.moments import month_short

BAR = 18  # height of a horizontal bar
LABEL_ROW = 16  # the label's line above its bar
GAP = 10
WIDTH = 640
VALUE_ROOM = 70  # room after the longest bar for its value


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""  # what is written on the bar; the value when empty
    mark: str = ""  # "met", "missed": a class for the bar


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def bars(
    items: Sequence[Bar], *, title: str, limit: float | None = None, line: float | None = None
) -> str:
    """Horizontal bars, one per item under its label (a long label keeps its words on a
    phone), longest to ``limit`` (the largest value when not given); ``line`` draws a
    target across them (e.g. 100 %)."""
    top = limit if limit is not None else max((item.value for item in items), default=0) or 1
    room = WIDTH - VALUE_ROOM
    row = LABEL_ROW + BAR + GAP
    height = len(items) * row + GAP
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    for index, item in enumerate(items):
        y = GAP + index * row
        length = max(0.0, min(item.value, top)) / top * room
        css = f"bar {item.mark}".strip()
        parts.append(f'<text class="label" x="0" y="{y + 12}">{escape(item.label[:90])}</text>')
        parts.append(
            f'<rect class="{css}" x="0" y="{y + LABEL_ROW}" width="{length:.1f}" '
            f'height="{BAR}" rx="3"/>'
        )
        parts.append(
            f'<text class="value" x="{length + 6:.1f}" y="{y + LABEL_ROW + BAR * 0.75:.1f}">'
            f"{escape(item.text or _number(item.value))}</text>"
        )
    if line is not None and top:
        x = min(line, top) / top * room
        parts.append(f'<line class="target" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}"/>')
    parts.append("</svg>")
    return "".join(parts)


def columns(
    values: Sequence[tuple[str, float | None]], *, title: str, limit: float | None = None
) -> str:
    """Vertical columns (months of a year); a missing value leaves its column empty."""
    height, base, room = 200, 170, 150
    width = WIDTH
    step = (width - 40) / max(len(values), 1)
    top = limit if limit is not None else max((v or 0 for _, v in values), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="20" y1="{base}" x2="{width - 20}" y2="{base}"/>',
    ]
    for index, (label, value) in enumerate(values):
        x = 20 + index * step
        parts.append(
            f'<text class="label" x="{x + step / 2:.1f}" y="{base + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        if value is None:
            continue
        length = max(0.0, min(value, top)) / top * room
        parts.append(
            f'<rect class="bar" x="{x + step * 0.15:.1f}" y="{base - length:.1f}" '
            f'width="{step * 0.7:.1f}" height="{length:.1f}" rx="2"/>'
        )
        parts.append(
            f'<text class="value" x="{x + step / 2:.1f}" y="{base - length - 4:.1f}" '
            f'text-anchor="middle">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def by_month(values: Mapping[int, float | None], *, title: str, limit: float | None = None) -> str:
    """Twelve columns, January to December; a month without a value stays empty."""
    return columns(
        [(month_short(m), values.get(m)) for m in range(1, 13)], title=title, limit=limit
    )


def share_by_month(code: str, values: Mapping[int, float | None]) -> str:
    """A KPI's percentage month by month, to 100."""
    return by_month(values, title=_("%(code)s by month (%%)") % {"code": code}, limit=100)
