"""The HUB projections read straight from the store: matchmaking without the networkx graph.

:func:`~l4a_graph.analyses.graphs.typed_graph` reads the store into networkx, then
:func:`~l4a_graph.analyses.graphs.hub_views` projects the incidence matrices out of it;
for ten thousand HUBs most of that time goes into building a graph that ranking never
looks at. :func:`read_views` builds the same :class:`~l4a_graph.analyses.graphs.HubViews`
(equal matrices, so equal rankings) from one SPARQL query, and answers what matching
asks about nodes (:class:`~l4a_graph.analyses.graphs.Nodes`: kinds, where HUBs are,
labels) from the same results, fetching labels only for the nodes a result shows.
networkx stays the model of the graph for the network views (:mod:`.network`).

Three things keep the reading fast; each was measured on ten thousand HUBs. The query
has one branch per relation (:data:`PARTS`), a plain scan or path with no join on
``rdf:type``: that join, done by the store for every solution, cost more than all the
rest, and is done here on a set. The solutions are few: each branch groups its pairs
by the side with few values (an SDG target, a topic) and concatenates the other side
(``GROUP_CONCAT``), or, when both sides have many values, concatenates ``s o`` pairs;
handing a solution to Python costs more than the store's own work. And the HUB-level
derivations (territories, world regions, sections) are sparse products over numbered
nodes, not Python loops. A group whose values cannot be split back (a blank node, a
literal with a space) is read again solution by solution, so any data reads exactly as
:func:`~.graphs.typed_graph` reads it.

:func:`projections` keeps the last reading of each knowledge graph for a given data
version (the web API passes the generation of the published snapshot), so repeated
requests rank without reading the store again.
"""

from __future__ import annotations

import gc
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Container, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import compress
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt
from scipy import sparse

from l4a_graph.analyses.exceptions import EmptyGraphError
from l4a_graph.analyses.graphs import (
    DTYPE,
    LRG_CLASSES,
    NODE_PATTERNS,
    PREFIXES,
    RELATIONS,
    STAKEHOLDER_PATH,
    HubViews,
    Incidence,
    _labels,
    find_in,
    parse_date,
    pick_label,
)

if TYPE_CHECKING:
    from l4a_graph.knowledge_graph import KnowledgeGraph

__all__ = ["PARTS", "Projections", "StoreNodes", "projections", "read_parts", "read_views"]

Read = tuple[list[str], list[str]]
"""The solutions of a part: subjects and objects, in parallel lists."""


@dataclass(frozen=True)
class Part:
    """One part of the reading: a pattern binding ``?s`` and ``?o``.

    ``grouped`` parts have few distinct objects (SDG targets, topics): their solutions
    come grouped by object, the subjects concatenated. The others come as one string of
    ``s o`` pairs. ``distinct`` drops repeated solutions in the store (inferred types).
    """

    pattern: str
    grouped: bool = True
    distinct: bool = False


PARTS: Final[dict[str, Part]] = {
    # The node kinds of NODE_PATTERNS and the LRGs: ?o is the constant "".
    **{
        f"node:{kind}": Part(f'{{ {pattern} }} BIND (?x AS ?s) BIND ("" AS ?o)')
        for kind, pattern in NODE_PATTERNS.items()
    },
    "world-region": Part('?s a l4a:WorldRegion BIND ("" AS ?o)'),
    "lrg": Part(
        f'?t rdfs:subClassOf* ?c VALUES ?c {{ {LRG_CLASSES} }} ?s a ?t BIND ("" AS ?o)',
        distinct=True,
    ),
    # The relations of RELATIONS without their rdf:type joins, which are done in Python.
    "addresses_target": Part("?s l4a:addressesTarget ?o"),
    "addresses_goal": Part("?s l4a:addressesGoal ?o"),
    "broader": Part("?s skos:broader ?o"),
    "contributes_to_axis": Part("?s l4a:contributesToAxis ?o"),
    "has_lead": Part("?s l4a:hasLead ?o", grouped=False),
    "has_stakeholder": Part(f"?s {STAKEHOLDER_PATH} ?o", grouped=False),
    "offers": Part("?s l4a:offersExpertise ?o"),
    "seeks": Part("?s l4a:seeksExpertise ?o"),
    "delivers": Part("?d dcterms:subject ?o . ?s l4a:hasDeliverable|^l4a:deliverableOf ?d"),
    "exchanges_with": Part(
        "{ ?s l4a:exchangesWith|^l4a:exchangesWith ?o }"
        " UNION { ?e l4a:involvesHub ?s , ?o } FILTER (?s != ?o)",
        grouped=False,
    ),
    "has_territory": Part("?s l4a:hasTerritory ?o", grouped=False),
    "part_of": Part("?s l4a:partOf|l4a:country ?o"),
    "member_of_section": Part("?s l4a:memberOfSection ?o"),
    "start": Part("?s l4a:startDate ?o", grouped=False),
    "end": Part("?s l4a:endDate ?o", grouped=False),
}
"""What :func:`read_views` reads, in one query with a ``UNION`` branch per part."""

