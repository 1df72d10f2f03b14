"""A class diagram as inline SVG: a simple layered layout, no external tool, no JavaScript.

Classes are boxes placed in columns, left to right: a superclass sits left of its
subclasses and the domain of a property left of its range (longest-path layering, with
cycles broken). Within a column, boxes are ordered by the mean position of their
neighbours (the barycenter heuristic) to cut crossings. Each box links to the class's
section of the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

__all__ = ["DiagramEdge", "DiagramNode", "class_diagram"]

FONT: Final = "system-ui, sans-serif"
CHAR_WIDTH: Final = 7.2
"""Width of a character at 12px, a little generous, to size boxes without measuring text."""
BOX_HEIGHT: Final = 30
ROW_GAP: Final = 14
COLUMN_GAP: Final = 190
"""Room between columns for the property names written before each box."""
PAD: Final = 24
PORT_STEP: Final = 10
LEGEND_HEIGHT: Final = 40
SUBCLASS_COLOUR: Final = "#6b6b6b"
PROPERTY_COLOUR: Final = "#1f5f99"


@dataclass(frozen=True)
class DiagramNode:
    """A box: ``name`` is written in it, ``title`` is its tooltip and accessible name."""

    iri: str
    name: str
    href: str
    title: str


@dataclass(frozen=True)
class DiagramEdge:
    """An arrow from ``source`` to ``target`` (IRIs of nodes); subclass edges have no label."""

    source: str
    target: str
    label: str


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def middle(self) -> float:
        return self.y + BOX_HEIGHT / 2


def class_diagram(
    nodes: Sequence[DiagramNode],
    subclass_edges: Sequence[DiagramEdge],
    property_edges: Sequence[DiagramEdge],
    *,
    title: str,
    description: str,
    legend: tuple[str, str],
) -> str:
    """Draw the classes and their links as an ``<svg>`` element.

    Parameters
    ----------
    nodes
        The classes, in any order.
    subclass_edges
        From a subclass (``source``) to its superclass (``target``).
    property_edges
        From a domain to a range, labelled with the properties' names.
    title, description
        The SVG's ``<title>`` and ``<desc>``: its accessible name and description.
    legend
        The captions of a subclass edge and of a property edge.

    Returns
    -------
    str
        The SVG markup, escaped, ready to be placed inline in HTML.
    """
    # Superclass left of subclass, domain left of range.
    constraints = [(e.target, e.source) for e in subclass_edges]
    constraints += [(e.source, e.target) for e in property_edges if e.source != e.target]
    columns = _order(_columns([n.iri for n in nodes], constraints), constraints)
    boxes = _place(columns, {n.iri: n for n in nodes})
    width = max(b.right for b in boxes.values()) + PAD
    height = max(b.y for b in boxes.values()) + BOX_HEIGHT + PAD + LEGEND_HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        'aria-labelledby="diagram-title diagram-desc" class="diagram" '
        f'font-family="{FONT}" font-size="12">',
        f'<title id="diagram-title">{escape(title)}</title>',
        f'<desc id="diagram-desc">{escape(description)}</desc>',
        _defs(),
        *_subclass_paths(subclass_edges, boxes),
        *_property_paths(property_edges, boxes),
        *(_box(node, boxes[node.iri]) for node in nodes),
        _legend(legend, height - LEGEND_HEIGHT + 8),
        "</svg>",
    ]
    return "\n".join(parts)


# -- layout ------------------------------------------------------------------------------


def _columns(iris: Sequence[str], constraints: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Longest-path layering: each node one column right of its furthest predecessor."""
    successors: dict[str, list[str]] = defaultdict(list)
    for before, after in _acyclic(iris, constraints):
        successors[before].append(after)
    rank = dict.fromkeys(iris, 0)
    for iri in _topological(iris, successors):
        for after in successors[iri]:
            rank[after] = max(rank[after], rank[iri] + 1)
    columns: list[list[str]] = [[] for _ in range(max(rank.values(), default=0) + 1)]
    for iri in sorted(iris):
        columns[rank[iri]].append(iri)
    return columns


