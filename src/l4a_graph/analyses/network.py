"""Network views of the HUB community: communities, brokers, isolated HUBs, coverage gaps.

Two graphs are looked at. The *collaboration graph* is what exists: HUBs, the
stakeholders taking part in them (leads included) and the exchanges between HUBs. The
*opportunity graph* is what matchmaking suggests: each HUB linked to its best
candidates, weighted by the combined score.
"""

# networkx's convention, followed here: a graph is ``G``.
# ruff: noqa: N803, N806

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import networkx as nx

from l4a_graph.analyses.combine import Weights, rank_all
from l4a_graph.analyses.exceptions import MatchError
from l4a_graph.analyses.graphs import HubViews

__all__ = [
    "Coverage",
    "NetworkReport",
    "broker_centrality",
    "collaboration_graph",
    "communities",
    "coverage_gaps",
    "isolated_hubs",
    "network_report",
    "opportunity_graph",
]

METHODS: Final = ("louvain", "greedy")
GROUPINGS: Final = ("region", "section")
SAMPLE_ABOVE: Final = 2000
"""Graphs with more nodes get sampled betweenness (this many pivots)."""


def collaboration_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """HUBs and their stakeholders (leads included), plus exchanges between HUBs.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges
    >>> G = graph_from_edges([("a", "has_lead", "x"), ("b", "has_stakeholder", "x"),
    ...                       ("a", "addresses_goal", "g")])
    >>> sorted(sorted(edge) for edge in collaboration_graph(G).edges())
    [['a', 'x'], ['b', 'x']]
    """
    C = nx.Graph()
    C.add_nodes_from(n for n, kind in G.nodes(data="kind") if kind == "hub")
    C.add_edges_from(
        (u, v)
        for u, v, relation in G.edges(keys=True)
        if relation in ("has_lead", "has_stakeholder", "exchanges_with")
    )
    for node in C:
        C.nodes[node]["kind"] = G.nodes[node]["kind"]
    return C


def opportunity_graph(
    views: HubViews, *, top: int = 10, weights: Weights | None = None, workers: int = 2
) -> nx.Graph:
    """HUBs linked to their ``top`` candidates, ``weight`` the combined score.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges, hub_views
    >>> G = graph_from_edges([("a", "has_lead", "x"), ("b", "has_stakeholder", "x"),
    ...                       ("c", "has_lead", "y")])
    >>> H = opportunity_graph(hub_views(G))
    >>> sorted(H.nodes()), list(H.edges(data="weight"))
    (['a', 'b', 'c'], [('a', 'b', 0.269231)])

    Notes
    -----
    As :func:`~l4a_graph.analyses.combine.rank_all`: O(n^2 F) in blocks.
    """
    H = nx.Graph()
    H.add_nodes_from(views.hubs)
    for i, candidates in enumerate(rank_all(views, top=top, weights=weights, workers=workers)):
        for j, score in candidates:
            u, v = views.hubs[i], views.hubs[j]
            # A pair can be ranked from both ends: keep its one score.
            H.add_edge(u, v, weight=max(score, H.get_edge_data(u, v, {"weight": 0.0})["weight"]))
    return H