HUB_RELATIONS: Final = (
    "addresses_target",
    "addresses_goal",
    "contributes_to_axis",
    "has_lead",
    "has_stakeholder",
    "offers",
    "seeks",
    "delivers",
    "exchanges_with",
)
"""Relations whose subject must be typed ``l4a:Hub`` (the ``?s a l4a:Hub`` of RELATIONS)."""

_LABEL_BRANCHES: Final = " UNION ".join(
    f"{{ ?s {p} ?l BIND ({p} AS ?p) }}"
    for p in ("skos:prefLabel", "skos:altLabel", "dcterms:title", "rdfs:label", "skos:notation")
)
"""Labels and notations, one branch per predicate (``VALUES ?p`` beside ``VALUES ?s`` scans)."""

_IRI = re.compile(r'^[^\s<>"{}|^`\\]+:[^\s<>"{}|^`\\]*$')


# -- reading --------------------------------------------------------------------------


def _branch(name: str, part: Part) -> str:
    pattern = f"{{ {part.pattern} }}"
    if part.distinct:
        pattern = f"{{ SELECT DISTINCT ?s ?o WHERE {pattern} }}"
    if part.grouped:
        key, value = "?o", "STR(?s)"
    else:
        key, value = '""', "CONCAT(STR(?s), ' ', STR(?o))"
    return f'{{ {pattern} BIND ("{name}" AS ?part) BIND ({key} AS ?key) BIND ({value} AS ?value) }}'


def read_parts(kg: KnowledgeGraph, names: Iterable[str] = PARTS) -> dict[str, Read]:
    """The solutions of the parts ``names``, in one query.

    A group whose values cannot be split back (a blank node, whose ``STR`` fails, or a
    literal with a space) makes its part read again solution by solution.

    Examples
    --------
    >>> from l4a_graph import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> _ = kg.load_shipped()
    >>> hubs, _ = read_parts(kg, ["node:hub"])["node:hub"]
    >>> "https://w3id.org/l4a/id/hub/venice-city-solutions-2030" in hubs
    True
    """
    names = list(names)
    found: dict[str, Read] = {name: ([], []) for name in names}
    if not names:
        return found
    branches = " UNION ".join(_branch(name, PARTS[name]) for name in names)
    sparql = (
        "SELECT ?part ?key (GROUP_CONCAT(?value; separator=' ') AS ?values) (COUNT(*) AS ?n) "
        f"WHERE {{ {branches} }} GROUP BY ?part ?key"
    )
    broken: set[str] = set()
    for part, key, values, count in kg.select(sparql):
        name = part.value
        text = None if values is None else values.value
        items = text.split(" ") if text else []
        subjects, objects = found[name]
        n = int(count.value)
        if PARTS[name].grouped and text is not None and len(items) == n:
            subjects += items
            objects += [key.value] * n
        elif not PARTS[name].grouped and text is not None and len(items) == 2 * n:
            subjects += items[0::2]
            objects += items[1::2]
        else:
            broken.add(name)
    for name in broken:
        distinct = "DISTINCT " if PARTS[name].distinct else ""
        rows = kg.select(f"SELECT {distinct}?s ?o WHERE {{ {PARTS[name].pattern} }}")
        pairs = [("" if s is None else s.value, "" if o is None else o.value) for s, o in rows]
        found[name] = ([s for s, _ in pairs], [o for _, o in pairs])
    return found


# -- the nodes --------------------------------------------------------------------------


