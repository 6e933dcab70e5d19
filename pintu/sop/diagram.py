"""Draws an SOP's flow diagram (Diagram Alir) from its definition as SVG swimlanes.

The paper SOPs lost their diagrams when they were extracted from PDF; the activities,
actors and branches are all in the definition, so the picture is redrawn from them. Pure:
plain data in, an SVG string out, so the page, the PDF and the tests draw the same thing.
"""

from __future__ import annotations

import hashlib
import itertools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from pintu.sop.definition import DURATION_RE, Activity, Definition, Role, Service

START = "start"
END = "end"

# Mutu Baku times are written the way the paper SOPs write them ("15 menit"): they are
# part of the controlled document, not interface text.
_DURATION_WORDS = {"m": "menit", "h": "jam", "d": "hari", "w": "minggu", "mo": "bulan"}

FONT = "DejaVu Sans, Verdana, sans-serif"
INK = "#1d2430"
LINE = "#9aa5b4"
ACCENT = "#0b5cad"
LANE_FILLS = ("#f4f6f9", "#ffffff")
LABEL_FILL = "#e9edf3"
LABEL_BG = "#fff8e1"
LABEL_LINE = "#c99a2e"

LABEL_W = 128  # lane label column
LABEL_WRAP = 15
BOX_W = 156
GAP = 56  # between columns; arrows turn in the middle of it
MARKER_W = 28  # start and end markers
TEXT_SIZE = 12
LINE_H = 15
WRAP = 22  # characters per line inside a box
BOX_PAD = 12
BOX_MIN_H = 60
LANE_PAD = 36  # above and below the tallest box: room for corridors and labels
PORT_STEP = 22  # vertical spacing of several arrows leaving one box
CORRIDOR = 8  # distance of a corridor from its lane's edge
CORRIDOR_STEP = 5  # each further arrow on a corridor moves this much inwards
ENTRY = 16  # arrows drop to their target this far before it


def duration_words(value: str | None) -> str:
    """``15m`` → ``15 menit``; an empty time standard gives an empty string."""
    if not value:
        return ""
    match = DURATION_RE.match(value)
    if match is None:
        return value
    return f"{match['amount']} {_DURATION_WORDS[match['unit']]}"


@dataclass(frozen=True)
class Flow:
    """One activity list and the request types (services) that follow it."""

    services: tuple[Service, ...]
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class Edge:
    source: str  # activity key or START
    target: str  # activity key or END
    label: str = ""


def flows(definition: Definition) -> tuple[Flow, ...]:
    """The SOP's flows: services sharing one activity list share one flow.

    Activities that no service lists (an annual report, say) form a last flow, together
    with the services that list no activities of their own.
    """
    groups: dict[tuple[str, ...], list[Service]] = {}
    for service in definition.services:
        if service.activities:
            groups.setdefault(service.activities, []).append(service)
    result = [
        Flow(tuple(services), tuple(definition.activity(key) for key in keys))
        for keys, services in groups.items()
    ]
    claimed = {key for keys in groups for key in keys}
    rest = tuple(a for a in definition.activities if a.key not in claimed)
    if rest:
        unlisted = tuple(s for s in definition.services if not s.activities)
        result.append(Flow(unlisted, rest))
    return tuple(result)


def flow_edges(activities: Sequence[Activity]) -> tuple[Edge, ...]:
    """The arrows of a flow, from the start marker to the end marker.

    A step leads to its ``next`` branches when it has any, to the end marker when it
    closes the flow (``end``, as the grant and refuse alternatives do), and otherwise to
    the following step.
    """
    keys = [a.key for a in activities]
    edges = [Edge(START, keys[0])] if keys else []
    for index, activity in enumerate(activities):
        if activity.next:
            # A branch to a step outside this flow ends the flow here.
            edges.extend(
                Edge(activity.key, b.to if b.to in keys else END, b.when) for b in activity.next
            )
        elif activity.end or index + 1 == len(keys):
            edges.append(Edge(activity.key, END))
        else:
            edges.append(Edge(activity.key, keys[index + 1]))
    return tuple(edges)


