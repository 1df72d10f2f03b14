"""Separating the contact details of people from the public part of a submission.

A HUB may name its contact people (``dcat:contactPoint`` to a ``vcard:Individual`` with
``vcard:fn`` and ``vcard:hasEmail``). Names, e-mails and telephone numbers of people are
personal data: they are stored in a restricted graph of the private store, which no
public route reads (see :mod:`l4a_graph.knowledge_graph`), and only the rest is public.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from pyoxigraph import BlankNode, NamedNode, Quad

__all__ = ["CONTACT_PREDICATES", "PERSON_CLASSES", "split_contacts"]

VCARD: Final = "http://www.w3.org/2006/vcard/ns#"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
SCHEMA: Final = "https://schema.org/"
RDF_TYPE: Final = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

CONTACT_PREDICATES: Final = frozenset(
    NamedNode(iri)
    for iri in (
        "http://www.w3.org/ns/dcat#contactPoint",
        FOAF + "mbox",
        FOAF + "mbox_sha1sum",
        FOAF + "phone",
        SCHEMA + "email",
        SCHEMA + "telephone",
        "http://schema.org/email",
        "http://schema.org/telephone",
    )
)
"""Predicates whose triples are contact details wherever they occur (and all of vCard)."""

PERSON_CLASSES: Final = frozenset(
    NamedNode(iri)
    for iri in (
        FOAF + "Person",
        SCHEMA + "Person",
        "http://schema.org/Person",
        "http://www.w3.org/ns/prov#Person",
    )
)
"""Classes whose instances are people: every statement about them is restricted."""


def split_contacts(quads: Iterable[Quad]) -> tuple[list[Quad], list[Quad]]:
    """Split ``quads`` into the public ones and the contact details of people.

    Restricted are: triples with a contact predicate or any vCard predicate; every
    triple about a contact point or a person (an instance of :data:`PERSON_CLASSES` or
    of a vCard class); and, transitively, triples about blank nodes a restricted triple
    points to (the structure of an address or an e-mail).

    Examples
    --------
    >>> from pyoxigraph import Literal
    >>> hub, person = NamedNode("urn:hub"), BlankNode("p")
    >>> contact = NamedNode("http://www.w3.org/ns/dcat#contactPoint")
    >>> quads = [Quad(hub, NamedNode("urn:title"), Literal("A HUB")),
    ...          Quad(hub, contact, person),
    ...          Quad(person, NamedNode(VCARD + "fn"), Literal("Ana"))]
    >>> public, restricted = split_contacts(quads)
    >>> [q.object.value for q in public], len(restricted)
    (['A HUB'], 2)
    """
    quads = list(quads)
    private_nodes: set[object] = {
        q.subject
        for q in quads
        if q.predicate == RDF_TYPE and (q.object in PERSON_CLASSES or _is_vcard(q.object))
    }
    private_nodes |= {q.object for q in quads if q.predicate in CONTACT_PREDICATES}
    restricted: set[Quad] = set()
    frontier = True
    while frontier:
        frontier = False
        for q in quads:
            if q in restricted or not _restricted(q, private_nodes):
                continue
            restricted.add(q)
            if isinstance(q.object, BlankNode) and q.object not in private_nodes:
                private_nodes.add(q.object)
                frontier = True
    return [q for q in quads if q not in restricted], [q for q in quads if q in restricted]


def _restricted(quad: Quad, private_nodes: set[object]) -> bool:
    return (
        quad.predicate in CONTACT_PREDICATES
        or _is_vcard(quad.predicate)
        or quad.subject in private_nodes
    )


def _is_vcard(term: object) -> bool:
    return isinstance(term, NamedNode) and term.value.startswith(VCARD)
