"""The RDF, RDFS, OWL and XSD terms the reasoner reads.

Examples
--------
>>> OWL.sameAs
<NamedNode value=http://www.w3.org/2002/07/owl#sameAs>
>>> is_built_in(RDFS.subClassOf), is_built_in(NamedNode("https://w3id.org/l4a/def#Hub"))
(True, False)
"""

from __future__ import annotations

from typing import TypeAlias

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