def flow_title(definition: Definition, flow: Flow) -> str:
    names = ", ".join(service.name for service in flow.services)
    return f"{definition.code} {definition.title}" + (f": {names}" if names else "")


@dataclass(frozen=True)
class _Node:
    left: float
    right: float
    y: float  # centre line
    lane: int
    gap: float  # free space after the node, up to the next column


@dataclass(frozen=True)
class _Layout:
    lanes: tuple[Role, ...]
    lane_top: tuple[float, ...]
    lane_h: tuple[float, ...]
    nodes: dict[str, _Node]
    box_lines: dict[str, list[str]]
    box_h: dict[str, float]
    width: float
    height: float


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters; long words break after a slash first."""
    marked = " ".join(text.split()).replace("/", "/\x1f ")
    lines = textwrap.wrap(marked, width=width, break_long_words=True)
    return [line.replace("/\x1f ", "/").replace("\x1f", "") for line in lines] or [""]


def _pill_width(content: str) -> float:
    return len(content) * 6.3 + 14


def _layout(
    definition: Definition, activities: Sequence[Activity], edges: Sequence[Edge]
) -> _Layout:
    """Lanes top to bottom in the SOP's role order; one column per activity, left to right.

    The gap after a decision widens so that its branch labels sit on their own arrows.
    """
    used = {a.actor for a in activities}
    lanes = [role for role in definition.roles if role.key in used]
    # A validated definition declares every actor; an undeclared one still gets a lane.
    lanes += [Role(key, key) for key in sorted(used - {role.key for role in lanes})]
    lane_of = {role.key: index for index, role in enumerate(lanes)}

    box_lines = {a.key: _wrap(a.description, WRAP) for a in activities}
    box_h = {
        key: float(max(BOX_MIN_H, len(v) * LINE_H + 2 * BOX_PAD)) for key, v in box_lines.items()
    }
    lane_h = [
        max([BOX_MIN_H] + [box_h[a.key] for a in activities if a.actor == role.key]) + 2 * LANE_PAD
        for role in lanes
    ]
    lane_top = [sum(lane_h[:index]) for index in range(len(lanes))]
    gap = dict.fromkeys([START, *(a.key for a in activities)], float(GAP))
    for edge in edges:
        if edge.label:
            gap[edge.source] = max(gap[edge.source], _pill_width(edge.label) + 2 * ENTRY + 20)

    nodes: dict[str, _Node] = {}
    x = float(LABEL_W + 20)
    columns = [(START, MARKER_W, activities[0].actor)]
    columns += [(a.key, BOX_W, a.actor) for a in activities]
    columns += [(END, MARKER_W, activities[-1].actor)]
    for key, width, actor in columns:
        lane = lane_of[actor]
        after = gap.get(key, 0.0)
        nodes[key] = _Node(x, x + width, lane_top[lane] + lane_h[lane] / 2, lane, after)
        x += width + after
    return _Layout(
        lanes=tuple(lanes),
        lane_top=tuple(lane_top),
        lane_h=tuple(lane_h),
        nodes=nodes,
        box_lines=box_lines,
        box_h=box_h,
        width=x + 20,
        height=sum(lane_h),
    )


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    attrs = "".join(f" {name.replace('_', '-')}={quoteattr(v)}" for name, v in attributes.items())
    return f'<text x="{_num(x)}" y="{_num(y)}"{attrs}>{escape(content)}</text>'


def _pill(
    x: float, y: float, content: str, fill: str, stroke: str, ink: str, **attributes: str
) -> str:
    """A rounded label centred on (x, y), sized to its text."""
    width = _pill_width(content)
    return (
        f'<rect x="{_num(x - width / 2)}" y="{_num(y - 9)}" width="{_num(width)}" height="18" '
        f'rx="9" fill="{fill}" stroke="{stroke}"/>'
        + _text(x, y + 4, content, text_anchor="middle", font_size="11", fill=ink, **attributes)
    )


def _route(
    source: _Node, target: _Node, port: float, turn: float, corridor: float
) -> list[tuple[float, float]]:
    """Orthogonal path: leave right at ``port``, turn down or up at ``turn``, enter left.

    Arrows that skip columns or go back run along ``corridor``, a line at a lane's edge
    clear of the boxes, and drop to their target just before it.
    """
    start, end = (source.right, port), (target.left, target.y)
    if source.right < target.left <= source.right + source.gap + 1:  # next column
        if port == target.y:
            return [start, end]
        return [start, (turn, port), (turn, target.y), end]
    entry = target.left - ENTRY
    return [start, (turn, port), (turn, corridor), (entry, corridor), (entry, target.y), end]


def _label_at(points: list[tuple[float, float]], width: float) -> tuple[float, float]:
    """Where an arrow's label goes: on its first leg when it fits, else its longest leg."""
    (x1, y1), (x2, y2) = points[0], points[1]
    if abs(x2 - x1) < width + 8:
        (x1, y1), (x2, y2) = max(
            itertools.pairwise(points),
            key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1]),
        )
    return (x1 + x2) / 2, (y1 + y2) / 2


