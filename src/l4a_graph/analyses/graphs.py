"""Graph views of the knowledge graph: the typed networkx graph and its projections.

:func:`typed_graph` reads the store once into a :class:`networkx.MultiDiGraph` whose
nodes are IRIs with a ``kind`` (see :data:`KINDS`) and ``labels`` in every language, and
whose edges carry the ``relation`` they stand for (see :data:`RELATIONS`). That graph is
the model; the signals work on the HUB-by-feature incidence matrices that
:func:`hub_views` projects out of it (scipy sparse, so that ten thousand HUBs stay cheap).
Matching itself does not need the networkx graph: :mod:`.store_views` reads the same
matrices straight from the store, and what matching asks about nodes (kinds, labels,
where HUBs are) goes through the :class:`Nodes` protocol, which a typed graph
(:class:`GraphNodes`) and the store reading both answer.

Goals are read both as stated (``l4a:addressesGoal``) and through the targets
(``l4a:addressesTarget/skos:broader``), so nothing here needs the inferred graph.
"""

# networkx's convention, followed here: a graph is ``G``.
# ruff: noqa: N803, N806

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property
from typing import TYPE_CHECKING, Final, Protocol, TypeAlias

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy import sparse

from l4a_graph import namespaces as ns
from l4a_graph.analyses.exceptions import EmptyGraphError, UnknownEntityError

if TYPE_CHECKING:
    from l4a_graph.knowledge_graph import KnowledgeGraph

__all__ = [
    "DTYPE",
    "KINDS",
    "LANGUAGES",
    "RELATIONS",
    "GraphNodes",
    "HubViews",
    "Incidence",
    "Nodes",
    "as_nodes",
    "expand_iri",
    "find_node",
    "graph_from_edges",
    "hub_territories",
    "hub_views",
    "hubs_in_territory",
    "hubs_of_stakeholder",
    "label",
    "row_products",
    "typed_graph",
    "unit_rows",
]

DTYPE: Final = np.float32
"""Scores are in [0, 1]: single precision is ample and halves the memory of a block."""

DENSE_FEATURES: Final = 1024
"""Up to this many features, products are sparse by dense; beyond, sparse by sparse."""

Rows: TypeAlias = Sequence[int] | npt.NDArray[np.intp] | None
"""Which HUBs (row indices) a signal scores against all HUBs; None means all of them."""

FloatArray: TypeAlias = npt.NDArray[np.float32]

KINDS: Final = (
    "hub",
    "lrg",
    "stakeholder",
    "target",
    "goal",
    "axis",
    "territory",
    "section",
    "topic",
)
"""The ``kind`` of every node of the typed graph."""

LANGUAGES: Final = ("en", "fr", "es")
"""UCLG's working languages; labels fall back to English, then to any language."""

PREFIXES: Final[dict[str, str]] = {
    **ns.PREFIXES,
    "lorg": ns.ID + "org/",
    "region": ns.ID + "region/",
    "section": ns.ID + "section/",
    "topic": ns.ID + "topic/",
    "axis": ns.ID + "pact-axis/",
}
"""Prefixes accepted in names given on the command line (``hub:slug``, ``lorg:slug``...)."""

LRG_CLASSES: Final = "l4a:LocalRegionalGovernment l4a:LocalGovernment l4a:RegionalGovernment"
STAKEHOLDER_PATH: Final = (
    "(l4a:hasStakeholder|l4a:hasLead|(l4a:hasParticipation|^org:organization)/org:member)"
)


@dataclass(frozen=True)
class Relation:
    """An edge type of the typed graph: the kinds it joins and where it comes from."""

    subject: str
    object: str
    pattern: str
    """A SPARQL group pattern binding ``?s`` and ``?o``."""