@dataclass
class StoreNodes:
    """:class:`~l4a_graph.analyses.graphs.Nodes` answered from the store reading.

    Every node has a number (its position in ``names``); kinds, territories and
    stakeholders come from the reading, labels and notations are fetched from the
    knowledge graph on demand and kept. The graph is held weakly (``source``), so that
    a cached reading does not keep it alive.
    """

    source: weakref.ReferenceType[KnowledgeGraph]
    kinds: dict[str, str]
    names: list[str]
    """Every node, in the order of their numbers."""
    part_of: dict[str, set[str]]
    """Territory -> the territories it is part of (as the typed graph's part_of edges)."""
    hubs: tuple[str, ...]
    territories: sparse.csr_array
    """HUB (row of ``hubs``) x node: its own territories, else its leads' (``hub_territories``)."""
    members: sparse.csc_array
    """Node x node: HUB -> stakeholders it has (leads included), by column."""
    _labels: dict[str, dict[str, str]] = field(default_factory=dict)
    _notations: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @cached_property
    def ids(self) -> dict[str, int]:
        """The number of each node."""
        return {n: i for i, n in enumerate(self.names)}

    def kind(self, node: str) -> str | None:
        return self.kinds.get(node)

    def label(self, node: str, lang: str = "en") -> str:
        if node not in self._labels:
            self.prefetch([node])
        return pick_label(self._labels.get(node, {}), node, lang)

    def notation(self, node: str) -> str:
        if node not in self._labels:
            self.prefetch([node])
        return self._notations.get(node, "")

    def find(self, name: str, kinds: Iterable[str], what: str) -> str:
        return find_in(self.kinds, name, kinds, what)

    def hubs_of_stakeholder(self, stakeholder: str) -> list[str]:
        if stakeholder not in self.ids:
            return []
        j = self.ids[stakeholder]
        found = self.members.indices[self.members.indptr[j] : self.members.indptr[j + 1]]
        return sorted(self.names[i] for i in found)

    def hubs_in_territory(self, territory: str) -> list[str]:
        children: dict[str, set[str]] = defaultdict(set)
        for child, parents in self.part_of.items():
            for parent in parents:
                children[parent].add(child)
        inside, todo = {territory}, [territory]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in inside:
                    inside.add(child)
                    todo.append(child)
        columns = [self.ids[t] for t in inside if t in self.ids]
        there = np.asarray(self.territories[:, columns].sum(axis=1)).ravel() > 0
        return sorted(h for h, yes in zip(self.hubs, there, strict=True) if yes)

    def prefetch(self, nodes: Iterable[str]) -> None:
        """Labels and notations of ``nodes`` not fetched yet, in one query."""
        with self._lock:
            wanted = sorted({n for n in nodes if n not in self._labels})
            if not wanted:
                return
            iris = [n for n in wanted if _IRI.match(n)]
            found: dict[str, dict[str, dict[str, str]]] = {}
            notation = PREFIXES["skos"] + "notation"
            kg = self.source()
            if kg is None:
                raise RuntimeError("the knowledge graph these nodes were read from is gone")
            if iris:
                values = " ".join(f"<{n}>" for n in iris)
                for s, p, text, lang in kg_rows(
                    kg,
                    "SELECT ?s ?p ?l (LANG(?l) AS ?lang) "
                    f"WHERE {{ VALUES ?s {{ {values} }} {_LABEL_BRANCHES} }}",
                ):
                    if p == notation:
                        self._notations[s] = text
                        continue
                    # Several labels in one language: the smallest, as typed_graph picks.
                    texts = found.setdefault(s, {}).setdefault(p, {})
                    texts[lang] = min(texts.get(lang, text), text)
            for node in wanted:
                self._labels[node] = _labels(found.get(node, {}), self.kinds.get(node, ""))


def kg_rows(kg: KnowledgeGraph, sparql: str) -> list[tuple[str, ...]]:
    """The solutions of a SELECT as tuples of strings ("" for an unbound variable)."""
    return [tuple("" if t is None else t.value for t in solution) for solution in kg.select(sparql)]


# -- the projections ----------------------------------------------------------------------


@dataclass(frozen=True)
class Projections:
    """The HUB views and the nodes of one reading of the store."""

    views: HubViews
    nodes: StoreNodes