def _draw_lanes(layout: _Layout) -> list[str]:
    parts = []
    for index, role in enumerate(layout.lanes):
        top, h = layout.lane_top[index], layout.lane_h[index]
        parts.append(
            f'<g class="lane"><rect x="0" y="{_num(top)}" width="{_num(layout.width)}" '
            f'height="{_num(h)}" fill="{LANE_FILLS[index % 2]}" stroke="{LINE}"/>'
            f'<rect x="0" y="{_num(top)}" width="{LABEL_W}" height="{_num(h)}" '
            f'fill="{LABEL_FILL}" stroke="{LINE}"/>'
        )
        lines = _wrap(role.name, LABEL_WRAP)
        first_y = top + h / 2 - (len(lines) - 1) * LINE_H / 2 + 4
        parts.extend(
            _text(LABEL_W / 2, first_y + n * LINE_H, line, text_anchor="middle", font_weight="bold")
            for n, line in enumerate(lines)
        )
        parts.append("</g>")
    return parts


def _draw_edges(layout: _Layout, edges: Sequence[Edge], arrow: str) -> tuple[list[str], list[str]]:
    """The arrows, and their labels (drawn last, above the boxes)."""
    nodes = layout.nodes
    outgoing: dict[str, list[Edge]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source, []).append(edge)
    corridor_use: dict[float, int] = {}
    paths, labels = [], []
    for edge in edges:
        source, target = nodes[edge.source], nodes[edge.target]
        siblings = outgoing[edge.source]
        rank = siblings.index(edge)
        offset = (rank - (len(siblings) - 1) / 2) * PORT_STEP
        # Labelled arrows (a decision's branches) run on long first legs that carry their
        # labels and turn just before the next column, the lower ones a little earlier.
        if edge.label:
            turn = source.right + source.gap - ENTRY - 10 * rank
        else:
            turn = source.right + source.gap / 2
        # Jumps run along the edge of a lane on the side they leave from, so that the
        # branches of a decision never cross: lower ports and backward arrows below.
        forward = target.left > source.right
        below = offset > 0 or not forward
        lane = target.lane if forward else max(source.lane, target.lane)
        top, h = layout.lane_top[lane], layout.lane_h[lane]
        base = top + h - CORRIDOR if below else top + CORRIDOR
        taken = corridor_use.get(base, 0)
        corridor_use[base] = taken + 1
        corridor = base + (-1 if below else 1) * CORRIDOR_STEP * taken
        points = _route(source, target, source.y + offset, turn, corridor)
        d = " ".join(
            ("M" if n == 0 else "L") + f"{_num(px)},{_num(py)}" for n, (px, py) in enumerate(points)
        )
        paths.append(
            f'<path class="edge" d="{d}" fill="none" stroke="{INK}" stroke-width="1.4" '
            f'marker-end="url(#{arrow})"/>'
        )
        if edge.label:
            x, y = _label_at(points, _pill_width(edge.label))
            labels.append(
                '<g class="edge-label">'
                + _pill(x, y, edge.label, LABEL_BG, LABEL_LINE, INK, font_style="italic")
                + "</g>"
            )
    return paths, labels


