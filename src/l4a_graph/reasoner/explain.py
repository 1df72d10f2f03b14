"""Why a triple holds: the rules and axioms that derive it, down to asserted triples.

A triple is explained by the first rule whose head matches it and whose body has a
match in the store whose triples can all be explained in turn, without going round in
a circle. The search reads the store as it is after ``l4a reason``; nothing is
recorded while materializing, so reasoning stays as fast as it can be.

Examples
--------
>>> from pyoxigraph import NamedNode
>>> from l4a_graph.formats import by_name
>>> from l4a_graph.reasoner.materialize import materialize
>>> from l4a_graph.reasoner.ontology import Ontology
>>> from l4a_graph.reasoner.rules import compile_rules
>>> from l4a_graph.store import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load(b'''
...     <http://metadata.un.org/sdg/4.1> <http://www.w3.org/2004/02/skos/core#broader>
...         <http://metadata.un.org/sdg/4> .
...     <https://w3id.org/l4a/id/hub/h> <https://w3id.org/l4a/def#addressesTarget>
...         <http://metadata.un.org/sdg/4.1> .
... ''', by_name("ttl"), "https://w3id.org/l4a/graph/hub/h")
>>> rules = compile_rules(Ontology.from_turtle(
...     "l4a:addressesGoal owl:propertyChainAxiom ( l4a:addressesTarget skos:broader ) ."))
>>> _ = materialize(store, rules.rules)
>>> goal = (NamedNode("https://w3id.org/l4a/id/hub/h"),
...         NamedNode("https://w3id.org/l4a/def#addressesGoal"),
...         NamedNode("http://metadata.un.org/sdg/4"))
>>> print(render(explain(store, rules.rules, goal)))
hub:h l4a:addressesGoal sdg:4
  by prp-spo2: l4a:addressesGoal owl:propertyChainAxiom (l4a:addressesTarget skos:broader)
  - hub:h l4a:addressesTarget sdg:4.1  [asserted in <https://w3id.org/l4a/graph/hub/h>]
  - sdg:4.1 skos:broader sdg:4  [asserted in <https://w3id.org/l4a/graph/hub/h>]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions

from l4a_graph import namespaces as ns
from l4a_graph.output import short
from l4a_graph.reasoner.materialize import DELTA
from l4a_graph.reasoner.rules import Atom, Rule, RuleTerm, Var
from l4a_graph.store.base import Store

Node = NamedNode | BlankNode | Literal
Fact = tuple[Node, Node, Node]
"""A concrete triple (subject, predicate, object)."""

MATCHES_PER_RULE = 25
"""Body matches tried per rule before giving up on it (explanations stay quick)."""


@dataclass(frozen=True)
class Derivation:
    """How ``fact`` holds: asserted in ``graphs``, or by ``rule`` from ``premises``."""

    fact: Fact
    rule: Rule | None = None
    premises: tuple[Derivation, ...] = ()
    graphs: tuple[str, ...] = ()


def explain(store: Store, rules: Sequence[Rule], fact: Fact) -> Derivation | None:
    """A derivation of ``fact`` down to asserted triples, or None if it does not hold."""
    return _Explainer(store, rules).derive(fact, frozenset())


def render(derivation: Derivation | None) -> str:
    """``derivation`` as an indented tree for people."""
    if derivation is None:
        return "(neither asserted nor entailed)"
    return "\n".join(_lines(derivation, ""))


def _lines(derivation: Derivation, indent: str) -> Iterator[str]:
    text = " ".join(map(short, derivation.fact))
    if derivation.rule is None:
        graphs = ", ".join(f"<{g}>" for g in derivation.graphs)
        yield f"{indent}{text}  [asserted in {graphs}]"
        return
    rule = derivation.rule
    yield f"{indent}{text}"
    yield f"{indent}  by {rule.kind}: {'; '.join(rule.axioms) or rule}"
    for premise in derivation.premises:
        first, *rest = _lines(premise, indent + "    ")
        yield f"{indent}  - {first.removeprefix(indent + '    ')}"
        yield from rest


class _Explainer:
    """A depth-first search for derivations, remembering the ones found."""

    def __init__(self, store: Store, rules: Sequence[Rule]) -> None:
        self.store = store
        self.rules = rules
        self.done: dict[Fact, Derivation] = {}

    def derive(self, fact: Fact, path: frozenset[Fact]) -> Derivation | None:
        if fact in self.done:
            return self.done[fact]
        graphs = self._asserted_in(fact)
        found: Derivation | None = Derivation(fact, graphs=graphs) if graphs else None
        if found is None and fact not in path:
            found = self._by_rule(fact, path | {fact})
        if found is not None:
            self.done[fact] = found
        return found

    def _by_rule(self, fact: Fact, path: frozenset[Fact]) -> Derivation | None:
        for rule in self.rules:
            bindings = _unify(rule.head, fact)
            if bindings is None:
                continue
            for premises in self._matches(rule, bindings):
                if any(p in path for p in premises):
                    continue  # a circle: this match cannot be the reason
                derived = []
                for premise in premises:
                    derivation = self.derive(premise, path)
                    if derivation is None:
                        break
                    derived.append(derivation)
                else:
                    return Derivation(fact, rule, tuple(derived))
        return None

    def _matches(self, rule: Rule, bindings: Mapping[str, Node]) -> Iterator[list[Fact]]:
        if any(isinstance(v, BlankNode) for v in bindings.values()):
            return  # SPARQL cannot bind a blank node: triples about them are not explained
        where = " . ".join(" ".join(map(str, a.terms)) for a in rule.body)
        result = self.store.query(
            f"SELECT * WHERE {{ {where} }} LIMIT {MATCHES_PER_RULE}", bindings=bindings
        )
        assert isinstance(result, QuerySolutions)
        for solution in result:
            values = dict(bindings)
            values.update(
                {v.value: solution[v] for v in result.variables if solution[v] is not None}
            )
            yield [
                (_value(a.s, values), _value(a.p, values), _value(a.o, values)) for a in rule.body
            ]

    def _asserted_in(self, fact: Fact) -> tuple[str, ...]:
        s, p, o = fact
        if any(isinstance(t, BlankNode) for t in fact):
            return ()
        result = self.store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
            bindings={"s": s, "p": p, "o": o},
        )
        assert isinstance(result, QuerySolutions)
        graphs = [str(row["g"].value) for row in result]
        return tuple(g for g in graphs if g != ns.GRAPH_INFERRED and not g.startswith(DELTA))


def _unify(head: Atom, fact: Fact) -> dict[str, Node] | None:
    """Variable bindings that make ``head`` equal ``fact``, or None."""
    bindings: dict[str, Node] = {}
    for term, value in zip(head.terms, fact, strict=True):
        if isinstance(term, Var):
            if bindings.setdefault(term.name, value) != value:
                return None
        elif term != value:
            return None
    return bindings


def _value(term: RuleTerm, values: Mapping[str, Node]) -> Node:
    return values[term.name] if isinstance(term, Var) else term