def read_views(kg: KnowledgeGraph) -> Projections:
    """Read the store straight into the views :func:`~.graphs.hub_views` projects.

    Parameters
    ----------
    kg
        The knowledge graph; all its named graphs are read as one.

    Returns
    -------
    Projections
        ``views`` equal to ``hub_views(typed_graph(kg))`` (same HUBs, columns and
        matrices, so the same rankings) and ``nodes`` answering what matching asks
        about nodes as ``GraphNodes(typed_graph(kg))`` does.

    Raises
    ------
    EmptyGraphError
        If the knowledge graph holds no HUB.

    Examples
    --------
    >>> from l4a_graph import KnowledgeGraph
    >>> from l4a_graph.analyses.graphs import GraphNodes, hub_views, typed_graph
    >>> kg = KnowledgeGraph()
    >>> _ = kg.load_shipped()
    >>> read = read_views(kg)
    >>> G = typed_graph(kg)
    >>> slow = hub_views(G)
    >>> read.views.hubs == slow.hubs, read.views.agenda.cols == slow.agenda.cols
    (True, True)
    >>> read.nodes.label("http://metadata.un.org/sdg/17", "fr")
    'Partenariats pour la réalisation des objectifs'

    Notes
    -----
    One SPARQL query (plus one per part whose values must be read solution by
    solution), then O(V + E) in Python and numpy.
    """
    with _collector_paused():
        return _project(kg, read_parts(kg))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: the reading makes many containers and no cycle.

    A collection pass scans every live container, and the reading creates hundreds of
    thousands of strings in lists and sets: the passes triggered along the way cost a
    tenth of the reading. Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _project(kg: KnowledgeGraph, read: Mapping[str, Read]) -> Projections:
    """The kinds as :func:`~.graphs.typed_graph` gives them, then the incidences."""
    kinds: dict[str, str] = {}
    for kind in NODE_PATTERNS:  # a later pattern wins, as add_node updates the kind
        kinds.update(dict.fromkeys(read[f"node:{kind}"][0], kind))
    typed_hubs = set(read["node:hub"][0])
    lrgs = set(read["lrg"][0])

    edges = {name: _kept(read[name], typed_hubs) for name in HUB_RELATIONS}
    targets = edges["addresses_target"]
    broader = _grouped(_kept(read["broader"], set(targets[1])))
    edges["broader"] = _pairs(broader)
    stated, derived = (
        edges["addresses_goal"],
        _pairs({h: broader[t] for h, t in zip(*targets, strict=True) if t in broader}),
    )
    edges["addresses_goal"] = (stated[0] + derived[0], stated[1] + derived[1])
    # In the typed graph's order: a node gets the kind of the first relation it is in.
    for name, relation in RELATIONS.items():
        if name == "part_of":
            continue
        if relation.subject in ("*", "stakeholder"):  # only from nodes already there
            edges[name] = _kept(read[name], set(kinds))
        subject = "hub" if relation.subject == "*" else relation.subject
        _add_kinds(kinds, edges[name], subject, relation.object, lrgs)
    part_of = _part_of(kinds, read["part_of"])

    hubs = tuple(sorted(n for n, kind in kinds.items() if kind == "hub"))
    if not hubs:
        raise EmptyGraphError("the knowledge graph holds no HUB (l4a:Hub): nothing to match")
    # Every node gets a number: the relations become sparse node x node matrices.
    names = list(kinds)
    ids = {n: i for i, n in enumerate(names)}
    hub_ids = _ids(ids, hubs)

    def adjacency(*relations: Read) -> sparse.csr_array:
        subjects = [_ids(ids, subject) for subject, _ in relations]
        return _adjacency(len(names), subjects, [_ids(ids, obj) for _, obj in relations])

    def incidence(*relations: Read, cols: Sequence[str] | None = None) -> Incidence:
        return _incidence(hubs, names, ids, adjacency(*relations)[hub_ids], cols)

    where, leads = adjacency(edges["has_territory"]), adjacency(edges["has_lead"])
    own = where[hub_ids]
    has_own = np.diff(own.indptr) > 0
    territories = _bool(
        own + sparse.diags_array((~has_own).astype(DTYPE)) @ (leads[hub_ids] @ where)
    )
    regions = _world_regions(kinds, names, ids, part_of, set(read["world-region"][0]))
    stakeholders = adjacency(edges["has_stakeholder"])
    is_lrg = np.array([kinds[n] == "lrg" for n in names], dtype=DTYPE)
    members = _bool(stakeholders[hub_ids] @ sparse.diags_array(is_lrg) + leads[hub_ids])
    in_sections = members @ adjacency(edges["member_of_section"])
    hubs_set = set(hubs)
    topics = sorted(
        {o for name in ("offers", "delivers", "seeks") for o in _kept(edges[name], hubs_set)[1]}
    )
    starts, ends = _dates(hubs, typed_hubs, read)
    exchanges = zip(*_kept(edges["exchanges_with"], hubs_set), strict=True)
    index = {h: i for i, h in enumerate(hubs)}
    views = HubViews(
        hubs=hubs,
        agenda=incidence(targets, edges["addresses_goal"]),
        targets=incidence(targets),
        axes=incidence(edges["contributes_to_axis"]),
        stakeholders=incidence(edges["has_lead"], edges["has_stakeholder"]),
        offers=incidence(edges["offers"], edges["delivers"], cols=topics),
        seeks=incidence(edges["seeks"], cols=topics),
        regions=_incidence(hubs, names, ids, _bool(territories @ regions), None),
        sections=_incidence(hubs, names, ids, _bool(in_sections), None),
        start=starts,
        end=ends,
        connected=frozenset(
            (min(index[h], index[o]), max(index[h], index[o]))
            for h, o in exchanges
            if o in index and o != h
        ),
    )
    nodes = StoreNodes(
        weakref.ref(kg),
        kinds,
        names,
        part_of,
        hubs,
        territories,
        sparse.csc_array(leads + stakeholders),
    )
    return Projections(views, nodes)


