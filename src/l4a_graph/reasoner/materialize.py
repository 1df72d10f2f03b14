"""Running the compiled rules inside the store, to a fixpoint, into ``graph/inferred``.

Rules with the same head run as one SPARQL update over all graphs::

    INSERT { GRAPH <inferred> { ?h0 a l4a:Hub } }
    WHERE { { SELECT DISTINCT ?h0 { { body 1 } UNION { body 2 } ... } }
            FILTER NOT EXISTS { GRAPH ?g { ?h0 a l4a:Hub } } }

so only triples that no graph holds yet are added: asserted and inferred triples stay
apart, and the work never leaves the store (nor needs more than SPARQL 1.1, so a
remote store works too).

What keeps it fast, measured on HUB-like graphs (``benchmarks/bench_reasoner.py``):

- *stratification*: the rules are grouped by the strongly connected components of
  the relations they read and write (the rules deriving ``l4a:addresses`` feed the
  ``rdfs:domain`` rule of ``l4a:addresses``), and the components run in dependency
  order, side by side on ``store.writers`` threads where one does not read another
  (Oxigraph evaluates one component's query while it writes another's triples). A
  component without a cycle runs once, its inputs being complete; only
  cycles (inverse pairs, transitive and symmetric properties, equivalent classes)
  iterate, their relations ordered so that most triples come in the first round;
- *semi-naive* iteration inside a cycle: a rule runs once per body atom of the cycle,
  that atom matched only against the triples the previous round added (the delta),
  skipping in round two the relations the rule had already seen complete;
- *one test and one write per triple*: ``DISTINCT`` before the insert; all the rules
  of one head in one update, so a HUB typed by twenty ``rdfs:domain`` axioms is
  tested once; ``MINUS`` (a hash anti-join) against the whole relation in the first
  round, ``NOT EXISTS`` lookups against a small delta, no test at all while the
  relation is still empty. In Oxigraph a write costs several reads.

Each insertion is sent on its own (:meth:`~l4a_graph.store.base.Store.insert_where`:
``INSERT ... WHERE`` on a remote store; a CONSTRUCT loaded back on the embedded one,
which, unlike an update, lets two threads work at once): one long transaction makes
every later write slower. Template triples that are not valid RDF (a literal subject,
from ``rdfs:range`` on a literal) are skipped by SPARQL itself (SPARQL 1.1 Update,
section 3.1.3; Query, 16.2).

Examples
--------
>>> from l4a_graph.formats import by_name
>>> from l4a_graph.reasoner.ontology import Ontology
>>> from l4a_graph.reasoner.rules import compile_rules
>>> from l4a_graph.store import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load(b'''
...     <urn:t> <http://www.w3.org/2004/02/skos/core#broader> <urn:g> .
...     <urn:h> <https://w3id.org/l4a/def#addressesTarget> <urn:t> .
... ''', by_name("ttl"), "urn:data")
>>> rules = compile_rules(Ontology.from_turtle(
...     "l4a:addressesGoal owl:propertyChainAxiom ( l4a:addressesTarget skos:broader ) ."))
>>> materialize(store, rules.rules).inferred
1
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from pyoxigraph import QueryBoolean

from l4a_graph import namespaces as ns
from l4a_graph.reasoner.rules import Atom, Rule, Var
from l4a_graph.reasoner.terms import RDF
from l4a_graph.store.base import Store

DELTA = ns.GRAPH + "inferred-delta/"
"""Prefix of the working graphs of one materialization (removed when it ends)."""
MAX_ROUNDS = 10_000
"""A safety net: OWL 2 RL closures are finite, so reaching this means a bug."""

Relation = tuple[str, str]
"""What an atom reads or writes: ("p", property IRI), ("a", class IRI) or ("*", "")."""
ANY: Relation = ("*", "")


@dataclass(frozen=True)
class Component:
    """Rules whose heads depend on one another; ``recursive`` ones iterate.

    ``relations`` are in the order their rules run: as far as cycles allow, a relation
    comes after the relations of the component it is derived from.
    """

    rules: tuple[Rule, ...]
    relations: tuple[Relation, ...]
    recursive: bool


@dataclass(frozen=True)
class Materialization:
    """What one run of the rules did."""

    rules: int
    components: int
    rounds: int
    inferred: int
    seconds: float


def materialize(
    store: Store, rules: Sequence[Rule], graph: str = ns.GRAPH_INFERRED
) -> Materialization:
    """Drop ``graph`` and fill it with everything ``rules`` derive from the other graphs."""
    started = time.perf_counter()
    store.drop_graph(graph)
    _drop_deltas(store)
    components = plan(rules)
    try:
        rounds = _run(store, components, graph)
    finally:
        _drop_deltas(store)
    seconds = time.perf_counter() - started
    return Materialization(len(rules), len(components), rounds, store.count(graph), seconds)


def _run(store: Store, components: list[Component], graph: str) -> int:
    """Run every component once its producers are done, ``store.writers`` at a time.

    Components that do not read each other's relations run side by side: their queries
    overlap even where the store serializes the writes (1M triples: 4.7 -> 3.4 s,
    BENCHMARKS.md "Pipeline"). Returns the number of rounds, all components together.
    """
    waits = [_producers(components, i) for i in range(len(components))]
    pending = set(range(len(components)))
    done: set[int] = set()
    rounds = 0
    with ThreadPoolExecutor(max_workers=store.writers) as pool:
        running: dict[Future[int], int] = {}
        while pending or running:
            for i in sorted(i for i in pending if waits[i] <= done):
                pending.discard(i)
                running[pool.submit(_fixpoint, store, components[i], graph, i)] = i
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                rounds += future.result()
                done.add(running.pop(future))
    return rounds


def _producers(components: list[Component], i: int) -> set[int]:
    """The earlier components whose relations component ``i`` reads."""
    reads = {relation(a) for rule in components[i].rules for a in rule.body}
    return {j for j in range(i) if reads & set(components[j].relations)}


def relation(atom: Atom) -> Relation:
    """The relation ``atom`` matches: its property, or its class for ``rdf:type``."""
    if isinstance(atom.p, Var):
        return ANY
    if atom.p == RDF.type:
        return ANY if isinstance(atom.o, Var) else ("a", atom.o.value)
    return ("p", atom.p.value)


def plan(rules: Sequence[Rule]) -> list[Component]:
    """The rules grouped into components, each after the components it reads from.

    Rules reading or writing any relation at all (the equality rules) make one
    component of everything.
    """
    if any(relation(a) == ANY for rule in rules for a in (*rule.body, rule.head)):
        heads = (*dict.fromkeys(relation(rule.head) for rule in rules), ANY)
        return [Component(tuple(rules), heads, recursive=True)] if rules else []
    readers: dict[Relation, set[Relation]] = defaultdict(set)
    for rule in rules:
        for atom in rule.body:
            readers[relation(atom)].add(relation(rule.head))
    by_head: dict[Relation, list[Rule]] = defaultdict(list)
    for rule in rules:
        by_head[relation(rule.head)].append(rule)
    return [_component(scc, by_head) for scc in _sccs(list(by_head), readers)]


def _component(scc: list[Relation], by_head: dict[Relation, list[Rule]]) -> Component:
    relations = _order(scc, by_head)
    members = tuple(rule for r in relations for rule in by_head[r])
    recursive = any(relation(a) in scc for rule in members for a in rule.body)
    return Component(members, relations, recursive)


def _order(scc: list[Relation], by_head: dict[Relation, list[Rule]]) -> tuple[Relation, ...]:
    """The relations of a component, each after its inputs as far as cycles allow.

    In a cycle, the relation with the most rules fed from outside the component goes
    first (``hasStakeholder`` from its property chain, before its inverse
    ``takesPartIn``): then most triples are found in the first round.
    """
    inside = set(scc)
    inputs = {r: {relation(a) for rule in by_head[r] for a in rule.body} & inside for r in scc}
    seeds = {
        r: sum(not inputs[r] & {relation(a) for a in rule.body} for rule in by_head[r]) for r in scc
    }
    ordered: list[Relation] = []
    while len(ordered) < len(scc):
        left = [r for r in scc if r not in ordered]
        ready = [r for r in left if inputs[r] - {r} <= set(ordered)]
        ordered.append(min(ready or left, key=lambda r: (-seeds[r], r)))
    return tuple(ordered)


def _sccs(nodes: list[Relation], edges: dict[Relation, set[Relation]]) -> list[list[Relation]]:
    """Strongly connected components, producers before consumers (Tarjan, iterative)."""
    index: dict[Relation, int] = {}
    low: dict[Relation, int] = {}
    stack: list[Relation] = []
    on_stack: set[Relation] = set()
    found: list[list[Relation]] = []
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[Relation, Iterator[Relation]]] = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            nxt = next(successors, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    scc = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        scc.append(member)
                        if member == node:
                            break
                    found.append(scc)
            elif nxt not in index:
                index[nxt] = low[nxt] = len(index)
                stack.append(nxt)
                on_stack.add(nxt)
                work.append((nxt, iter(sorted(edges[nxt]))))
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
    # Tarjan finds consumers first; producers must run first.
    return found[::-1]


def _fixpoint(store: Store, component: Component, graph: str, number: int = 0) -> int:
    """Run ``component`` (the ``number``-th) until it adds nothing; return the rounds."""
    for head, branches in _by_head((rule, None) for rule in component.rules):
        check = not _is_empty(store, head)
        store.insert_where(*_operation(head, branches, None, graph, check))
    if not component.recursive:
        return 1
    # After round 1, ``graph`` holds exactly this component's new triples of its own
    # relations (no other component writes them): it is the first delta. A rule has
    # already seen the triples of the relations that ran before its own in round 1.
    delta, rounds = graph, 1
    variants = _delta_variants(component, first=True)
    while True:
        rounds += 1
        if rounds > MAX_ROUNDS:
            raise RuntimeError(f"no fixpoint after {MAX_ROUNDS} rounds")
        target = f"{DELTA}{number}/{rounds}"
        for head, branches in _by_head(variants):
            store.insert_where(*_operation(head, branches, delta, target, check=True))
        if store.count(target) == 0:
            break
        delta, variants = target, _delta_variants(component, first=False)
    for r in range(2, rounds):
        store.update(f"ADD <{DELTA}{number}/{r}> TO <{graph}>")
    _drop_deltas(store, f"{DELTA}{number}/")
    return rounds


def _delta_variants(component: Component, *, first: bool) -> list[tuple[Rule, int]]:
    """(rule, atom) pairs to run against a delta: atoms of the component's relations.

    After the first round, only atoms of relations that ran no earlier than the rule.
    """
    position = {r: i for i, r in enumerate(component.relations)}
    everything = ANY in position

    def needed(rule: Rule, atom: Atom) -> bool:
        r = relation(atom)
        if everything or r not in position:
            return everything
        return not first or position[r] >= position[relation(rule.head)]

    return [
        (rule, i)
        for rule in component.rules
        for i, atom in enumerate(rule.body)
        if needed(rule, atom)
    ]


Branch = tuple[tuple[Atom, ...], int | None]
"""A rule body aligned on a shared head, and which of its atoms reads the delta."""


def _by_head(variants: Iterable[tuple[Rule, int | None]]) -> list[tuple[Atom, list[Branch]]]:
    """Rule variants grouped by head, their variables renamed to share it.

    Rules deriving the same kind of triple (every ``rdfs:domain`` rule typing HUBs,
    say) run as one update whose body is the UNION of theirs: each new triple is then
    tested and written once, however many rules derive it.
    """
    groups: dict[Atom, list[Branch]] = defaultdict(list)
    for rule, delta_atom in variants:
        names: dict[Var, Var] = {}
        for term in rule.head.terms:
            if isinstance(term, Var):
                names.setdefault(term, Var(f"h{len(names)}"))
        for term in (t for a in rule.body for t in a.terms):
            if isinstance(term, Var):
                names.setdefault(term, Var(f"b{len(names)}"))
        body = tuple(Atom(*(names.get(t, t) for t in a.terms)) for a in rule.body)  # type: ignore[arg-type]
        head = Atom(*(names.get(t, t) for t in rule.head.terms))  # type: ignore[arg-type]
        groups[head].append((body, delta_atom))
    return list(groups.items())


def _is_empty(store: Store, head: Atom) -> bool:
    """True when no graph has a triple of the head's relation yet."""
    kind, iri = relation(head)
    pattern = {"a": f"?s a <{iri}>", "p": f"?s <{iri}> ?o"}.get(kind)
    if pattern is None:
        return False
    result = store.query(f"ASK {{ GRAPH ?g {{ {pattern} }} }}")
    assert isinstance(result, QueryBoolean)
    return not bool(result)