def _draw_markers(layout: _Layout) -> list[str]:
    start, end = layout.nodes[START], layout.nodes[END]
    sx, ex = start.left + MARKER_W / 2, end.left + MARKER_W / 2
    return [
        f'<g class="start"><title>Mulai</title>'
        f'<circle cx="{_num(sx)}" cy="{_num(start.y)}" r="10" fill="{INK}"/></g>',
        f'<g class="end"><title>Selesai</title>'
        f'<circle cx="{_num(ex)}" cy="{_num(end.y)}" r="13" fill="#ffffff" stroke="{INK}" '
        f'stroke-width="2"/><circle cx="{_num(ex)}" cy="{_num(end.y)}" r="7" fill="{INK}"/></g>',
    ]


def _draw_boxes(layout: _Layout, activities: Sequence[Activity], ident: str) -> list[str]:
    parts = []
    for number, activity in enumerate(activities, start=1):
        node = layout.nodes[activity.key]
        h = layout.box_h[activity.key]
        top = node.y - h / 2
        lines = layout.box_lines[activity.key]
        parts.append(
            f'<g class="activity" id="{ident}-{number}">'
            f'<rect x="{_num(node.left)}" y="{_num(top)}" width="{BOX_W}" height="{_num(h)}" '
            f'rx="6" fill="#ffffff" stroke="{ACCENT}" stroke-width="1.6"/>'
        )
        first_y = node.y - (len(lines) - 1) * LINE_H / 2 + 4
        parts.extend(
            _text(node.left + BOX_W / 2, first_y + n * LINE_H, line, text_anchor="middle")
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<g class="number"><circle cx="{_num(node.left)}" cy="{_num(top)}" r="11" '
            f'fill="{ACCENT}"/>'
            + _text(
                node.left,
                top + 4,
                str(number),
                text_anchor="middle",
                font_size="11",
                font_weight="bold",
                fill="#ffffff",
            )
            + "</g>"
        )
        words = duration_words(activity.time_standard)
        if words:
            x = node.right - _pill_width(words) / 2 - 8
            parts.append(
                '<g class="time-standard">'
                + _pill(x, top + h, words, ACCENT, ACCENT, "#ffffff")
                + "</g>"
            )
        parts.append("</g>")
    return parts


@dataclass(frozen=True)
class Drawing:
    svg: str  # a complete, self-contained <svg> element
    width: float  # its natural size, in CSS pixels
    height: float


def draw_flow(definition: Definition, flow: Flow) -> Drawing:
    """The flow as SVG swimlanes: one lane per actor role, one numbered box per activity.

    Deterministic: the same definition always gives the same bytes, ids included, so
    several diagrams can share a page without their arrow markers clashing.
    """
    activities = flow.activities
    if not activities:
        raise ValueError("a flow without activities has nothing to draw")
    edges = flow_edges(activities)
    layout = _layout(definition, activities, edges)
    seed = "|".join((definition.code, definition.version, *(a.key for a in activities)))
    ident = "flow-" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:10]
    lane_name = {role.key: role.name for role in layout.lanes}
    steps = "; ".join(
        f"{number}. {a.description} ({lane_name[a.actor]})"
        for number, a in enumerate(activities, start=1)
    )
    paths, labels = _draw_edges(layout, edges, f"{ident}-arrow")
    width, height = _num(layout.width), _num(layout.height)
    svg = "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="flow-svg" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-labelledby="{ident}-title {ident}-desc" '
            f'font-family={quoteattr(FONT)} font-size="{TEXT_SIZE}" fill="{INK}">',
            f'<title id="{ident}-title">{escape(flow_title(definition, flow))}</title>',
            f'<desc id="{ident}-desc">{escape(steps)}</desc>',
            f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>',
            *_draw_lanes(layout),
            *paths,
            *_draw_markers(layout),
            *_draw_boxes(layout, activities, ident),
            *labels,
            "</svg>",
        ]
    )
    return Drawing(svg, layout.width, layout.height)