def communities(
    H: nx.Graph, *, method: str = "louvain", seed: int = 0, resolution: float = 1.0
) -> list[frozenset[str]]:
    """Communities of a weighted graph, largest first (ties by their smallest member).

    Parameters
    ----------
    H
        An undirected graph whose edges may carry a ``weight``.
    method
        ``"louvain"`` (Blondel et al.) or ``"greedy"`` (Clauset, Newman and Moore).
    seed
        Seed of Louvain's random node order: the same seed gives the same communities.
    resolution
        Above 1 favours smaller communities, below 1 larger ones.

    Returns
    -------
    list of frozenset
        A partition of the nodes of ``H``.

    Raises
    ------
    MatchError
        If ``method`` is unknown.

    Examples
    --------
    Two triangles joined by one edge.

    >>> H = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> communities(H, seed=1)
    [frozenset({1, 2, 3}), frozenset({4, 5, 6})]
    >>> communities(H, method="greedy")
    [frozenset({1, 2, 3}), frozenset({4, 5, 6})]

    Notes
    -----
    Louvain runs in about O(m log n); greedy modularity in O(m d log n) for depth d of
    the dendrogram.

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding
       of communities in large networks", Journal of Statistical Mechanics, P10008, 2008.
    .. [2] A. Clauset, M. E. J. Newman and C. Moore, "Finding community structure in very
       large networks", Physical Review E 70, 066111, 2004.
    """
    if method == "louvain":
        found = nx.community.louvain_communities(
            H, weight="weight", resolution=resolution, seed=seed
        )
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(
            H, weight="weight", resolution=resolution
        )
    else:
        raise MatchError(f"unknown community method {method!r}: use {' or '.join(METHODS)}")
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), min(c)))


def broker_centrality(
    G: nx.MultiDiGraph, *, sample: int | None = None, seed: int = 0
) -> list[tuple[str, float]]:
    """Betweenness of stakeholders and LRGs in the collaboration graph, highest first.

    Parameters
    ----------
    G
        The typed graph.
    sample
        Pivots for sampled betweenness; by default exact up to
        :data:`SAMPLE_ABOVE` nodes, else that many pivots.
    seed
        Seed of the pivot sample.

    Returns
    -------
    list of (IRI, centrality)
        Stakeholders with a centrality above 0 (those on a path between two HUBs),
        normalized betweenness, ties by IRI.

    Examples
    --------
    The path ``a - x - b - y``: stakeholder ``x`` lies on the shortest paths of two of
    the three pairs of other nodes (``a-b``, ``a-y``); ``y`` is on none.

    >>> from l4a_graph.analyses.graphs import graph_from_edges
    >>> G = graph_from_edges([("a", "has_lead", "x"), ("b", "has_stakeholder", "x"),
    ...                       ("b", "has_lead", "y")])
    >>> broker_centrality(G)
    [('x', 0.666667)]

    Notes
    -----
    Brandes' algorithm, O(n m) exact, O(k m) with ``k`` pivots.

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of
       Mathematical Sociology 25(2), 163-177, 2001.
    .. [2] U. Brandes and C. Pich, "Centrality estimation in large networks",
       International Journal of Bifurcation and Chaos 17(7), 2303-2318, 2007.
    """
    C = collaboration_graph(G)
    if sample is None and C.number_of_nodes() > SAMPLE_ABOVE:
        sample = SAMPLE_ABOVE
    k = min(sample, C.number_of_nodes()) if sample else None
    centrality = nx.betweenness_centrality(C, k=k, seed=seed)
    found = [
        (node, round(value, 6))
        for node, value in centrality.items()
        if C.nodes[node]["kind"] in ("lrg", "stakeholder") and value > 0
    ]
    return sorted(found, key=lambda item: (-item[1], item[0]))


def isolated_hubs(G: nx.MultiDiGraph) -> list[str]:
    """HUBs tied to no other HUB: no shared stakeholder and no exchange.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges
    >>> G = graph_from_edges([("a", "has_lead", "x"), ("b", "has_stakeholder", "x"),
    ...                       ("c", "has_lead", "y")])
    >>> isolated_hubs(G)
    ['c']

    Notes
    -----
    One traversal of the collaboration graph, O(n + m).
    """
    C = collaboration_graph(G)
    alone = []
    for component in nx.connected_components(C):
        hubs = [n for n in component if C.nodes[n]["kind"] == "hub"]
        if len(hubs) == 1:
            alone.append(hubs[0])
    return sorted(alone)