def _acyclic(iris: Sequence[str], constraints: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop the constraints that close a cycle (back edges of a depth-first search)."""
    successors: dict[str, list[str]] = defaultdict(list)
    for before, after in sorted(set(constraints)):
        successors[before].append(after)
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    kept: list[tuple[str, str]] = []

    def visit(iri: str) -> None:
        state[iri] = 1
        for after in successors[iri]:
            if state.get(after) == 1:
                continue  # a back edge: keeping it would make a cycle
            kept.append((iri, after))
            if after not in state:
                visit(after)
        state[iri] = 2

    for iri in sorted(iris):
        if iri not in state:
            visit(iri)
    return kept


def _topological(iris: Sequence[str], successors: dict[str, list[str]]) -> list[str]:
    indegree = dict.fromkeys(iris, 0)
    for afters in successors.values():
        for after in afters:
            indegree[after] += 1
    ready = sorted(i for i, d in indegree.items() if d == 0)
    order: list[str] = []
    while ready:
        iri = ready.pop(0)
        order.append(iri)
        for after in successors[iri]:
            indegree[after] -= 1
            if indegree[after] == 0:
                ready.append(after)
    return order


def _order(
    columns: list[list[str]], constraints: Sequence[tuple[str, str]], sweeps: int = 3
) -> list[list[str]]:
    """Reorder each column by the barycenter of its neighbours, sweeping both ways."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in constraints:
        neighbours[a].add(b)
        neighbours[b].add(a)
    columns = [list(c) for c in columns]
    indices = list(range(len(columns)))
    for _ in range(sweeps):
        for i in [*indices[1:], *reversed(indices[:-1])]:
            position = _positions(columns)
            columns[i].sort(key=lambda iri: _barycenter(iri, neighbours[iri], position))
    return columns


def _positions(columns: Iterable[list[str]]) -> dict[str, float]:
    """Each node's position in its column, from 0 (top) to 1 (bottom)."""
    return {
        iri: (index + 0.5) / len(column) for column in columns for index, iri in enumerate(column)
    }


def _barycenter(iri: str, neighbours: set[str], position: dict[str, float]) -> float:
    if not neighbours:
        return position[iri]
    return sum(position[n] for n in neighbours) / len(neighbours)


def _place(columns: list[list[str]], nodes: dict[str, DiagramNode]) -> dict[str, _Box]:
    """Boxes sized to their names; each column centred vertically."""
    rows = max(len(c) for c in columns)
    total = rows * (BOX_HEIGHT + ROW_GAP) - ROW_GAP
    boxes: dict[str, _Box] = {}
    x = float(PAD)
    for column in columns:
        width = max(len(nodes[i].name) for i in column) * CHAR_WIDTH + 16
        height = len(column) * (BOX_HEIGHT + ROW_GAP) - ROW_GAP
        y = PAD + (total - height) / 2
        for iri in column:
            boxes[iri] = _Box(x, y, width)
            y += BOX_HEIGHT + ROW_GAP
        x += width + COLUMN_GAP
    return boxes


# -- drawing -----------------------------------------------------------------------------


def _defs() -> str:
    return (
        "<defs>"
        '<marker id="diagram-subclass" viewBox="0 0 12 12" refX="11" refY="6" '
        'markerWidth="12" markerHeight="12" orient="auto">'
        f'<path d="M1,1 L11,6 L1,11 Z" fill="#fff" stroke="{SUBCLASS_COLOUR}"/></marker>'
        '<marker id="diagram-property" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 Z" fill="{PROPERTY_COLOUR}"/></marker>'
        "</defs>"
    )


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    """A cubic Bézier leaving and entering horizontally."""
    bend = max(abs(x2 - x1) / 2, 30)
    direction = 1 if x2 >= x1 else -1
    return (
        f"M{x1:.1f},{y1:.1f} C{x1 + direction * bend:.1f},{y1:.1f} "
        f"{x2 - direction * bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    )


def _subclass_paths(edges: Sequence[DiagramEdge], boxes: dict[str, _Box]) -> list[str]:
    paths = []
    for edge in edges:
        child, parent = boxes[edge.source], boxes[edge.target]
        path = _curve(child.x, child.middle, parent.right, parent.middle)
        paths.append(
            f'<path d="{path}" fill="none" stroke="{SUBCLASS_COLOUR}" stroke-width="1.2" '
            'marker-end="url(#diagram-subclass)"/>'
        )
    return paths


def _ports(edges: Sequence[DiagramEdge], end: str) -> dict[DiagramEdge, float]:
    """Vertical offsets that spread the edges meeting at one side of a box."""
    groups: dict[str, list[DiagramEdge]] = defaultdict(list)
    for edge in edges:
        groups[getattr(edge, end)].append(edge)
    offsets: dict[DiagramEdge, float] = {}
    for group in groups.values():
        step = PORT_STEP if end == "target" else 2
        for index, edge in enumerate(group):
            offsets[edge] = (index - (len(group) - 1) / 2) * step
    return offsets


def _property_paths(edges: Sequence[DiagramEdge], boxes: dict[str, _Box]) -> list[str]:
    loops = [e for e in edges if e.source == e.target]
    arrows = sorted((e for e in edges if e.source != e.target), key=lambda e: boxes[e.target].y)
    out_ports, in_ports = _ports(arrows, "source"), _ports(arrows, "target")
    parts = [_loop(e, boxes[e.source]) for e in loops]
    for edge in arrows:
        source, target = boxes[edge.source], boxes[edge.target]
        y1 = source.middle + out_ports[edge]
        y2 = target.middle + in_ports[edge]
        forward = target.x > source.x
        x1, x2 = (source.right, target.x) if forward else (source.x, target.right)
        parts.append(
            f'<path d="{_curve(x1, y1, x2, y2)}" fill="none" stroke="{PROPERTY_COLOUR}" '
            'stroke-width="1.2" marker-end="url(#diagram-property)"/>'
        )
        anchor, lx = ("end", x2 - 10) if forward else ("start", x2 + 10)
        parts.append(_edge_label(edge.label, lx, y2 - 2, anchor))
    return parts


def _loop(edge: DiagramEdge, box: _Box) -> str:
    """A property from a class to itself: a loop on the box's right side."""
    r, y = box.right, box.middle
    path = (
        f"M{r:.1f},{y - 7:.1f} C{r + 40:.1f},{y - 30:.1f} "
        f"{r + 40:.1f},{y + 30:.1f} {r:.1f},{y + 7:.1f}"
    )
    return (
        f'<path d="{path}" fill="none" stroke="{PROPERTY_COLOUR}" stroke-width="1.2" '
        'marker-end="url(#diagram-property)"/>\n' + _edge_label(edge.label, r + 36, y + 24, "start")
    )


def _edge_label(text: str, x: float, y: float, anchor: str) -> str:
    # A white halo keeps the name readable where it crosses lines.
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="10" '
        f'fill="{PROPERTY_COLOUR}" stroke="#fff" stroke-width="3" paint-order="stroke">'
        f"{escape(text)}</text>"
    )


def _box(node: DiagramNode, box: _Box) -> str:
    return (
        f'<a href="{escape(node.href)}"><title>{escape(node.title)}</title>'
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{BOX_HEIGHT}" '
        'rx="4" fill="#f4f7fb" stroke="#33475b"/>'
        f'<text x="{box.x + box.width / 2:.1f}" y="{box.middle + 4:.1f}" text-anchor="middle" '
        f'fill="#1b1b1b">{escape(node.name)}</text></a>'
    )


def _legend(captions: tuple[str, str], y: float) -> str:
    subclass, prop = captions
    return (
        f'<g font-size="11"><path d="M{PAD},{y + 8} h40" stroke="{SUBCLASS_COLOUR}" '
        'stroke-width="1.2" marker-end="url(#diagram-subclass)"/>'
        f'<text x="{PAD + 50}" y="{y + 12}">{escape(subclass)}</text>'
        f'<path d="M{PAD + 260},{y + 8} h40" stroke="{PROPERTY_COLOUR}" stroke-width="1.2" '
        'marker-end="url(#diagram-property)"/>'
        f'<text x="{PAD + 310}" y="{y + 12}">{escape(prop)}</text></g>'
    )
