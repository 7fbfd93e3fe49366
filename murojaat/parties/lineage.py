"""Who became whom (K-5): successors of a party and a layered layout for the lineage graph.

Pure: works on ``Edge`` tuples that ``selectors.lineage_edges`` reads from the events. A rename
and a merger both hand a party's continuity to another node, so both are "became" edges; a bloc
is a temporary alliance, drawn dashed and not followed by ``successors``; "founded from" (a split
or a party formed on the basis of another) is drawn dotted and not followed either, because the
original party lives on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from html import escape

BECAME = ("merged_into", "renamed")


@dataclass(frozen=True)
class Edge:
    source: str  # slug
    target: str  # slug
    kind: str  # an EventKind value ("founded" meaning "formed from")
    date: date


def successors(slug: str, edges: Iterable[Edge]) -> list[tuple[Edge, ...]]:
    """Every path of mergers and renames from ``slug`` to a party that became nothing further.

    A list of paths (usually one); cycles in bad data are cut, not followed forever.
    """
    out_edges: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        if e.kind in BECAME:
            out_edges[e.source].append(e)
    paths: list[tuple[Edge, ...]] = []

    def walk(node: str, path: tuple[Edge, ...], seen: frozenset[str]) -> None:
        nexts = sorted(out_edges.get(node, []), key=lambda e: (e.date, e.target))
        if not nexts:
            if path:
                paths.append(path)
            return
        for e in nexts:
            if e.target in seen:
                paths.append(path)
                continue
            walk(e.target, (*path, e), seen | {e.target})

    walk(slug, (), frozenset({slug}))
    return paths


def final_names(slug: str, edges: Iterable[Edge]) -> list[str]:
    """The slug(s) a party finally became; itself if it merged into nothing."""
    paths = successors(slug, edges)
    return sorted({p[-1].target for p in paths}) or [slug]


@dataclass(frozen=True)
class Node:
    slug: str
    label: str
    year: int | None  # first event year, for ordering the layers in time
    href: str = ""


def layers(nodes: Sequence[Node], edges: Sequence[Edge]) -> dict[str, int]:
    """Layer of each node: the longest chain of edges reaching it, then pulled right to sit just
    before its nearest successor (a simple Sugiyama first step)."""
    incoming: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.source != e.target:
            incoming[e.target].append(e.source)
    layer: dict[str, int] = {}

    def depth(slug: str, stack: frozenset[str]) -> int:
        if slug in layer:
            return layer[slug]
        preds = [p for p in incoming.get(slug, []) if p not in stack]
        d = 0 if not preds else 1 + max(depth(p, stack | {slug}) for p in preds)
        layer[slug] = d
        return d

    for n in nodes:
        depth(n.slug, frozenset())
    # Pull each node right, next to its nearest successor, so edges do not cross whole columns.
    outgoing: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.source != e.target:
            outgoing[e.source].append(e.target)
    for slug in sorted(layer, key=lambda s: -layer[s]):
        targets = [layer[t] for t in outgoing.get(slug, []) if t in layer]
        if targets:
            layer[slug] = max(layer[slug], min(targets) - 1)
    return layer


def _reduce_crossings(columns: dict[int, list[Node]], edges: Sequence[Edge]) -> None:
    """Order each column by the mean row of its neighbours in the previous column (barycentre),
    then back by successors; two such sweeps remove most crossings in these small graphs."""
    nbrs: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        nbrs[e.source].append(e.target)
        nbrs[e.target].append(e.source)

    def reorder(col: int, ref: int) -> None:
        if col not in columns or ref not in columns:
            return
        row = {n.slug: i for i, n in enumerate(columns[ref])}

        def key(item: tuple[int, Node]) -> tuple[float, int]:
            i, n = item
            rows = [row[m] for m in nbrs[n.slug] if m in row]
            return (sum(rows) / len(rows) if rows else float(i), i)

        columns[col] = [n for _, n in sorted(enumerate(columns[col]), key=key)]

    last = max(columns)
    for _sweep in range(2):
        for col in range(1, last + 1):
            reorder(col, col - 1)
        for col in range(last - 1, -1, -1):
            reorder(col, col + 1)


def svg(nodes: Sequence[Node], edges: Sequence[Edge], *, title: str = "", focus: str = "") -> str:
    """A server-rendered SVG: layers left to right, nodes stacked by year, edges styled by kind."""
    if not nodes:
        return ""
    known = {n.slug for n in nodes}
    edges = [e for e in edges if e.source in known and e.target in known]
    layer_of = layers(nodes, edges)
    columns: dict[int, list[Node]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: (n.year or 9999, n.label.casefold())):
        columns[layer_of[n.slug]].append(n)
    _reduce_crossings(columns, edges)
    box_w, box_h, gap_x, gap_y, pad = 250, 34, 80, 14, 16
    pos: dict[str, tuple[int, int]] = {}
    for col, members in columns.items():
        for row, n in enumerate(members):
            pos[n.slug] = (pad + col * (box_w + gap_x), pad + row * (box_h + gap_y))
    width = pad * 2 + (max(columns) + 1) * (box_w + gap_x) - gap_x
    height = pad * 2 + max(len(m) for m in columns.values()) * (box_h + gap_y) - gap_y
    style = {
        "merged_into": 'stroke="#0d6efd"',
        "renamed": 'stroke="#198754" stroke-width="2.5"',
        "joined_bloc": 'stroke="#6c757d" stroke-dasharray="6 4"',
        "left_bloc": 'stroke="#adb5bd" stroke-dasharray="2 4"',
        "founded": 'stroke="#fd7e14" stroke-dasharray="1 3"',
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="party-lineage">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#495057"/></marker></defs>',
    ]
    for e in edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        sx, sy, tx, ty = x1 + box_w, y1 + box_h // 2, x2, y2 + box_h // 2
        if x2 <= x1:  # same layer (bloc drawn back): route from the bottom
            sx, sy, tx, ty = x1 + box_w // 2, y1 + box_h, x2 + box_w // 2, y2
        mid = (sx + tx) // 2
        stroke = style.get(e.kind, 'stroke="#495057"')
        parts.append(
            f'<path d="M {sx} {sy} C {mid} {sy}, {mid} {ty}, {tx} {ty}" fill="none" '
            f'{stroke} marker-end="url(#arrow)">'
            f"<title>{escape(e.kind)} {e.date.year}</title></path>"
        )
    for n in nodes:
        x, y = pos[n.slug]
        text = escape(n.label if len(n.label) <= 28 else n.label[:27] + "…")
        fill, width_ = ("#fff3cd", 2) if n.slug == focus else ("#f8f9fa", 1)
        box = (
            f"<title>{escape(n.label)}</title>"
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="6" fill="{fill}" '
            f'stroke="#495057" stroke-width="{width_}"/><text x="{x + 8}" y="{y + 22}" '
            f'font-size="13" '
            f'font-family="system-ui, sans-serif" fill="#212529">{text}</text>'
        )
        if n.year:
            box += (
                f'<text x="{x + box_w - 8}" y="{y + 22}" font-size="11" text-anchor="end" '
                f'font-family="system-ui, sans-serif" fill="#6c757d">{n.year}</text>'
            )
        box = f'<a href="{escape(n.href)}">{box}</a>' if n.href else f"<g>{box}</g>"
        parts.append(box)
    parts.append("</svg>")
    return "\n".join(parts)


@dataclass(frozen=True)
class Fact:
    """A registry event reduced to what registration status needs."""

    party: str
    kind: str
    date: date
    related: str | None = None
    #: The period the event may have happened in, when the source gives no exact day (see
    #: ``models.date_interval``); ``None`` ends are unbounded. Both default to ``date``.
    earliest: date | None = None
    latest: date | None = None
    exact: bool = True


REGISTERED = "registered"
POSSIBLY = "possibly"


def registration_status(facts: Iterable[Fact], day: date) -> dict[str, str]:
    """Which parties were registered on ``day``: ``"registered"`` for certain, or ``"possibly"``.

    An event the source dates only roughly ("before 14 January 2012", "in 2006") may or may not
    have happened by ``day``. The certain set replays starts that surely happened and ends that
    may have (so it never claims a party that might already be gone); the possible set replays
    starts that may have happened and ends that surely did. A party in the possible set only is
    "possibly" registered: the registry cannot tell, and says so instead of guessing.
    """
    facts = list(facts)

    def certainly(f: Fact) -> bool:  # happened on or before day, whatever its exact day
        if f.exact:
            return f.date <= day
        return f.latest is not None and f.latest <= day

    def maybe(f: Fact) -> bool:  # may have happened on or before day
        return f.date <= day if f.exact else (f.earliest is None or f.earliest <= day)

    starts = ("registered", "re_registered")
    low: list[Fact] = []
    high: list[Fact] = []
    for f in facts:
        if f.kind in starts:
            if certainly(f):
                low.append(replace(f, date=f.latest or f.date))
            if maybe(f):  # no earliest day: it may have happened any time before
                high.append(replace(f, date=f.date if f.exact else f.earliest or date.min))
        elif f.kind in ("merged_into", "dissolved"):
            if maybe(f):
                low.append(replace(f, date=f.earliest or day))
            if certainly(f):
                high.append(replace(f, date=f.latest or f.date))
        elif f.kind == "renamed":
            if certainly(f):
                moved = replace(f, date=f.latest or f.date)
                low.append(moved)
                high.append(moved)
            elif maybe(f) and f.related:
                # The same legal person, maybe already under its new name: certain under the
                # old name (as the source last knew it), possible under the new one.
                high.append(Fact(f.related, "registered", f.earliest or day))
    certain = registered_at(low, day)
    possible = registered_at(high, day) - certain
    out = dict.fromkeys(sorted(possible), POSSIBLY)
    out.update(dict.fromkeys(sorted(certain), REGISTERED))
    return out


def registered_at(facts: Iterable[Fact], day: date) -> set[str]:
    """Slugs registered on ``day``, replaying events up to it in date order.

    Registration starts with "registered"/"re-registered" and ends with "dissolved" or "merged
    into". A rename passes the registration to the new name: the party is the same legal person.
    Events on one day apply in the order registration → rename → end, so a party registered and
    renamed the same day ends up registered under its new name.
    """
    order = {"registered": 0, "re_registered": 0, "renamed": 1, "merged_into": 2, "dissolved": 2}
    state: set[str] = set()
    relevant = sorted(
        (f for f in facts if f.date <= day and f.kind in order),
        key=lambda f: (f.date, order[f.kind], f.party),
    )
    for f in relevant:
        if f.kind in ("registered", "re_registered"):
            state.add(f.party)
        elif f.kind == "renamed":
            if f.party in state and f.related:
                state.add(f.related)
            state.discard(f.party)
        else:
            state.discard(f.party)
    return state
