"""What the ontology forbids, checked over asserted and inferred triples together.

The checks are compiled from the ontology like the rules (OWL 2 RL's rules with
``false`` in the head): ``owl:disjointWith`` and ``owl:AllDisjointClasses`` (cax-dw,
cax-adc), ``owl:complementOf`` between named classes (cls-com), ``owl:Nothing``
(cls-nothing2), ``owl:IrreflexiveProperty`` (prp-irp), ``owl:AsymmetricProperty``
(prp-asyp), ``owl:propertyDisjointWith`` and ``owl:AllDisjointProperties`` (prp-pdw,
prp-adp).

Three constructs make OWL infer ``owl:sameAs`` rather than fail: a functional or
inverse-functional property with two values (prp-fp, prp-ifp) and two individuals
sharing an ``owl:hasKey`` (prp-key). In this knowledge graph two IRIs always name two
things (each HUB, organisation and country has one IRI), so these are reported as
violations instead: a HUB with two start dates is an error to fix, not a hint that the
dates are the same.

Run the checks after :func:`l4a_graph.reasoner.materialize.materialize`: a HUB that is
also a local government is caught only once both types are there.

Examples
--------
>>> from l4a_graph.formats import by_name
>>> from l4a_graph.store import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load(b'''
...     @prefix l4a: <https://w3id.org/l4a/def#> .
...     <urn:x> a l4a:Hub , l4a:Stakeholder .
... ''', by_name("ttl"), "urn:data")
>>> onto = Ontology.from_turtle("l4a:Hub owl:disjointWith l4a:Stakeholder .")
>>> for violation in check(store, onto):
...     print(violation)
disjoint classes: <urn:x>, l4a:Hub, l4a:Stakeholder (l4a:Hub owl:disjointWith l4a:Stakeholder)
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pyoxigraph import NamedNode, QuerySolutions

from l4a_graph.output import short
from l4a_graph.reasoner.ontology import Ontology
from l4a_graph.reasoner.terms import OWL, RDF
from l4a_graph.sparql import Term
from l4a_graph.store.base import Store

LIMIT = 100
"""At most this many offending cases are reported per axiom."""


@dataclass(frozen=True)
class Violation:
    """One case where the data contradict one axiom."""

    kind: str
    axiom: str
    resources: tuple[Term, ...]

    def __str__(self) -> str:
        return f"{self.kind}: {', '.join(map(short, self.resources))} ({self.axiom})"


@dataclass(frozen=True)
class Check:
    """A SELECT over the union of all graphs; each solution is one violation."""

    kind: str
    axiom: str
    query: str


def _check(kind: str, axiom: str, where: str) -> Check:
    """A check whose solutions are the bindings of ``where``."""
    return Check(kind, axiom, f"SELECT DISTINCT * WHERE {{ {where} }} LIMIT {LIMIT}")


def checks(ontology: Ontology) -> list[Check]:
    """The checks the axioms of ``ontology`` call for."""
    return [
        *_disjoint_classes(ontology),
        *_property_checks(ontology),
        *_key_checks(ontology),
        _check("owl:Nothing", "owl:Nothing has no member", "?x a owl:Nothing"),
    ]


def check(store: Store, ontology: Ontology | None = None) -> list[Violation]:
    """Every violation in ``store`` (its own ontology graph when ``ontology`` is None)."""
    onto = ontology if ontology is not None else Ontology.from_store(store)
    # Oxigraph answers queries without the GIL: the checks run ``store.writers`` at a time.
    with ThreadPoolExecutor(max_workers=store.writers) as pool:
        found = pool.map(functools.partial(_violations, store), checks(onto))
        return [violation for each in found for violation in each]


def _violations(store: Store, c: Check) -> list[Violation]:
    result = store.query(c.query)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [
        Violation(c.kind, c.axiom, tuple(t for t in (s[n] for n in names) if t is not None))
        for s in result
    ]


def _named_pairs(ontology: Ontology, predicate: NamedNode) -> Iterator[tuple[NamedNode, NamedNode]]:
    for s, o in ontology.pairs(predicate):
        if isinstance(s, NamedNode) and isinstance(o, NamedNode):
            yield s, o


def _members(ontology: Ontology, kind: NamedNode) -> Iterator[list[NamedNode]]:
    """The named members of each ``owl:AllDisjointClasses`` (or ...Properties) node."""
    for node in ontology.subjects(RDF.type, kind):
        for head in ontology.objects(node, OWL.members):
            yield [m for m in ontology.items(head) if isinstance(m, NamedNode)]


def _disjoint_classes(ontology: Ontology) -> Iterator[Check]:
    for c1, c2 in _named_pairs(ontology, OWL.disjointWith):
        axiom = f"{short(c1)} owl:disjointWith {short(c2)}"
        yield _two_of("disjoint classes", axiom, [c1, c2])
    for c1, c2 in _named_pairs(ontology, OWL.complementOf):
        axiom = f"{short(c1)} owl:complementOf {short(c2)}"
        yield _two_of("complement classes", axiom, [c1, c2])
    for members in _members(ontology, OWL.AllDisjointClasses):
        axiom = f"owl:AllDisjointClasses ({' '.join(map(short, members))})"
        yield _two_of("disjoint classes", axiom, members)


def _two_of(kind: str, axiom: str, classes: list[NamedNode]) -> Check:
    """Members of two of ``classes``: each resource with two of its classes.

    One pass over the members of all the classes, however many they are (not one
    query per pair of classes).
    """
    values = " ".join(map(str, classes))
    query = (
        f"SELECT ?x (MIN(?c) AS ?class1) (MAX(?c) AS ?class2) "
        f"WHERE {{ VALUES ?c {{ {values} }} ?x a ?c }} "
        f"GROUP BY ?x HAVING(COUNT(DISTINCT ?c) > 1) LIMIT {LIMIT}"
    )
    return Check(kind, axiom, query)


def _property_checks(ontology: Ontology) -> Iterator[Check]:
    def typed(kind: NamedNode) -> Iterator[NamedNode]:
        return (p for p in ontology.subjects(RDF.type, kind) if isinstance(p, NamedNode))

    for p in typed(OWL.FunctionalProperty):
        where = f"?x {p} ?y1 , ?y2 FILTER(!sameTerm(?y1, ?y2) && STR(?y1) <= STR(?y2))"
        yield _check("functional property", f"{short(p)} a owl:FunctionalProperty", where)
    for p in typed(OWL.InverseFunctionalProperty):
        where = f"?x1 {p} ?y . ?x2 {p} ?y FILTER(STR(?x1) < STR(?x2))"
        yield _check(
            "inverse functional property", f"{short(p)} a owl:InverseFunctionalProperty", where
        )
    for p in typed(OWL.IrreflexiveProperty):
        yield _check("irreflexive property", f"{short(p)} a owl:IrreflexiveProperty", f"?x {p} ?x")
    for p in typed(OWL.AsymmetricProperty):
        where = f"?x {p} ?y . ?y {p} ?x FILTER(!sameTerm(?x, ?y))"
        yield _check("asymmetric property", f"{short(p)} a owl:AsymmetricProperty", where)
    for p1, p2 in _named_pairs(ontology, OWL.propertyDisjointWith):
        axiom = f"{short(p1)} owl:propertyDisjointWith {short(p2)}"
        yield _check("disjoint properties", axiom, f"?x {p1} ?y . ?x {p2} ?y")
    for members in _members(ontology, OWL.AllDisjointProperties):
        for p1, p2 in itertools.combinations(members, 2):
            axiom = f"{short(p1)} and {short(p2)} in owl:AllDisjointProperties"
            yield _check("disjoint properties", axiom, f"?x {p1} ?y . ?x {p2} ?y")


def _key_checks(ontology: Ontology) -> Iterator[Check]:
    for cls, head in ontology.pairs(OWL.hasKey):
        keys = [k for k in ontology.items(head) if isinstance(k, NamedNode)]
        if not isinstance(cls, NamedNode) or not keys:
            continue
        shared = " . ".join(f"?x1 {k} ?k{i} . ?x2 {k} ?k{i}" for i, k in enumerate(keys))
        where = f"?x1 a {cls} . ?x2 a {cls} . {shared} FILTER(STR(?x1) < STR(?x2))"
        axiom = f"{short(cls)} owl:hasKey ({' '.join(map(short, keys))})"
        yield _check("shared key", axiom, where)
