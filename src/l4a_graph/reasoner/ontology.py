"""The ontology's triples, indexed for the rule compiler, the checks and the explanations.

The axioms are read from the store's ontology graph (``graph/ontology``) or from any
rdflib graph, so that what the reasoner does follows the ontology and not the code.

Examples
--------
>>> onto = Ontology.from_turtle('''
...     @prefix l4a: <https://w3id.org/l4a/def#> .
...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
...     l4a:addressesGoal owl:propertyChainAxiom ( l4a:addressesTarget
...         <http://www.w3.org/2004/02/skos/core#broader> ) .
... ''')
>>> [onto.render(p) for p in onto.items(onto.pairs(OWL.propertyChainAxiom)[0][1])]
['l4a:addressesTarget', 'skos:broader']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, Literal, NamedNode, QueryTriples, RdfFormat, parse

from l4a_graph import namespaces as ns
from l4a_graph.output import short
from l4a_graph.reasoner.terms import OWL, RDF, Resource, Value
from l4a_graph.store.base import Store

if TYPE_CHECKING:
    import rdflib

Triple3 = tuple[Resource, NamedNode, Value]


class Ontology:
    """An index of the ontology's triples by subject and by predicate.

    Parameters
    ----------
    triples
        The ontology as (subject, predicate, object) Oxigraph terms.
    """

    def __init__(self, triples: Iterable[Triple3]) -> None:
        self._by_subject: dict[Resource, dict[NamedNode, list[Value]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self._by_predicate: dict[NamedNode, list[tuple[Resource, Value]]] = defaultdict(list)
        self.size = 0
        for s, p, o in triples:
            self._by_subject[s][p].append(o)
            self._by_predicate[p].append((s, o))
            self.size += 1

    @classmethod
    def from_store(cls, store: Store, graph: str = ns.GRAPH_ONTOLOGY) -> Ontology:
        """The ontology held in ``graph`` of ``store``."""
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert isinstance(result, QueryTriples)
        return cls(_plain(t.subject, t.predicate, t.object) for t in result)

    @classmethod
    def from_rdflib(cls, graph: rdflib.Graph) -> Ontology:
        """The ontology in an rdflib graph."""
        from l4a_graph.reasoner.convert import to_oxigraph  # rdflib only when it is used

        return cls(_plain(*(to_oxigraph(t) for t in triple)) for triple in graph)

    @classmethod
    def from_turtle(cls, text: str) -> Ontology:
        """The ontology written in Turtle ``text`` (the usual prefixes need no declaration)."""
        header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in ns.PREFIXES.items())
        quads = parse((header + text).encode(), format=RdfFormat.TURTLE)
        return cls(_plain(q.subject, q.predicate, q.object) for q in quads)

    def objects(self, subject: Resource, predicate: NamedNode) -> list[Value]:
        """The objects of ``subject predicate ?o``."""
        by_predicate = self._by_subject.get(subject)
        return list(by_predicate.get(predicate, ())) if by_predicate else []

    def value(self, subject: Resource, predicate: NamedNode) -> Value | None:
        """One object of ``subject predicate ?o``, or None."""
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def pairs(self, predicate: NamedNode) -> list[tuple[Resource, Value]]:
        """The (subject, object) pairs of ``predicate``, in reading order."""
        return list(self._by_predicate.get(predicate, ()))

    def subjects(self, predicate: NamedNode, obj: Value) -> list[Resource]:
        """The subjects of ``?s predicate obj``."""
        return [s for s, o in self._by_predicate.get(predicate, ()) if o == obj]

    def items(self, head: Value) -> list[Value]:
        """The members of the RDF list starting at ``head`` (empty if malformed or cyclic)."""
        members: list[Value] = []
        seen: set[Value] = set()
        while head != RDF.nil:
            if not isinstance(head, BlankNode | NamedNode) or head in seen:
                return []
            seen.add(head)
            first, rest = self.value(head, RDF.first), self.value(head, RDF.rest)
            if first is None or rest is None:
                return []
            members.append(first)
            head = rest
        return members

    def render(self, term: Value, depth: int = 0) -> str:
        """``term`` for people: prefixed names; anonymous classes in Manchester syntax."""
        if not isinstance(term, BlankNode) or depth > 8:
            return short(term)
        return self.expression(term, depth + 1) or short(term)

    def expression(self, node: Resource, depth: int = 0) -> str | None:
        """The class or property expression defined at ``node`` in Manchester syntax, if any."""
        for predicate, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
            head = self.value(node, predicate)
            if head is not None:
                return "(" + word.join(self.render(m, depth) for m in self.items(head)) + ")"
        inverse = self.value(node, OWL.inverseOf)
        if inverse is not None:
            return f"inverse {self.render(inverse, depth)}"
        prop = self.value(node, OWL.onProperty)
        for predicate, word in (
            (OWL.someValuesFrom, "some"),
            (OWL.allValuesFrom, "only"),
            (OWL.hasValue, "value"),
        ):
            filler = self.value(node, predicate)
            if prop is not None and filler is not None:
                return f"({self.render(prop, depth)} {word} {self.render(filler, depth)})"
        return None


def _plain(s: object, p: object, o: object) -> Triple3:
    """Narrow parsed terms to plain triples (RDF-star triple terms are not axioms)."""
    if not isinstance(s, NamedNode | BlankNode) or not isinstance(p, NamedNode):
        raise TypeError(f"not a plain triple: {s} {p} {o}")
    if not isinstance(o, NamedNode | BlankNode | Literal):
        raise TypeError(f"not a plain triple: {s} {p} {o}")
    return s, p, o