def _operation(
    head: Atom, branches: list[Branch], delta: str | None, target: str, check: bool
) -> tuple[str, str, str]:
    """The insertion deriving ``head`` from the union of ``branches``: template, group
    pattern and target graph (see :meth:`~l4a_graph.store.base.Store.insert_where`)."""
    patterns = [_where(body, delta_atom, delta) for body, delta_atom in branches]
    where = " UNION ".join(f"{{ {p} }}" for p in patterns) if len(patterns) > 1 else patterns[0]
    head_text = _pattern(head)
    head_vars = [t for t in dict.fromkeys(head.terms) if isinstance(t, Var)]
    body_vars = {t for body, _ in branches for a in body for t in a.terms if isinstance(t, Var)}
    if len(branches) > 1 or len(branches[0][0]) > 1 or body_vars - set(head_vars):
        # Unions, joins and projections repeat heads: writing one twice costs more.
        where = f"{{ SELECT DISTINCT {' '.join(map(str, head_vars))} {{ {where} }} }}"
    if check and delta is None and head_vars:
        # Many candidates against a large relation: one hash anti-join beats a lookup
        # per candidate. (MINUS needs a shared variable to remove anything.)
        where += f" MINUS {{ GRAPH ?_gh {{ {head_text} }} }}"
    elif check:
        # Few candidates, from a delta: a lookup each is cheaper than reading the relation.
        where += f" FILTER NOT EXISTS {{ GRAPH ?_gh {{ {head_text} }} }}"
    return head_text, where, target


def _where(body: tuple[Atom, ...], delta_atom: int | None, delta: str | None) -> str:
    """``body`` over all graphs, atom ``delta_atom`` over ``delta`` only."""
    return " . ".join(
        f"GRAPH <{delta}> {{ {_pattern(a)} }}"
        if i == delta_atom
        else f"GRAPH ?_g{i} {{ {_pattern(a)} }}"
        for i, a in enumerate(body)
    )


def _pattern(atom: Atom) -> str:
    """``atom`` in SPARQL: variables as ``?name``, constants in N-Triples syntax."""
    return " ".join(map(str, atom.terms))


def _drop_deltas(store: Store, prefix: str = DELTA) -> None:
    for stale in (g for g in store.named_graphs() if g.startswith(prefix)):
        store.drop_graph(stale)