def _ids(ids: Mapping[str, int], nodes: Sequence[str]) -> npt.NDArray[np.int64]:
    return np.fromiter(map(ids.__getitem__, nodes), dtype=np.int64, count=len(nodes))


def _adjacency(
    n: int, subjects: Sequence[npt.NDArray[np.int64]], objects: Sequence[npt.NDArray[np.int64]]
) -> sparse.csr_array:
    """The 0/1 ``n x n`` matrix of the pairs (repeats count once)."""
    rows, cols = np.concatenate(subjects), np.concatenate(objects)
    matrix = sparse.csr_array((np.ones(len(rows), dtype=DTYPE), (rows, cols)), shape=(n, n))
    return _bool(matrix)


def _bool(matrix: sparse.sparray) -> sparse.csr_array:
    """``matrix != 0`` as 0/1 in :data:`DTYPE`, canonical (sorted, no repeats)."""
    found = sparse.csr_array(matrix, dtype=DTYPE)
    found.sum_duplicates()
    found.eliminate_zeros()
    found.data[:] = 1.0
    return found


def _incidence(
    hubs: tuple[str, ...],
    names: Sequence[str],
    ids: Mapping[str, int],
    matrix: sparse.csr_array,
    cols: Sequence[str] | None,
) -> Incidence:
    """HUB x node rows to a HUB x feature incidence, the features sorted by IRI."""
    matrix = _bool(matrix).tocoo()
    if cols is None:
        cols = sorted(names[j] for j in np.unique(matrix.col))
    column = np.full(len(names), -1, dtype=np.int64)
    column[_ids(ids, cols)] = np.arange(len(cols))
    mapped = column[matrix.col]
    known = mapped >= 0
    return Incidence.from_indices(hubs, cols, matrix.row[known], mapped[known])


def _kept(read: Read, subjects: Container[str]) -> Read:
    """The solutions whose subject is in ``subjects``."""
    keep = list(map(subjects.__contains__, read[0]))
    return list(compress(read[0], keep)), list(compress(read[1], keep))


def _grouped(read: Read) -> dict[str, set[str]]:
    """The objects of each subject."""
    found: dict[str, set[str]] = defaultdict(set)
    for s, o in zip(*read, strict=True):
        found[s].add(o)
    return found


def _pairs(grouped: Mapping[str, Iterable[str]]) -> Read:
    return [s for s, os in grouped.items() for _ in os], [o for os in grouped.values() for o in os]


