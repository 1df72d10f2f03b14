"""The RDF, RDFS and OWL terms the reasoner reads, and conversions to and from rdflib.

Examples
--------
>>> to_rdflib(OWL.sameAs)
rdflib.term.URIRef('http://www.w3.org/2002/07/owl#sameAs')
>>> to_oxigraph(to_rdflib(Literal("2021-08", datatype=XSD.gYearMonth))).value
'2021-08'
"""

from __future__ import annotations

from typing import TypeAlias

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode

from l4a_graph.namespaces import PREFIXES

Resource: TypeAlias = NamedNode | BlankNode
"""A node that can be a subject."""
Value: TypeAlias = NamedNode | BlankNode | Literal
"""A node that can be an object."""


class _Namespace:
    """Attribute access to the terms of one namespace: ``OWL.sameAs``."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, local: str) -> NamedNode:
        return NamedNode(self.base + local)

    def __contains__(self, term: object) -> bool:
        return isinstance(term, NamedNode) and term.value.startswith(self.base)


RDF = _Namespace(PREFIXES["rdf"])
RDFS = _Namespace(PREFIXES["rdfs"])
OWL = _Namespace(PREFIXES["owl"])
XSD = _Namespace(PREFIXES["xsd"])

BUILT_IN = (RDF, RDFS, OWL, XSD)
"""The vocabularies whose own terms the reasoner never derives anything about."""


def is_built_in(term: object) -> bool:
    """True for a term of the RDF, RDFS, OWL or XSD vocabularies."""
    return any(term in vocabulary for vocabulary in BUILT_IN)


def to_rdflib(term: Value) -> rdflib.term.Identifier:
    """The rdflib term for an Oxigraph term (blank nodes keep their identifier)."""
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    # normalize=False keeps the lexical form ("01" stays "01"), as Oxigraph stores it.
    if term.language:
        return rdflib.Literal(term.value, lang=term.language, normalize=False)
    if term.datatype == XSD.string:
        # rdflib keeps simple literals apart from xsd:string ones; RDF 1.1 does not.
        return rdflib.Literal(term.value)
    datatype = rdflib.URIRef(term.datatype.value)
    return rdflib.Literal(term.value, datatype=datatype, normalize=False)


def to_oxigraph(term: rdflib.term.Node) -> Value:
    """The Oxigraph term for an rdflib term (the lexical form is kept as rdflib has it).

    Raises
    ------
    TypeError
        For rdflib nodes that are not IRIs, blank nodes or literals (variables, graphs).
    """
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
