"""The reference: owlrl's OWL 2 RL closure, and how it is compared with the fast engine.

owlrl (``OWLRL_Semantics``) implements every OWL 2 RL rule by brute force on an rdflib
graph: slow, but independent of the fast engine, so it serves as the oracle. Its closure
holds many triples that say nothing about the data; both sides are therefore reduced by
the same normalisation before they are compared.

The comparison
--------------
Let ``A`` be the asserted triples (every graph but ``graph/inferred``), ``C`` owlrl's
closure of ``A`` and ``F`` the triples of ``graph/inferred`` after ``l4a reason``. The
fast engine is correct when ``N(C - A) == N(F)``, where ``N`` keeps a triple ``s p o``
only if all of the following hold:

1. ``s`` is an IRI or a blank node of the data: not a literal (owlrl works in
   generalized RDF and types literals, ``"2021"^^xsd:gYear rdf:type xsd:gYear``), not a
   blank node owlrl made (its error messages), not a blank node of the ontology graph
   (class expressions and lists: owlrl types individuals with anonymous classes,
   ``x rdf:type _:restriction``; the fast engine matches those patterns directly);
2. ``o`` is not a blank node of the ontology graph either;
3. ``s`` is not a term of the RDF, RDFS, OWL or XSD vocabularies (owlrl's axiomatic
   triples about ``owl:Thing``, ``rdfs:label``, the datatypes...);
4. ``p`` is not a schema predicate: ``rdfs:subClassOf``, ``rdfs:subPropertyOf``,
   ``rdfs:domain``, ``rdfs:range`` or an OWL term other than ``owl:sameAs`` (the schema
   closure, ``c rdfs:subClassOf c``, ``p owl:equivalentProperty p``...: the fast engine
   closes the schema while compiling and materializes only what follows for the data);
5. if ``p`` is ``rdf:type``, ``o`` is not an RDF, RDFS, OWL or XSD term
   (``rdf:type owl:Thing``, ``rdfs:Resource``, ``owl:Class``, ``owl:NamedIndividual``,
   ``rdfs:Datatype``, ``xsd:date``...);
6. if ``p`` is ``owl:sameAs``, ``s`` and ``o`` differ (owlrl states ``x owl:sameAs x``
   for every term, rule eq-ref).

Two deliberate differences are not normalised away, because they only appear on data
that the consistency checks reject: the fast engine does not derive ``owl:sameAs``
from a functional or inverse-functional property with two values or from a shared
``owl:hasKey`` (it reports them, see :mod:`l4a_graph.reasoner.consistency`), and
``owl:hasKey`` axioms are removed from owlrl's input, because owlrl 7.6 compares only
the first n-1 key properties of a key (``range(0, len(pis) - 1)``): with the one-property
key of ``l4a:Country`` it would make every pair of countries ``owl:sameAs``.

Examples
--------
>>> from l4a_graph.formats import by_name
>>> from l4a_graph.store import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load(b'''
...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
...     <urn:p> owl:inverseOf <urn:q> .
... ''', by_name("ttl"), "https://w3id.org/l4a/graph/ontology")
>>> store.load(b"<urn:a> <urn:p> <urn:b> .", by_name("nt"), "urn:data")
>>> sorted(str(t[1]) for t in reference_inferred(store))
['urn:q']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import owlrl
import rdflib
from owlrl.Namespaces import ERRNS
from pyoxigraph import Literal, NamedNode, Quad, QueryTriples

from l4a_graph import namespaces as ns
from l4a_graph.reasoner.convert import to_oxigraph, to_rdflib
from l4a_graph.reasoner.materialize import DELTA
from l4a_graph.reasoner.terms import OWL, RDF, RDFS, is_built_in
from l4a_graph.store.base import Store

RdfTriple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]

ASSERTED = (
    f'GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ns.GRAPH_INFERRED}> && !STRSTARTS(STR(?g), "{DELTA}"))'
)
"""The asserted triples: every graph but the inferred one and its working graphs."""

SCHEMA_PREDICATES = frozenset(
    to_rdflib(p) for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
)
_TYPE, _SAME_AS = to_rdflib(RDF.type), to_rdflib(OWL.sameAs)
_HAS_KEY = to_rdflib(OWL.hasKey)


@dataclass(frozen=True)
class Comparison:
    """The normalised inferences of both engines and their differences."""

    fast: frozenset[RdfTriple]
    reference: frozenset[RdfTriple]

    @property
    def missing(self) -> frozenset[RdfTriple]:
        """What owlrl infers and the fast engine does not."""
        return self.reference - self.fast

    @property
    def extra(self) -> frozenset[RdfTriple]:
        """What the fast engine infers and owlrl does not."""
        return self.fast - self.reference

    @property
    def equal(self) -> bool:
        """True when both engines infer the same triples about the data."""
        return self.fast == self.reference

    def report(self, limit: int = 20) -> str:
        """The differences, for a failing test or a person."""
        lines = [f"fast {len(self.fast)}, owlrl {len(self.reference)} normalised inferences"]
        for name, triples in (("missing", self.missing), ("extra", self.extra)):
            lines.append(f"{name}: {len(triples)}")
            lines += [f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in sorted(triples)[:limit]]
        return "\n".join(lines)


def asserted_graph(store: Store) -> rdflib.Graph:
    """The union of every graph but the inferred one, as rdflib triples."""
    graph = rdflib.Graph()
    for triple in _store_triples(store, ASSERTED):
        graph.add(triple)
    return graph


def owlrl_closure(asserted: rdflib.Graph) -> rdflib.Graph:
    """owlrl's OWL 2 RL closure of ``asserted`` (a copy; ``owl:hasKey`` left out)."""
    graph = rdflib.Graph()
    for triple in asserted:
        if triple[1] != _HAS_KEY:
            graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def normalise(
    triples: Iterable[RdfTriple], data_nodes: set[rdflib.BNode], schema_nodes: set[rdflib.BNode]
) -> frozenset[RdfTriple]:
    """The triples that pass the comparison rules of this module's docstring."""
    return frozenset(t for t in triples if _about_data(t, data_nodes, schema_nodes))


