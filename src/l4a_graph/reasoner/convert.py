"""Conversions between Oxigraph and rdflib terms (for owlrl, which works on rdflib).

Kept apart so that only the reference engine pays for importing rdflib.

Examples
--------
>>> from l4a_graph.reasoner.terms import OWL, XSD
>>> to_rdflib(OWL.sameAs)
rdflib.term.URIRef('http://www.w3.org/2002/07/owl#sameAs')
>>> to_oxigraph(to_rdflib(Literal("01", datatype=XSD.integer))).value
'01'
"""

from __future__ import annotations

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode

from l4a_graph.reasoner.terms import XSD, Value


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