RELATIONS: Final[dict[str, Relation]] = {
    "addresses_target": Relation("hub", "target", "?s a l4a:Hub ; l4a:addressesTarget ?o ."),
    "addresses_goal": Relation(
        "hub",
        "goal",
        "?s a l4a:Hub . { ?s l4a:addressesGoal ?o }"
        " UNION { ?s l4a:addressesTarget/skos:broader ?o }",
    ),
    "broader": Relation(
        "target", "goal", "?h a l4a:Hub ; l4a:addressesTarget ?s . ?s skos:broader ?o ."
    ),
    "contributes_to_axis": Relation("hub", "axis", "?s a l4a:Hub ; l4a:contributesToAxis ?o ."),
    "has_lead": Relation("hub", "stakeholder", "?s a l4a:Hub ; l4a:hasLead ?o ."),
    "has_stakeholder": Relation("hub", "stakeholder", f"?s a l4a:Hub ; {STAKEHOLDER_PATH} ?o ."),
    "offers": Relation("hub", "topic", "?s a l4a:Hub ; l4a:offersExpertise ?o ."),
    "seeks": Relation("hub", "topic", "?s a l4a:Hub ; l4a:seeksExpertise ?o ."),
    # A deliverable about a topic is expertise on offer (dcterms:subject, see the docs).
    "delivers": Relation(
        "hub",
        "topic",
        "?s a l4a:Hub ; (l4a:hasDeliverable|^l4a:deliverableOf)/dcterms:subject ?o .",
    ),
    "exchanges_with": Relation(
        "hub",
        "hub",
        "?s a l4a:Hub . { ?s l4a:exchangesWith|^l4a:exchangesWith ?o }"
        " UNION { ?e l4a:involvesHub ?s , ?o } FILTER (?s != ?o)",
    ),
    "has_territory": Relation("*", "territory", "?s l4a:hasTerritory ?o ."),
    "part_of": Relation("territory", "territory", "?s l4a:partOf|l4a:country ?o ."),
    "member_of_section": Relation("stakeholder", "section", "?s l4a:memberOfSection ?o ."),
}
"""Every edge type: ``relation -> (subject kind, object kind, SPARQL pattern)``.

Edges whose subject is not already a node (``*``: a HUB or a stakeholder) are skipped,
so territories and sections of organisations outside every HUB stay out.
"""

NODE_PATTERNS: Final[dict[str, str]] = {
    "hub": "?x a l4a:Hub",
    "goal": "?x a sdgo:Goal",
    "axis": f"{{ ?x a l4a:PactAxis }} UNION {{ ?x skos:inScheme <{ns.ID}pact-axis> }}",
    "topic": f"{{ ?x a l4a:ExpertiseTopic }} UNION {{ ?x skos:inScheme <{ns.ID}topic> }}",
    "section": "?x a l4a:UCLGSection",
    "territory": "?x a l4a:WorldRegion",
}
"""Nodes added even when nothing points at them: the coverage gaps need every goal and region."""

TERRITORY_LEVELS: Final[dict[str, str]] = {
    ns.L4A + "WorldRegion": "world-region",
    ns.L4A + "Country": "country",
    ns.L4A + "Region": "region",
    ns.L4A + "City": "city",
}

LABEL_PREDICATES: Final[dict[str, tuple[str, ...]]] = {
    # The SDG reference keeps the short goal names ("Partnerships for the goals") as altLabel.
    "goal": ("altLabel", "prefLabel"),
    "hub": ("title", "prefLabel", "label"),
    "*": ("prefLabel", "title", "label"),
}
_LABEL_IRIS: Final = {
    "prefLabel": PREFIXES["skos"] + "prefLabel",
    "altLabel": PREFIXES["skos"] + "altLabel",
    "title": PREFIXES["dcterms"] + "title",
    "label": PREFIXES["rdfs"] + "label",
}
_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


# -- the typed graph ----------------------------------------------------------------


