"""Small charts drawn on the server as SVG: bars of counts (partners by level, by country)
and columns of shares against a target (coverage by year).

Pure: plain values in, an SVG string out, so that the page, its print and the tests draw
the same thing, and no chart library or CDN is needed. Every chart carries a title and a
description for screen readers; the page puts the same figures in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FONT = "DejaVu Sans, Verdana, sans-serif"
INK = "#1d2430"
MUTED = "#5b6575"
LINE = "#d7dce3"
BAR = "#0b5cad"
MET = "#1d7a3a"
SHORT = "#b3261e"
TARGET = "#c27c00"
TEXT = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class Column:
    """One year of a share against its target (None: no target that year)."""

    label: str
    value: float | None  # percent; None when nothing was counted
    target: float | None


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _count(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def _svg(width: float, height: float, title: str, description: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" class="chart" '
        f'font-family={quoteattr(FONT)} font-size="{TEXT}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def bars(values: Sequence[Bar], *, title: str, width: float = 420) -> str:
    """Horizontal bars, one row per value, the count at the bar's end."""
    label_w = min(180.0, max([60.0, *(7.0 * len(bar.label) for bar in values)]))
    row, gap = 22.0, 8.0
    top = 4.0
    height = top + len(values) * (row + gap) + 4
    room = width - label_w - 52
    largest = max([1.0, *(bar.value for bar in values)])
    body = []
    for i, bar in enumerate(values):
        y = top + i * (row + gap)
        length = room * bar.value / largest
        label = bar.label if len(bar.label) <= 26 else bar.label[:25] + "…"
        body.append(
            f'<text x="{_num(label_w - 6)}" y="{_num(y + row * 0.68)}" text-anchor="end" '
            f'fill="{INK}">{escape(label)}</text>'
            f'<rect x="{_num(label_w)}" y="{_num(y)}" width="{_num(max(length, 1))}" '
            f'height="{_num(row)}" rx="3" fill="{BAR}"/>'
            f'<text x="{_num(label_w + length + 6)}" y="{_num(y + row * 0.68)}" '
            f'fill="{INK}">{_count(bar.value)}</text>'
        )
    description = "; ".join(f"{bar.label}: {_count(bar.value)}" for bar in values)
    return _svg(width, max(height, 30), title, description, body)


def columns(values: Sequence[Column], *, title: str, width: float = 520) -> str:
    """Columns of a percentage per year, green where the year met its target and red
    where it fell short, with the target as a tick across each column."""
    height, bottom, left, top = 220.0, 24.0, 34.0, 14.0
    plot_h = height - bottom - top
    slot = (width - left - 8) / max(1, len(values))
    body = []
    for percent in (0, 50, 100):
        y = top + plot_h * (1 - percent / 100)
        body.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(width - 8)}" y2="{_num(y)}" '
            f'stroke="{LINE}"/>'
            f'<text x="{_num(left - 4)}" y="{_num(y + 4)}" text-anchor="end" '
            f'fill="{MUTED}" font-size="10">{percent}%</text>'
        )
    described = []
    for i, column in enumerate(values):
        x = left + i * slot + slot * 0.2
        w = slot * 0.6
        centre = x + w / 2
        body.append(
            f'<text x="{_num(centre)}" y="{_num(height - 8)}" text-anchor="middle" '
            f'fill="{INK}">{escape(column.label)}</text>'
        )
        words = f"{column.label}: "
        if column.value is not None:
            h = plot_h * min(column.value, 100) / 100
            met = column.target is None or column.value >= column.target
            body.append(
                f'<rect x="{_num(x)}" y="{_num(top + plot_h - h)}" width="{_num(w)}" '
                f'height="{_num(max(h, 1))}" rx="2" fill="{MET if met else SHORT}"/>'
                f'<text x="{_num(centre)}" y="{_num(top + plot_h - h - 3)}" '
                f'text-anchor="middle" fill="{INK}" font-size="10">{_num(column.value)}%</text>'
            )
            words += f"{_num(column.value)}%"
        else:
            words += "—"
        if column.target is not None:
            y = top + plot_h * (1 - column.target / 100)
            body.append(
                f'<line x1="{_num(x - 3)}" y1="{_num(y)}" x2="{_num(x + w + 3)}" '
                f'y2="{_num(y)}" stroke="{TARGET}" stroke-width="3"/>'
            )
            words += f" ({_num(column.target)}%)"
        described.append(words)
    return _svg(width, height, title, "; ".join(described), body)