def normalised_closure(
    store: Store, asserted: rdflib.Graph, closure: rdflib.Graph
) -> frozenset[RdfTriple]:
    """The normalised triples of ``closure`` that ``asserted`` does not hold."""
    data_nodes, schema_nodes = _blank_nodes(store, asserted)
    return normalise((t for t in closure if t not in asserted), data_nodes, schema_nodes)


def reference_inferred(store: Store) -> frozenset[RdfTriple]:
    """owlrl's normalised inferences from the asserted graphs of ``store``."""
    asserted = asserted_graph(store)
    return normalised_closure(store, asserted, owlrl_closure(asserted))


def fast_inferred(store: Store) -> frozenset[RdfTriple]:
    """The normalised triples of ``graph/inferred``."""
    asserted = asserted_graph(store)
    data_nodes, schema_nodes = _blank_nodes(store, asserted)
    inferred = _store_triples(store, f"GRAPH <{ns.GRAPH_INFERRED}> {{ ?s ?p ?o }}")
    return normalise(inferred, data_nodes, schema_nodes)


def compare(store: Store) -> Comparison:
    """Compare ``graph/inferred`` (run the fast engine first) with owlrl's closure."""
    return Comparison(fast_inferred(store), reference_inferred(store))


def materialize_owlrl(store: Store, graph: str = ns.GRAPH_INFERRED) -> int:
    """Replace ``graph`` with owlrl's full closure minus the asserted triples.

    Everything owlrl adds is kept (tautologies and schema triples included) except
    what RDF cannot hold (literal subjects) and owlrl's error messages (the
    consistency checks report those). Returns the number of triples written.
    """
    store.drop_graph(graph)
    asserted = asserted_graph(store)
    closure = owlrl_closure(asserted)
    errors = set(closure.subjects(ERRNS.error, None))
    new = (t for t in closure if t not in asserted and t[0] not in errors)
    quads = [q for t in new if (q := _quad(t, graph)) is not None]
    store.add(quads)
    return len(quads)


def _quad(triple: RdfTriple, graph: str) -> Quad | None:
    """``triple`` in ``graph``, or None if RDF cannot hold it (a literal subject)."""
    s, p, o = (to_oxigraph(term) for term in triple)
    if isinstance(s, Literal) or not isinstance(p, NamedNode):
        return None
    return Quad(s, p, o, NamedNode(graph))


def _about_data(
    triple: RdfTriple, data_nodes: set[rdflib.BNode], schema_nodes: set[rdflib.BNode]
) -> bool:
    s, p, o = triple
    if isinstance(s, rdflib.Literal) or s in schema_nodes or o in schema_nodes:
        return False
    if isinstance(s, rdflib.BNode) and s not in data_nodes:
        return False
    if _built_in(s) or p in SCHEMA_PREDICATES or (_owl(p) and p != _SAME_AS):
        return False
    if p == _TYPE:
        return not _built_in(o)
    return p != _SAME_AS or s != o


def _built_in(term: rdflib.term.Node) -> bool:
    return isinstance(term, rdflib.URIRef) and is_built_in(NamedNode(str(term)))


def _owl(term: rdflib.term.Node) -> bool:
    return isinstance(term, rdflib.URIRef) and NamedNode(str(term)) in OWL


def _blank_nodes(
    store: Store, asserted: rdflib.Graph
) -> tuple[set[rdflib.BNode], set[rdflib.BNode]]:
    """The blank nodes of the data, and those of the ontology graph."""
    every = {n for t in asserted for n in t if isinstance(n, rdflib.BNode)}
    ontology = _store_triples(store, f"GRAPH <{ns.GRAPH_ONTOLOGY}> {{ ?s ?p ?o }}")
    schema = {n for t in ontology for n in t if isinstance(n, rdflib.BNode)}
    return every - schema, schema


def _store_triples(store: Store, where: str) -> Iterator[RdfTriple]:
    """The triples matching ``where`` (binding ?s ?p ?o), as rdflib terms."""
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    assert isinstance(result, QueryTriples)
    for t in result:
        yield to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)