def typed_graph(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """Read the HUBs and everything matchmaking needs into a typed networkx graph.

    Parameters
    ----------
    kg
        The knowledge graph; all its named graphs are read as one.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are IRIs with attributes ``kind`` (one of :data:`KINDS`), ``labels``
        (``{language: label}``), ``notation`` (SDG goals and targets), ``level``
        (territories) and ``start``/``end`` (HUBs, :class:`datetime.date` or None).
        Edges are keyed by their relation (one of :data:`RELATIONS`):
        ``G.edges(keys=True)`` gives ``(subject, object, relation)``.

    Examples
    --------
    >>> from l4a_graph import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> _ = kg.load_shipped()
    >>> G = typed_graph(kg)
    >>> G.nodes["https://w3id.org/l4a/id/hub/venice-city-solutions-2030"]["kind"]
    'hub'
    >>> sorted(G.successors("https://w3id.org/l4a/id/hub/venice-city-solutions-2030"))[0]
    'http://metadata.un.org/sdg/17'

    Notes
    -----
    One SPARQL query per relation and per node kind, then O(V + E) in Python.
    """
    G = nx.MultiDiGraph()
    for kind, pattern in NODE_PATTERNS.items():
        for (x,) in _rows(kg, f"SELECT DISTINCT ?x WHERE {{ {pattern} }}"):
            G.add_node(x, kind=kind)
    lrgs = {
        x
        for (x,) in _rows(
            kg,
            "SELECT DISTINCT ?x WHERE { ?x a ?t . ?t rdfs:subClassOf* ?c . "
            f"VALUES ?c {{ {LRG_CLASSES} }} }}",
        )
    }
    part_of: dict[str, set[str]] = {}
    for name, relation in RELATIONS.items():
        rows = _rows(kg, f"SELECT DISTINCT ?s ?o WHERE {{ {relation.pattern} }}")
        if name == "part_of":
            for s, o in rows:
                part_of.setdefault(s, set()).add(o)
        else:
            _add_relation(G, name, rows, lrgs, strict=True)
    _add_part_of(G, part_of)
    _add_attributes(G, kg)
    return G


def graph_from_edges(
    edges: Iterable[tuple[str, str, str]],
    attributes: Mapping[str, Mapping[str, object]] | None = None,
) -> nx.MultiDiGraph:
    """A typed graph from ``(subject, relation, object)`` triples, for examples and tests.

    Kinds follow from :data:`RELATIONS`; ``attributes`` sets or overrides any node
    attribute (``kind``, ``labels``, ``start``, ``end``, ``level``...).

    Examples
    --------
    >>> G = graph_from_edges([("h1", "has_lead", "c1")], {"c1": {"kind": "lrg"}})
    >>> dict(G.nodes(data="kind"))
    {'h1': 'hub', 'c1': 'lrg'}
    """
    G = nx.MultiDiGraph()
    for s, name, o in edges:
        _add_relation(G, name, [(s, o)], set(), strict=False)
    for node, attrs in (attributes or {}).items():
        G.add_node(node, **attrs)
    for node in G:
        G.nodes[node].setdefault("labels", {})
        if G.nodes[node]["kind"] == "hub":
            G.nodes[node].setdefault("start", None)
            G.nodes[node].setdefault("end", None)
    return G


def _add_relation(
    G: nx.MultiDiGraph,
    name: str,
    pairs: Iterable[tuple[str, ...]],
    lrgs: set[str],
    *,
    strict: bool,
) -> None:
    """Add the ``name`` edges of ``pairs``, and their new nodes with their kinds.

    With ``strict``, an edge whose subject should already be a HUB or stakeholder
    (``*``, ``stakeholder``) and is not in ``G`` is left out; otherwise ``*`` is a HUB.
    """
    relation = RELATIONS[name]
    loose = relation.subject in ("*", "stakeholder")
    edges = [(s, o) for s, o in pairs if not (strict and loose and s not in G)]
    subject = "hub" if relation.subject == "*" else relation.subject
    new: dict[str, str] = {}
    for s, o in edges:
        for node, kind in ((s, subject), (o, relation.object)):
            if node not in G and node not in new:
                new[node] = "lrg" if kind == "stakeholder" and node in lrgs else kind
    G.add_nodes_from((node, {"kind": kind}) for node, kind in new.items())
    G.add_edges_from((s, o, name) for s, o in edges)


def _add_part_of(G: nx.MultiDiGraph, part_of: Mapping[str, set[str]]) -> None:
    """Follow ``l4a:partOf`` up from the territories in ``G`` (countries, regions)."""
    todo = [n for n, kind in G.nodes(data="kind") if kind == "territory"]
    while todo:
        node = todo.pop()
        for parent in part_of.get(node, ()):
            if parent not in G:
                G.add_node(parent, kind="territory")
                todo.append(parent)
            G.add_edge(node, parent, key="part_of")


def _add_attributes(G: nx.MultiDiGraph, kg: KnowledgeGraph) -> None:
    """Labels, notations, territory levels and HUB dates, for the nodes of ``G`` only."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for s, p, text, lang in _rows(
        kg,
        "SELECT ?s ?p ?l (LANG(?l) AS ?lang) WHERE { ?s ?p ?l . "
        "VALUES ?p { skos:prefLabel skos:altLabel dcterms:title rdfs:label } }",
    ):
        if s in G:
            # Several labels in one language: the smallest, so every run picks the same.
            texts = found.setdefault(s, {}).setdefault(p, {})
            texts[lang] = min(texts.get(lang, text), text)
    for node, kind in G.nodes(data="kind"):
        G.nodes[node]["labels"] = _labels(found.get(node, {}), kind)
    for s, notation in _rows(kg, "SELECT ?s ?n WHERE { ?s skos:notation ?n }"):
        if s in G:
            G.nodes[s]["notation"] = notation
    levels = " ".join(f"<{c}>" for c in TERRITORY_LEVELS)
    for s, cls in _rows(kg, f"SELECT ?s ?c WHERE {{ ?s a ?c VALUES ?c {{ {levels} }} }}"):
        if s in G and G.nodes[s]["kind"] == "territory":
            G.nodes[s]["level"] = _higher(G.nodes[s].get("level"), TERRITORY_LEVELS[cls])
    for node in (n for n, k in G.nodes(data="kind") if k == "territory"):
        if node.startswith(PREFIXES["region"]):
            G.nodes[node]["level"] = "world-region"
    for node in (n for n, k in G.nodes(data="kind") if k == "hub"):
        G.nodes[node].update(start=None, end=None)
    for s, which, text in _rows(
        kg,
        "SELECT ?s ?which ?d WHERE { ?s a l4a:Hub . "
        '{ ?s l4a:startDate ?d BIND ("start" AS ?which) } UNION '
        '{ ?s l4a:endDate ?d BIND ("end" AS ?which) } }',
    ):
        _set_date(G.nodes[s], which, text)


def _labels(by_predicate: Mapping[str, Mapping[str, str]], kind: str) -> dict[str, str]:
    """One label per language, the predicates tried in the order the kind prefers."""
    labels: dict[str, str] = {}
    for name in LABEL_PREDICATES.get(kind, LABEL_PREDICATES["*"]):
        for lang, text in sorted(by_predicate.get(_LABEL_IRIS[name], {}).items()):
            labels.setdefault(lang, text)
    return labels


def _higher(current: str | None, level: str) -> str:
    """A place typed both city and country (a city-state) counts as the larger one."""
    order = list(TERRITORY_LEVELS.values())
    if current is None:
        return level
    return current if order.index(current) < order.index(level) else level


def _set_date(attributes: dict[str, object], which: str, text: str) -> None:
    """Keep the earliest start and the latest end; a partial date covers its whole period."""
    day = parse_date(text, end=which == "end")
    if day is None:
        return
    current = attributes.get(which)
    if not isinstance(current, date):
        attributes[which] = day
    else:
        attributes[which] = min(current, day) if which == "start" else max(current, day)


def parse_date(text: str, *, end: bool = False) -> date | None:
    """The first (or, with ``end``, the last) day of an xsd date, gYearMonth or gYear.

    Examples
    --------
    >>> parse_date("2023-03", end=True)
    datetime.date(2023, 3, 31)
    >>> parse_date("2021"), parse_date("soon"), parse_date("2021-13")
    (datetime.date(2021, 1, 1), None, None)
    """
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if day is not None and month is not None:
            return date(year, month, day)
        if not end:
            return date(year, month or 1, 1)
        if month is None:
            return date(year, 12, 31)
        return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    except (ValueError, OverflowError):  # month 13, year 0: not a date, so unknown
        return None


def _rows(kg: KnowledgeGraph, sparql: str) -> Iterator[tuple[str, ...]]:
    """The solutions of a SELECT as tuples of strings ("" for an unbound variable)."""
    for solution in kg.select(sparql):
        yield tuple("" if term is None else term.value for term in solution)


# -- labels and names ---------------------------------------------------------------


def label(G: nx.MultiDiGraph, node: str, lang: str = "en") -> str:
    """The label of ``node`` in ``lang``, else in English, else in any language, else its IRI.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("urn:x", labels={"en": "Water", "fr": "Eau"})
    >>> label(G, "urn:x", "fr"), label(G, "urn:x", "es"), label(G, "urn:y")
    ('Eau', 'Water', 'urn:y')
    """
    labels: Mapping[str, str] = G.nodes[node].get("labels", {}) if node in G else {}
    return pick_label(labels, node, lang)


def pick_label(labels: Mapping[str, str], node: str, lang: str = "en") -> str:
    """The label in ``lang``, else in English, else in any language, else ``node`` compacted.

    Examples
    --------
    >>> pick_label({"fr": "Eau", "de": "Wasser"}, "urn:x", "es")
    'Wasser'
    """
    for key in (lang, "en", ""):
        if key in labels:
            return labels[key]
    if labels:
        return labels[min(labels)]
    return compact(node)


def compact(iri: str) -> str:
    """``iri`` as a prefixed name when a known prefix fits, else unchanged.

    Examples
    --------
    >>> compact("https://w3id.org/l4a/id/hub/bilbao"), compact("urn:x")
    ('hub:bilbao', 'urn:x')
    """
    for prefix, base in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        local = iri[len(base) :]
        if iri.startswith(base) and local and "/" not in local and "#" not in local:
            return f"{prefix}:{local}"
    return iri


def expand_iri(name: str) -> str:
    """The full IRI of ``name``: an IRI (optionally in ``<>``) or a prefixed name.

    Examples
    --------
    >>> expand_iri("hub:bilbao-city-of-values")
    'https://w3id.org/l4a/id/hub/bilbao-city-of-values'
    >>> expand_iri("<http://metadata.un.org/sdg/17>")
    'http://metadata.un.org/sdg/17'
    """
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, colon, local = name.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def find_node(G: nx.MultiDiGraph, name: str, kinds: Iterable[str], what: str) -> str:
    """The node of one of ``kinds`` that ``name`` (IRI, prefixed name or slug) stands for.

    Raises
    ------
    UnknownEntityError
        If no node of those kinds has that name; the message suggests close names.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://w3id.org/l4a/id/hub/bilbao", kind="hub")
    >>> find_node(G, "bilbao", ["hub"], "HUB")
    'https://w3id.org/l4a/id/hub/bilbao'
    >>> find_node(G, "hub:bilbo", ["hub"], "HUB")
    Traceback (most recent call last):
    ...
    l4a_graph.analyses.exceptions.UnknownEntityError: unknown HUB hub:bilbo; did you mean ...
    """
    return find_in(dict(G.nodes(data="kind")), name, kinds, what)


def find_in(kind_of: Mapping[str, str | None], name: str, kinds: Iterable[str], what: str) -> str:
    """:func:`find_node` over a ``{node: kind}`` mapping (see :func:`find_node`).

    Examples
    --------
    >>> find_in({"urn:l4a:x": "hub"}, "urn:l4a:x", ["hub"], "HUB")
    'urn:l4a:x'
    """
    kinds = set(kinds)
    candidates = [n for n, k in kind_of.items() if k in kinds]
    if not candidates:
        raise EmptyGraphError(f"the knowledge graph holds no {what}: load some data first")
    iri = expand_iri(name)
    folders = {"hub": "hub/", "lrg": "org/", "stakeholder": "org/", "territory": "place/"}
    tries = [iri] + [ns.ID + folders[k] + name for k in sorted(kinds) if k in folders]
    for attempt in tries:
        if kind_of.get(attempt) in kinds:
            return attempt
    # Compare the last segments: every IRI shares its long prefix with the others.
    by_slug = {_slug(c): c for c in candidates}
    wanted = _slug(iri)
    close = sorted(s for s in by_slug if s.startswith(wanted))[:3] or difflib.get_close_matches(
        wanted, list(by_slug), n=3, cutoff=0.6
    )
    hint = (
        f"; did you mean {', '.join(compact(by_slug[c]) for c in close)}?"
        if close
        else f"; there are {len(candidates)}, e.g. {compact(min(candidates))}"
    )
    raise UnknownEntityError(f"unknown {what} {name}{hint}")


def _slug(iri: str) -> str:
    return re.split(r"[/#:]", iri)[-1]


# -- where HUBs are, who is in them -------------------------------------------------


def hub_territories(G: nx.MultiDiGraph, hub: str) -> set[str]:
    """The HUB's own territories or, when it states none, those of its leads.

    Examples
    --------
    >>> G = graph_from_edges([("h", "has_lead", "city"), ("city", "has_territory", "town")],
    ...                      {"city": {"kind": "lrg"}})
    >>> hub_territories(G, "h")
    {'town'}
    """
    own = _targets(G, hub, "has_territory")
    if own:
        return own
    return {t for lead in _targets(G, hub, "has_lead") for t in _targets(G, lead, "has_territory")}


def hubs_in_territory(G: nx.MultiDiGraph, territory: str) -> list[str]:
    """The HUBs based in ``territory`` or in a place that is part of it, sorted.

    Examples
    --------
    >>> G = graph_from_edges([("h1", "has_territory", "bilbao"), ("h2", "has_territory", "ES"),
    ...                       ("bilbao", "part_of", "ES"), ("h3", "has_territory", "IT")])
    >>> hubs_in_territory(G, "ES"), hubs_in_territory(G, "bilbao")
    (['h1', 'h2'], ['h1'])
    """
    part_of = _part_of_graph(G)
    inside = {territory} | (nx.ancestors(part_of, territory) if territory in part_of else set())
    return sorted(h for h in _hubs(G) if hub_territories(G, h) & inside)


def hubs_of_stakeholder(G: nx.MultiDiGraph, stakeholder: str) -> list[str]:
    """The HUBs that ``stakeholder`` leads or takes part in, sorted.

    Examples
    --------
    >>> G = graph_from_edges([("h2", "has_lead", "x"), ("h1", "has_stakeholder", "x")])
    >>> hubs_of_stakeholder(G, "x")
    ['h1', 'h2']
    """
    return sorted(
        h
        for h, keys in G.pred[stakeholder].items()
        if "has_lead" in keys or "has_stakeholder" in keys
    )


def _part_of_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    return nx.DiGraph((u, v) for u, v, rel in G.edges(keys=True) if rel == "part_of")


def _targets(G: nx.MultiDiGraph, node: str, relation: str) -> set[str]:
    # The adjacency dict directly: edge views cost more than the lookups themselves.
    return {v for v, keys in G.succ[node].items() if relation in keys}


def _hubs(G: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, kind in G.nodes(data="kind") if kind == "hub")


# -- what matching asks about nodes -------------------------------------------------


class Nodes(Protocol):
    """What matching needs to know about the nodes besides the incidences.

    A typed graph answers through :class:`GraphNodes`; the store reading of
    :mod:`.store_views` answers from its own tables, fetching labels on demand.
    """

    def kind(self, node: str) -> str | None:
        """The node's kind (one of :data:`KINDS`), None when it is no node."""

    def label(self, node: str, lang: str = "en") -> str:
        """As :func:`label`."""

    def notation(self, node: str) -> str:
        """The ``skos:notation`` of an SDG goal or target, else ``""``."""

    def find(self, name: str, kinds: Iterable[str], what: str) -> str:
        """As :func:`find_node`."""

    def hubs_of_stakeholder(self, stakeholder: str) -> list[str]:
        """As :func:`hubs_of_stakeholder`."""

    def hubs_in_territory(self, territory: str) -> list[str]:
        """As :func:`hubs_in_territory`."""

    def prefetch(self, nodes: Iterable[str]) -> None:
        """Get the labels and notations of ``nodes`` in one go (a hint; may do nothing)."""


class GraphNodes:
    """:class:`Nodes` answered by a typed graph.

    Examples
    --------
    >>> G = graph_from_edges([("h", "has_lead", "x")], {"x": {"labels": {"en": "X"}}})
    >>> nodes = GraphNodes(G)
    >>> nodes.kind("x"), nodes.label("x"), nodes.hubs_of_stakeholder("x")
    ('stakeholder', 'X', ['h'])
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G

    def kind(self, node: str) -> str | None:
        kind: str | None = self.G.nodes[node].get("kind") if node in self.G else None
        return kind

    def label(self, node: str, lang: str = "en") -> str:
        return label(self.G, node, lang)

    def notation(self, node: str) -> str:
        notation: str = self.G.nodes[node].get("notation", "") if node in self.G else ""
        return notation

    def find(self, name: str, kinds: Iterable[str], what: str) -> str:
        return find_node(self.G, name, kinds, what)

    def hubs_of_stakeholder(self, stakeholder: str) -> list[str]:
        return hubs_of_stakeholder(self.G, stakeholder)

    def hubs_in_territory(self, territory: str) -> list[str]:
        return hubs_in_territory(self.G, territory)

    def prefetch(self, nodes: Iterable[str]) -> None:
        return None


GraphLike: TypeAlias = "nx.MultiDiGraph | Nodes"
"""A typed graph or anything else that answers :class:`Nodes`."""


def as_nodes(G: GraphLike) -> Nodes:
    """``G`` itself, or a typed graph wrapped in :class:`GraphNodes`."""
    return GraphNodes(G) if isinstance(G, nx.Graph) else G


# -- projections --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Incidence:
    """A HUB-by-feature incidence matrix: which HUB has which target, axis, stakeholder...

    Incidences never change and compare by identity, so what is derived from one (the
    column degrees, the transpose that products use, the weighted variants the signals
    build) is computed once and kept.

    Attributes
    ----------
    rows
        The HUB IRIs, in row order.
    cols
        The feature IRIs, in column order.
    matrix
        A ``len(rows) x len(cols)`` scipy CSR array in :data:`DTYPE` (0/1 as built).
    """

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    matrix: sparse.csr_array

    @classmethod
    def from_mapping(
        cls,
        features: Mapping[str, Iterable[str]],
        rows: Sequence[str] | None = None,
        cols: Sequence[str] | None = None,
    ) -> Incidence:
        """Build from ``{row: features}``; rows and columns default to the sorted keys and values.

        Examples
        --------
        >>> A = Incidence.from_mapping({"a": ["t1", "t2"], "b": ["t2"]})
        >>> A.cols, A.matrix.toarray().tolist()
        (('t1', 't2'), [[1.0, 1.0], [0.0, 1.0]])
        """
        rows = tuple(rows if rows is not None else sorted(features))
        cols = tuple(
            cols if cols is not None else sorted({f for fs in features.values() for f in fs})
        )
        where = {c: j for j, c in enumerate(cols)}
        indptr, indices = [0], []
        for row in rows:
            indices += sorted({where[f] for f in features.get(row, ()) if f in where})
            indptr.append(len(indices))
        matrix = sparse.csr_array(
            (np.ones(len(indices), dtype=DTYPE), np.array(indices, dtype=np.int32), indptr),
            shape=(len(rows), len(cols)),
        )
        return cls(rows, cols, matrix)

    @classmethod
    def from_indices(
        cls,
        rows: Sequence[str],
        cols: Sequence[str],
        row_index: npt.ArrayLike,
        col_index: npt.ArrayLike,
    ) -> Incidence:
        """Build from parallel arrays of row and column indices (repeats count once).

        The matrix is the one :meth:`from_mapping` builds for the same pairs: 0/1,
        indices sorted within each row.

        Examples
        --------
        >>> A = Incidence.from_indices(("a", "b"), ("t1", "t2"), [1, 0, 0, 0], [1, 1, 0, 1])
        >>> A.matrix.toarray().tolist()
        [[1.0, 1.0], [0.0, 1.0]]
        """
        width = max(len(cols), 1)
        keys = np.unique(
            np.asarray(row_index, dtype=np.int64) * width + np.asarray(col_index, dtype=np.int64)
        )
        where, what = np.divmod(keys, width)
        indptr = np.zeros(len(rows) + 1, dtype=np.int32)
        np.cumsum(np.bincount(where, minlength=len(rows)), out=indptr[1:])
        matrix = sparse.csr_array(
            (np.ones(len(keys), dtype=DTYPE), what.astype(np.int32), indptr),
            shape=(len(rows), len(cols)),
        )
        return cls(tuple(rows), tuple(cols), matrix)

    def derived(self, matrix: sparse.sparray) -> Incidence:
        """An incidence over the same rows and columns with other values (weights)."""
        return Incidence(self.rows, self.cols, sparse.csr_array(matrix, dtype=DTYPE))

    def features(self, row: int) -> list[str]:
        """The feature IRIs of HUB ``row``."""
        start, stop = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        return [self.cols[j] for j in self.matrix.indices[start:stop]]

    @cached_property
    def degrees(self) -> npt.NDArray[np.float64]:
        """How many HUBs have each feature (column sums)."""
        return np.asarray(self.matrix.sum(axis=0), dtype=np.float64).ravel()

    @cached_property
    def transposed(self) -> FloatArray | sparse.csr_array:
        """The right-hand side of products: dense when there are few features, else CSR."""
        if self.matrix.shape[1] <= DENSE_FEATURES:
            return np.ascontiguousarray(self.matrix.toarray().T)
        return sparse.csr_array(self.matrix.T)


@dataclass(frozen=True)
class HubViews:
    """The bipartite projections the signals need, all over the same HUB rows.

    Attributes
    ----------
    hubs
        HUB IRIs, sorted: row ``i`` of every incidence is ``hubs[i]``.
    agenda
        HUB x (SDG targets and goals); a target brings its goal.
    targets, axes, stakeholders, regions, sections
        HUB x SDG targets, Pact axes, stakeholders (leads included), world regions,
        UCLG sections (of the HUB's LRGs).
    offers, seeks
        HUB x expertise topics (the same columns); offers include deliverables' topics.
    start, end
        First and last day of each HUB (``datetime64[D]``, NaT when unknown).
    connected
        Pairs ``(i, j)``, ``i < j``, already connected (``l4a:exchangesWith``).
    """

    hubs: tuple[str, ...]
    agenda: Incidence
    targets: Incidence
    axes: Incidence
    stakeholders: Incidence
    offers: Incidence
    seeks: Incidence
    regions: Incidence
    sections: Incidence
    start: npt.NDArray[np.datetime64]
    end: npt.NDArray[np.datetime64]
    connected: frozenset[tuple[int, int]]

    @cached_property
    def index(self) -> dict[str, int]:
        """Row index of each HUB IRI (worked out once: do not change it)."""
        return {h: i for i, h in enumerate(self.hubs)}


def hub_views(G: nx.MultiDiGraph) -> HubViews:
    """Project the typed graph onto HUB-by-feature incidence matrices.

    Parameters
    ----------
    G
        A typed graph as :func:`typed_graph` builds it.

    Returns
    -------
    HubViews

    Raises
    ------
    EmptyGraphError
        If ``G`` has no HUB.

    Examples
    --------
    >>> G = graph_from_edges(
    ...     [
    ...         ("h1", "addresses_target", "t1"),
    ...         ("h2", "addresses_target", "t1"),
    ...         ("t1", "broader", "g1"),
    ...     ]
    ... )
    >>> V = hub_views(G)
    >>> V.hubs, V.agenda.cols, V.agenda.matrix.toarray().tolist()
    (('h1', 'h2'), ('g1', 't1'), [[1.0, 1.0], [1.0, 1.0]])

    Notes
    -----
    O(V + E): every HUB's out-edges once, and each territory's ancestors once.
    """
    hubs = tuple(_hubs(G))
    if not hubs:
        raise EmptyGraphError("the knowledge graph holds no HUB (l4a:Hub): nothing to match")
    out: dict[str, dict[str, set[str]]] = {h: {} for h in hubs}
    for h in hubs:
        for v, keys in G.succ[h].items():
            for rel in keys:
                out[h].setdefault(rel, set()).add(v)

    def of(h: str, *relations: str) -> set[str]:
        return set().union(*(out[h].get(r, set()) for r in relations))

    regions = _world_regions(G)
    topics = sorted({t for h in hubs for t in of(h, "offers", "delivers", "seeks")})
    agenda = {h: of(h, "addresses_target", "addresses_goal") for h in hubs}
    for h in hubs:
        agenda[h] |= {g for t in of(h, "addresses_target") for g in _targets(G, t, "broader")}
    index = {h: i for i, h in enumerate(hubs)}
    starts, ends = zip(*(_interval(G.nodes[h]) for h in hubs), strict=True)
    return HubViews(
        hubs=hubs,
        agenda=Incidence.from_mapping(agenda, hubs),
        targets=Incidence.from_mapping({h: of(h, "addresses_target") for h in hubs}, hubs),
        axes=Incidence.from_mapping({h: of(h, "contributes_to_axis") for h in hubs}, hubs),
        stakeholders=Incidence.from_mapping(
            {h: of(h, "has_lead", "has_stakeholder") for h in hubs}, hubs
        ),
        offers=Incidence.from_mapping({h: of(h, "offers", "delivers") for h in hubs}, hubs, topics),
        seeks=Incidence.from_mapping({h: of(h, "seeks") for h in hubs}, hubs, topics),
        regions=Incidence.from_mapping(
            {h: {r for t in hub_territories(G, h) for r in regions(t)} for h in hubs}, hubs
        ),
        sections=Incidence.from_mapping({h: _sections(G, h, of) for h in hubs}, hubs),
        start=np.array(starts, dtype="datetime64[D]"),
        end=np.array(ends, dtype="datetime64[D]"),
        connected=frozenset(
            (min(index[h], index[o]), max(index[h], index[o]))
            for h in hubs
            for o in of(h, "exchanges_with")
            if o in index and o != h
        ),
    )


def _world_regions(G: nx.MultiDiGraph) -> Callable[[str], frozenset[str]]:
    """A memoized ``territory -> world regions it lies in`` (itself included)."""

    @cache
    def regions(territory: str) -> frozenset[str]:
        found = {territory} if G.nodes[territory].get("level") == "world-region" else set()
        for parent in _targets(G, territory, "part_of"):
            found |= regions(parent)
        return frozenset(found)

    return regions


def _sections(G: nx.MultiDiGraph, hub: str, of: Callable[..., set[str]]) -> set[str]:
    """UCLG sections of the HUB's leads and other LRGs: a HUB itself is no section member."""
    members = {s for s in of(hub, "has_lead", "has_stakeholder") if G.nodes[s]["kind"] == "lrg"}
    members |= of(hub, "has_lead")
    return {sec for m in members for sec in _targets(G, m, "member_of_section")}


def _interval(attributes: Mapping[str, object]) -> tuple[str, str]:
    start, end = attributes.get("start"), attributes.get("end")
    return (
        start.isoformat() if isinstance(start, date) else "NaT",
        end.isoformat() if isinstance(end, date) else "NaT",
    )


def unit_rows(incidence: Incidence, weights: npt.NDArray[np.float64]) -> Incidence:
    """Scale the columns by ``weights``, then each row to length 1 (or 0).

    Examples
    --------
    >>> A = Incidence.from_mapping({"a": ["x", "y"], "b": []})
    >>> print(unit_rows(A, np.array([3.0, 4.0])).matrix.toarray())
    [[0.6 0.8]
     [0.  0. ]]
    """
    weighted = incidence.matrix @ sparse.diags_array(weights)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return incidence.derived(sparse.diags_array(inverse) @ weighted)


def row_products(left: Incidence, right: Incidence, rows: Rows = None) -> FloatArray:
    """``left[rows] @ right.T`` as a new dense array: pair counts of a bipartite projection.

    The rows of ``left`` stay sparse. With few features (targets, goals, axes, topics)
    ``right.T`` is dense and the product is sparse by dense: each score adds the shared
    features in column order, whatever other rows are asked for, so a score does not
    depend on the block of HUBs it is computed in (a dense BLAS product sums in an order
    that depends on the shapes), and only the features a HUB has cost anything. Many
    features (stakeholders) keep both sides sparse until the end.

    Examples
    --------
    >>> A = Incidence.from_mapping({"a": ["x", "y"], "b": ["y"]})
    >>> row_products(A, A).tolist()
    [[2.0, 1.0], [1.0, 1.0]]
    """
    chosen = left.matrix if rows is None else left.matrix[np.asarray(rows, dtype=np.intp)]
    other = right.transposed
    if isinstance(other, np.ndarray):
        return np.asarray(chosen @ other, dtype=DTYPE)
    return np.asarray((chosen @ other).toarray(), dtype=DTYPE)