@dataclass(frozen=True)
class Coverage:
    """How many HUBs address each SDG goal in each region (or section), and the gaps.

    Attributes
    ----------
    by
        ``"region"`` (world regions) or ``"section"`` (UCLG sections).
    counts
        ``{group: {goal: number of HUBs}}`` for the groups with at least one HUB.
    gaps
        ``{group: goals no HUB of the group addresses}`` for the same groups.
    empty
        Groups with no HUB at all.
    """

    by: str
    counts: dict[str, dict[str, int]]
    gaps: dict[str, list[str]]
    empty: list[str]


def coverage_gaps(G: nx.MultiDiGraph, views: HubViews, *, by: str = "region") -> Coverage:
    """SDG goals no HUB addresses, per world region or per UCLG section.

    Raises
    ------
    MatchError
        If ``by`` is neither ``"region"`` nor ``"section"``.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges, hub_views
    >>> G = graph_from_edges(
    ...     [("a", "addresses_goal", "g1"), ("a", "has_territory", "EU"),
    ...      ("b", "addresses_goal", "g2"), ("b", "has_territory", "AS")],
    ...     {"EU": {"level": "world-region"}, "AS": {"level": "world-region"},
    ...      "AF": {"kind": "territory", "level": "world-region"}},
    ... )
    >>> c = coverage_gaps(G, hub_views(G))
    >>> c.gaps, c.empty
    ({'AS': ['g1'], 'EU': ['g2']}, ['AF'])

    Notes
    -----
    O(n) over the HUBs' groups and goals.
    """
    if by not in GROUPINGS:
        raise MatchError(f"coverage by {by!r}: use {' or '.join(GROUPINGS)}")
    incidence = views.regions if by == "region" else views.sections
    goals = sorted((n for n, kind in G.nodes(data="kind") if kind == "goal"), key=_natural)
    groups = _groups(G, by)
    counts: dict[str, dict[str, int]] = {}
    for row in range(len(views.hubs)):
        hub_goals = [g for g in views.agenda.features(row) if g in set(goals)]
        for group in incidence.features(row):
            tally = counts.setdefault(group, dict.fromkeys(goals, 0))
            for goal in hub_goals:
                tally[goal] += 1
    gaps = {g: [goal for goal, n in c.items() if n == 0] for g, c in sorted(counts.items())}
    return Coverage(by, dict(sorted(counts.items())), gaps, sorted(set(groups) - set(counts)))


def _natural(iri: str) -> tuple[tuple[int, str], ...]:
    """Goal 2 before goal 10: digit runs compare as numbers."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", iri)
    )


def _groups(G: nx.MultiDiGraph, by: str) -> list[str]:
    if by == "section":
        return [n for n, kind in G.nodes(data="kind") if kind == "section"]
    return [n for n, level in G.nodes(data="level") if level == "world-region"]


@dataclass(frozen=True)
class NetworkReport:
    """Everything ``l4a network`` shows."""

    communities: list[frozenset[str]]
    brokers: list[tuple[str, float]]
    isolated: list[str]
    coverage: Coverage


def network_report(
    G: nx.MultiDiGraph,
    views: HubViews,
    *,
    method: str = "louvain",
    seed: int = 0,
    top: int = 10,
    by: str = "region",
    weights: Weights | None = None,
) -> NetworkReport:
    """Communities of the opportunity graph, brokers, isolated HUBs and coverage gaps.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges, hub_views
    >>> G = graph_from_edges([("a", "has_lead", "x"), ("b", "has_stakeholder", "x"),
    ...                       ("c", "has_lead", "y")])
    >>> r = network_report(G, hub_views(G))
    >>> [sorted(c) for c in r.communities], r.brokers, r.isolated
    ([['a', 'b'], ['c']], [('x', 0.166667)], ['c'])
    """
    H = opportunity_graph(views, top=top, weights=weights)
    return NetworkReport(
        communities=communities(H, method=method, seed=seed),
        brokers=broker_centrality(G, seed=seed),
        isolated=isolated_hubs(G),
        coverage=coverage_gaps(G, views, by=by),
    )
