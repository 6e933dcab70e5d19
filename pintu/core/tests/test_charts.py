"""The server-drawn charts: values written on them, text escaped, lengths to scale."""

from __future__ import annotations

import re

from pintu.core import charts


def widths(svg: str) -> list[float]:
    return [
        float(w)
        for w in re.findall(r'<rect class="[^"]*" x="[^"]*" y="[^"]*" width="([0-9.]+)"', svg)
    ]


def test_bars_scale_to_the_largest_and_write_each_value() -> None:
    svg = charts.bars([charts.Bar("Web", 40), charts.Bar("E-mail", 10)], title="Pintu")
    assert widths(svg) == [charts.WIDTH - charts.VALUE_ROOM, (charts.WIDTH - charts.VALUE_ROOM) / 4]
    assert ">40<" in svg and ">10<" in svg and 'aria-label="Pintu"' in svg


def test_a_label_is_text_never_markup() -> None:
    svg = charts.bars([charts.Bar("<script>x</script>", 1)], title="a & b")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_a_month_without_a_value_has_no_column() -> None:
    svg = charts.by_month({1: 50.0, 3: 100.0}, title="B.4.6.4.a", limit=100)
    assert len(widths(svg)) == 2
    assert svg.count('class="label"') == 12  # every month is named