def _add_kinds(kinds: dict[str, str], read: Read, subject: str, obj: str, lrgs: set[str]) -> None:
    """Give the nodes new to ``kinds`` the kind of their side of the relation."""
    new = set(read[1]).difference(kinds)
    if new.isdisjoint(read[0]) and set(read[0]).issubset(kinds):
        # Only objects are new (as always: subjects must be nodes already), so the order
        # in which they are met does not matter.
        for node in new:
            kinds[node] = "lrg" if obj == "stakeholder" and node in lrgs else obj
        return
    new |= set(read[0]).difference(kinds)
    for pair in zip(*read, strict=True):
        for node, kind in zip(pair, (subject, obj), strict=True):
            if node in new and node not in kinds:
                kinds[node] = "lrg" if kind == "stakeholder" and node in lrgs else kind


def _part_of(kinds: dict[str, str], read: Read) -> dict[str, set[str]]:
    """``l4a:partOf`` followed up from the territories, adding the parents met on the way."""
    parents = _grouped(read)
    found: dict[str, set[str]] = {}
    todo = [n for n, kind in kinds.items() if kind == "territory"]
    while todo:
        node = todo.pop()
        for parent in parents.get(node, ()):
            if parent not in kinds:
                kinds[parent] = "territory"
                todo.append(parent)
            found.setdefault(node, set()).add(parent)
    return found


def _world_regions(
    kinds: Mapping[str, str],
    names: Sequence[str],
    ids: Mapping[str, int],
    part_of: Mapping[str, set[str]],
    typed: set[str],
) -> sparse.csr_array:
    """Node x node: the world regions each territory lies in (itself included)."""
    prefix = PREFIXES["region"]
    n = len(names)
    is_region = np.array(
        [kinds[t] == "territory" and (t in typed or t.startswith(prefix)) for t in names],
        dtype=DTYPE,
    )
    up = _adjacency(
        n,
        [_ids(ids, [c for c, parents in part_of.items() for _ in parents])],
        [_ids(ids, [p for parents in part_of.values() for p in parents])],
    )
    # regions(t) = {t if t is a region} | regions(parents of t), to the fixed point.
    found = sparse.csr_array(sparse.diags_array(is_region))
    while True:
        wider = _bool(found + up @ found)
        if wider.nnz == found.nnz:
            return wider
        found = wider


def _dates(
    hubs: Sequence[str], typed: set[str], read: Mapping[str, Read]
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
    """First and last day of each HUB, as the typed graph's ``start`` and ``end``."""
    found = {}
    for which, pick in (("start", min), ("end", max)):
        subjects, texts = read[which]
        days = {text: parse_date(text, end=which == "end") for text in set(texts)}
        chosen: dict[str, date] = {}
        for s, text in zip(subjects, texts, strict=True):
            day = days[text]
            if day is not None and s in typed:
                chosen[s] = pick(chosen[s], day) if s in chosen else day
        found[which] = np.array(
            [chosen[h].isoformat() if h in chosen else "NaT" for h in hubs], dtype="datetime64[D]"
        )
    return found["start"], found["end"]


# -- the cache ------------------------------------------------------------------------------

_CACHE: weakref.WeakKeyDictionary[KnowledgeGraph, tuple[Hashable, Projections]] = (
    weakref.WeakKeyDictionary()
)
_CACHE_LOCK = threading.Lock()


def projections(kg: KnowledgeGraph, version: Hashable | None = None) -> Projections:
    """:func:`read_views`, kept per knowledge graph for the data version ``version``.

    Parameters
    ----------
    kg
        The knowledge graph.
    version
        Anything that changes whenever the data does (the web app passes the
        generation of its published snapshot); None reads the store every time.

    Examples
    --------
    >>> from l4a_graph import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> _ = kg.load_shipped()
    >>> projections(kg, 1) is projections(kg, 1), projections(kg, 1) is projections(kg, 2)
    (True, False)

    Notes
    -----
    One reading per knowledge graph is kept (the last version asked for); readings
    for the same graph are made one at a time, so concurrent requests read once.
    """
    if version is None:
        return read_views(kg)
    with _CACHE_LOCK:
        cached = _CACHE.get(kg)
        if cached is not None and cached[0] == version:
            return cached[1]
        read = read_views(kg)
        _CACHE[kg] = (version, read)
        return read
