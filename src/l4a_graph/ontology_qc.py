"""Quality control of the l4a ontology and its SKOS concept schemes.

Every check takes an :class:`rdflib.Graph` and returns a list of
:class:`QCIssue`; an empty list means the check passed. The functions do no
I/O, so the test suite and the ``l4a`` CLI's QC report call the same code.

Checks
------
rl_violations
    Constructs outside the OWL 2 RL profile (W3C OWL 2 Profiles, section 4.2),
    found structurally on the RDF graph: each class expression is checked
    against the position it occupies (subclass, superclass or equivalence),
    and data ranges against the OWL 2 RL datatypes.
missing_annotations
    Terms of the ``l4a:`` namespace without an ``rdfs:label`` and a
    ``skos:definition`` in every working language, or without
    ``rdfs:isDefinedBy``; concepts and concept schemes without a
    ``skos:prefLabel`` and a ``skos:definition`` in every working language.
duplicate_labels
    Two of our terms or concepts sharing a label in one language.
header_problems
    Missing or inconsistent ontology metadata (title, description, licence,
    version IRI, creator, dates, VANN namespace annotations).
undeclared_terms
    ``l4a:`` IRIs used in a graph but not declared with an OWL type in the
    ontology, which catches typos in data, shapes and the schemes.

References
----------
.. [1] W3C, "OWL 2 Web Ontology Language Profiles (Second Edition)",
   section 4 (OWL 2 RL), https://www.w3.org/TR/owl2-profiles/#OWL_2_RL
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, SKOS
from rdflib.term import Node

__all__ = [
    "CONCEPT_BASE",
    "L4A",
    "LANGUAGES",
    "ONTOLOGY_IRI",
    "OWL2_RL_DATATYPES",
    "QCIssue",
    "declared_terms",
    "duplicate_labels",
    "header_problems",
    "missing_annotations",
    "qc_report",
    "rl_violations",
    "undeclared_terms",
    "used_terms",
]

L4A = Namespace("https://w3id.org/l4a/def#")
"""The ontology namespace (prefix ``l4a:``)."""

ONTOLOGY_IRI = URIRef("https://w3id.org/l4a/def")
"""The ontology IRI."""

CONCEPT_BASE = "https://w3id.org/l4a/id/"
"""Base of our concept scheme and concept IRIs (see docs/design.md)."""

LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
"""The working languages: every label and definition exists in each."""

VANN = Namespace("http://purl.org/vocab/vann/")

OWL2_RL_DATATYPES: frozenset[URIRef] = frozenset(
    {
        RDF.PlainLiteral,
        RDF.XMLLiteral,
        RDFS.Literal,
        OWL.real,
        OWL.rational,
        XSD.decimal,
        XSD.integer,
        XSD.nonNegativeInteger,
        XSD.nonPositiveInteger,
        XSD.positiveInteger,
        XSD.negativeInteger,
        XSD.long,
        XSD.int,
        XSD.short,
        XSD.byte,
        XSD.unsignedLong,
        XSD.unsignedInt,
        XSD.unsignedShort,
        XSD.unsignedByte,
        XSD.double,
        XSD.float,
        XSD.string,
        XSD.normalizedString,
        XSD.token,
        XSD.language,
        XSD.Name,
        XSD.NCName,
        XSD.NMTOKEN,
        XSD.boolean,
        XSD.hexBinary,
        XSD.base64Binary,
        XSD.anyURI,
        XSD.dateTime,
        XSD.dateTimeStamp,
    }
)
"""The datatypes OWL 2 RL supports (OWL 2 Profiles, section 4.3).

``xsd:date``, ``xsd:gYear`` and ``xsd:gYearMonth`` are not among them.
"""

_DECLARATION_TYPES: frozenset[URIRef] = frozenset(
    {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Datatype}
)
_RESERVED_DATATYPE_NAMESPACES = (str(XSD), str(RDF), str(RDFS), str(OWL))
_CLASS_CONSTRUCTORS = (OWL.unionOf, OWL.intersectionOf, OWL.complementOf, OWL.oneOf)
_FORBIDDEN_CARDINALITIES = (
    OWL.cardinality,
    OWL.minCardinality,
    OWL.qualifiedCardinality,
    OWL.minQualifiedCardinality,
)
_MAX_CARDINALITIES = (OWL.maxCardinality, OWL.maxQualifiedCardinality)


@dataclass(frozen=True, order=True)
class QCIssue:
    """One problem found by a QC check.

    Attributes
    ----------
    check
        Name of the check that found it, e.g. ``"owl2-rl"`` or ``"label"``.
    subject
        The resource concerned, as a prefixed name where possible.
    message
        What is wrong and, where useful, what to do about it.
    """

    check: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.message}"


# ---------------------------------------------------------------------------
# OWL 2 RL profile
# ---------------------------------------------------------------------------


class _Position(Enum):
    """Where a class expression occurs in an axiom."""

    SUB = "subclass"
    SUPER = "superclass"
    EQUIV = "equivalence"


def rl_violations(graph: Graph) -> list[QCIssue]:
    """Flag constructs of ``graph`` that fall outside the OWL 2 RL profile.

    The check is structural: it walks the RDF mapping of the axioms and checks
    each class expression against the grammar of its position.

    * subclass side (``rdfs:subClassOf`` subject, ``owl:disjointWith``,
      ``owl:AllDisjointClasses``, ``owl:hasKey``): no ``owl:allValuesFrom``,
      ``owl:complementOf``, cardinalities or ``owl:Thing``;
    * superclass side (``rdfs:subClassOf`` object, ``rdfs:domain``,
      ``rdfs:range`` of object properties, anonymous class assertions): no
      ``owl:unionOf``, ``owl:someValuesFrom``, ``owl:oneOf``, and
      cardinalities only ``max 0`` or ``max 1``;
    * equivalence (``owl:equivalentClass``, named classes defined by a
      constructor): only named classes, ``owl:intersectionOf`` and
      ``owl:hasValue``;
    * anywhere: no ``owl:hasSelf``, exact or minimum cardinalities,
      ``owl:disjointUnionOf``, ``owl:ReflexiveProperty`` or n-ary
      restrictions;
    * data ranges: only OWL 2 RL datatypes and their intersections (no
      ``xsd:date``, data unions, complements, enumerations or facets).

    Parameters
    ----------
    graph
        The ontology (any extra triples, such as instance data, are ignored
        unless they use class expressions).

    Returns
    -------
    list of QCIssue
        One issue per offending construct, check name ``"owl2-rl"``, sorted.

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <urn:A> rdfs:subClassOf [ owl:unionOf ( <urn:B> <urn:C> ) ] .
    ... ''')
    >>> [issue.message for issue in rl_violations(g)]
    ['owl:unionOf is not allowed on the superclass side']

    Notes
    -----
    Linear in the size of the graph: each anonymous expression is visited
    once per position it occurs in.
    """
    return sorted(set(_RLChecker(graph).run()))


class _RLChecker:
    """Walks the axioms of a graph and collects OWL 2 RL violations."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.issues: list[QCIssue] = []
        self._seen: set[tuple[Node, _Position]] = set()

    # -- helpers -------------------------------------------------------------

    def _name(self, node: Node) -> str:
        return node.n3(self.graph.namespace_manager)

    def _flag(self, anchor: Node, message: str) -> None:
        self.issues.append(QCIssue("owl2-rl", self._name(anchor), message))

    def _list(self, head: Node | None) -> list[Node]:
        return list(Collection(self.graph, head)) if head is not None else []

    def _is_data_property(self, prop: Node) -> bool:
        return (prop, RDF.type, OWL.DatatypeProperty) in self.graph

    def _is_data_range(self, node: Node) -> bool:
        g = self.graph
        if isinstance(node, URIRef):
            return (
                node in OWL2_RL_DATATYPES
                or str(node).startswith(str(XSD))
                or node in (RDF.langString, RDF.HTML)
                or (node, RDF.type, RDFS.Datatype) in g
            )
        return (
            (node, RDF.type, RDFS.Datatype) in g
            or (node, OWL.onDatatype, None) in g
            or (node, OWL.datatypeComplementOf, None) in g
            or any(isinstance(v, Literal) for v in self._list(g.value(node, OWL.oneOf)))
        )

    # -- entry point -----------------------------------------------------------

    def run(self) -> list[QCIssue]:
        g = self.graph
        for s, o in g.subject_objects(RDFS.subClassOf):
            self._class(s, _Position.SUB, s)
            self._class(o, _Position.SUPER, s)
        for s, o in g.subject_objects(OWL.equivalentClass):
            if self._is_data_range(s) or self._is_data_range(o):
                self._data_range(o, s)
            else:
                self._class(s, _Position.EQUIV, s)
                self._class(o, _Position.EQUIV, s)
        for s, o in g.subject_objects(OWL.disjointWith):
            self._class(s, _Position.SUB, s)
            self._class(o, _Position.SUB, s)
        for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses):
            for member in self._list(g.value(axiom, OWL.members)):
                self._class(member, _Position.SUB, member)
        for s in g.subjects(OWL.hasKey, None):
            self._class(s, _Position.SUB, s)
        for s in g.subjects(OWL.disjointUnionOf, None):
            self._flag(s, "owl:disjointUnionOf is not allowed in OWL 2 RL")
        for p in g.subjects(RDF.type, OWL.ReflexiveProperty):
            self._flag(p, "owl:ReflexiveProperty is not allowed in OWL 2 RL")
        for p, c in g.subject_objects(RDFS.domain):
            self._class(c, _Position.SUPER, p)
        for p, r in g.subject_objects(RDFS.range):
            if self._is_data_property(p) or self._is_data_range(r):
                self._data_range(r, p)
            else:
                self._class(r, _Position.SUPER, p)
        for x, c in g.subject_objects(RDF.type):
            if isinstance(c, BNode) and not self._is_data_range(c):
                self._class(c, _Position.SUPER, x)
        # A named class that carries a constructor is defined as equivalent to it.
        for ctor in _CLASS_CONSTRUCTORS:
            for s in g.subjects(ctor, None):
                if isinstance(s, URIRef) and not self._is_data_range(s):
                    self._constructors(s, _Position.EQUIV, s)
        return self.issues

    # -- class expressions --------------------------------------------------------

    def _class(self, node: Node, pos: _Position, anchor: Node) -> None:
        """Check the class expression ``node`` occurring in position ``pos``."""
        if isinstance(node, Literal):
            self._flag(anchor, f"a literal ({node}) used where a class is expected")
            return
        if isinstance(node, URIRef):
            if node == OWL.Thing and pos is not _Position.SUPER:
                self._flag(anchor, f"owl:Thing is not allowed on the {pos.value} side")
            return  # a named class: its own definition is checked separately
        if (node, pos) in self._seen:
            return
        self._seen.add((node, pos))
        self._constructors(node, pos, anchor)

    def _constructors(self, node: Node, pos: _Position, anchor: Node) -> None:
        g = self.graph
        for members in g.objects(node, OWL.intersectionOf):
            for member in self._list(members):
                self._class(member, pos, anchor)
        for members in g.objects(node, OWL.unionOf):
            if pos is not _Position.SUB:
                self._flag(anchor, f"owl:unionOf is not allowed on the {pos.value} side")
            for member in self._list(members):
                self._class(member, _Position.SUB, anchor)
        for inner in g.objects(node, OWL.complementOf):
            if pos is not _Position.SUPER:
                self._flag(anchor, f"owl:complementOf is not allowed on the {pos.value} side")
            self._class(inner, _Position.SUB, anchor)
        if (node, OWL.oneOf, None) in g and pos is not _Position.SUB:
            self._flag(anchor, f"owl:oneOf is not allowed on the {pos.value} side")
        if (node, OWL.onProperty, None) in g or (node, OWL.onProperties, None) in g:
            self._restriction(node, pos, anchor)

    def _restriction(self, node: Node, pos: _Position, anchor: Node) -> None:
        g = self.graph
        prop = g.value(node, OWL.onProperty)
        data = prop is not None and self._is_data_property(prop)
        if (node, OWL.onProperties, None) in g:
            self._flag(anchor, "n-ary data restrictions (owl:onProperties) are not allowed")
        for filler in g.objects(node, OWL.someValuesFrom):
            if pos is not _Position.SUB:
                self._flag(anchor, f"owl:someValuesFrom is not allowed on the {pos.value} side")
            self._filler(filler, _Position.SUB, anchor, data)
        for filler in g.objects(node, OWL.allValuesFrom):
            if pos is not _Position.SUPER:
                self._flag(anchor, f"owl:allValuesFrom is not allowed on the {pos.value} side")
            self._filler(filler, _Position.SUPER, anchor, data)
        if (node, OWL.hasSelf, None) in g:
            self._flag(anchor, "owl:hasSelf is not allowed in OWL 2 RL")
        for card in _FORBIDDEN_CARDINALITIES:
            for value in g.objects(node, card):
                self._flag(
                    anchor,
                    f"{self._name(card)} {value} is not allowed (OWL 2 RL allows only "
                    "max 0 or max 1 cardinalities on the superclass side)",
                )
        for card in _MAX_CARDINALITIES:
            for value in g.objects(node, card):
                if pos is not _Position.SUPER:
                    self._flag(anchor, f"{self._name(card)} is not allowed on the {pos.value} side")
                if not _is_zero_or_one(value):
                    self._flag(
                        anchor,
                        f"{self._name(card)} {value} is not allowed (only 0 or 1)",
                    )
        for filler in g.objects(node, OWL.onClass):
            self._class(filler, _Position.SUB, anchor)
        for filler in g.objects(node, OWL.onDataRange):
            self._data_range(filler, anchor)

    def _filler(self, filler: Node, pos: _Position, anchor: Node, data: bool) -> None:
        if data or self._is_data_range(filler):
            self._data_range(filler, anchor)
        elif filler == OWL.Thing and pos is _Position.SUB:
            return  # ObjectSomeValuesFrom(P owl:Thing) is allowed
        else:
            self._class(filler, pos, anchor)

    # -- data ranges --------------------------------------------------------------

    def _data_range(self, node: Node, anchor: Node) -> None:
        g = self.graph
        if isinstance(node, URIRef):
            reserved = str(node).startswith(_RESERVED_DATATYPE_NAMESPACES)
            if reserved and node not in OWL2_RL_DATATYPES:
                self._flag(
                    anchor,
                    f"datatype {self._name(node)} is not an OWL 2 RL datatype; "
                    "name it with schema:rangeIncludes and enforce it in SHACL",
                )
            return
        if isinstance(node, Literal):
            self._flag(anchor, f"a literal ({node}) used where a data range is expected")
            return
        for members in g.objects(node, OWL.intersectionOf):
            for member in self._list(members):
                self._data_range(member, anchor)
        if (node, OWL.unionOf, None) in g:
            self._flag(anchor, "data unions (owl:unionOf of datatypes) are not allowed")
        if (node, OWL.datatypeComplementOf, None) in g:
            self._flag(anchor, "owl:datatypeComplementOf is not allowed in OWL 2 RL")
        if (node, OWL.oneOf, None) in g:
            self._flag(anchor, "data enumerations (owl:oneOf of literals) are not allowed")
        if (node, OWL.withRestrictions, None) in g:
            self._flag(anchor, "datatype restrictions (owl:withRestrictions) are not allowed")


def _is_zero_or_one(value: Node) -> bool:
    if not isinstance(value, Literal):
        return False
    try:
        return int(str(value)) in (0, 1)
    except ValueError:
        return False


# ---------------------------------------------------------------------------
# Declarations and usage
# ---------------------------------------------------------------------------


def declared_terms(graph: Graph, namespace: str = str(L4A)) -> set[URIRef]:
    """Return the IRIs of ``namespace`` declared with an OWL type in ``graph``.

    Parameters
    ----------
    graph
        The ontology.
    namespace
        Only IRIs starting with this string are returned.

    Returns
    -------
    set of URIRef
        Subjects typed ``owl:Class``, ``owl:ObjectProperty``,
        ``owl:DatatypeProperty``, ``owl:AnnotationProperty`` or
        ``rdfs:Datatype``.
    """
    return {
        s
        for t in _DECLARATION_TYPES
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(namespace)
    }


def used_terms(
    triples: Iterable[tuple[Node | None, ...]], namespace: str = str(L4A)
) -> set[URIRef]:
    """Return every IRI of ``namespace`` that occurs in ``triples``.

    Parameters
    ----------
    triples
        Triples or quads, e.g. a :class:`~rdflib.Graph` or
        ``Dataset.quads()``; every position is inspected, graph names too.
    namespace
        Only IRIs starting with this string are returned.

    Returns
    -------
    set of URIRef
    """
    return {
        term
        for statement in triples
        for term in statement
        if isinstance(term, URIRef) and str(term).startswith(namespace)
    }


def undeclared_terms(
    ontology: Graph,
    used: Iterable[tuple[Node | None, ...]],
    namespace: str = str(L4A),
    where: str = "",
) -> list[QCIssue]:
    """Report IRIs of ``namespace`` used in ``used`` but not declared in ``ontology``.

    Parameters
    ----------
    ontology
        The ontology that declares the terms.
    used
        Triples or quads to inspect (data, shapes, the schemes).
    namespace
        The namespace whose IRIs must all be declared.
    where
        Added to the message to say where the term was used, e.g. a file name.

    Returns
    -------
    list of QCIssue
        Check name ``"undeclared"``, one per unknown IRI, sorted.
    """
    declared = declared_terms(ontology, namespace)
    suffix = f" (used in {where})" if where else ""
    return sorted(
        QCIssue(
            "undeclared",
            term.n3(ontology.namespace_manager),
            f"not declared in the ontology{suffix}; a typo, or a term to add to "
            "ontology/l4a.ttl and docs/design.md",
        )
        for term in used_terms(used, namespace) - declared
    )


# ---------------------------------------------------------------------------
# Labels and definitions
# ---------------------------------------------------------------------------


def _our_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(L4A))}


def _our_concepts(graph: Graph) -> set[URIRef]:
    return {
        s
        for t in (SKOS.Concept, SKOS.ConceptScheme)
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(CONCEPT_BASE)
    }


def _languages(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    return [
        o.language or ""
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and str(o).strip()
    ]


def missing_annotations(graph: Graph, languages: tuple[str, ...] = LANGUAGES) -> list[QCIssue]:
    """Report terms and concepts that lack a label or a definition in a language.

    Terms are the subjects of the ``l4a:`` namespace; they need exactly one
    ``rdfs:label`` and at least one ``skos:definition`` per language, and an
    ``rdfs:isDefinedBy``. Concepts and concept schemes under
    ``https://w3id.org/l4a/id/`` need exactly one ``skos:prefLabel`` and at
    least one ``skos:definition`` per language.

    Parameters
    ----------
    graph
        The ontology and the concept schemes.
    languages
        The language tags required.

    Returns
    -------
    list of QCIssue
        Check names ``"label"``, ``"definition"`` and ``"defined-by"``, sorted.
    """
    issues: list[QCIssue] = []
    nm = graph.namespace_manager
    targets = [(t, RDFS.label) for t in _our_terms(graph)]
    targets += [(c, SKOS.prefLabel) for c in _our_concepts(graph)]
    for subject, label_property in targets:
        name = subject.n3(nm)
        label_name = label_property.n3(nm)
        labels = _languages(graph, subject, label_property)
        definitions = _languages(graph, subject, SKOS.definition)
        for lang in languages:
            count = labels.count(lang)
            if count == 0:
                issues.append(QCIssue("label", name, f"no {label_name} in '{lang}'"))
            elif count > 1:
                issues.append(QCIssue("label", name, f"{count} values of {label_name} in '{lang}'"))
            if lang not in definitions:
                issues.append(QCIssue("definition", name, f"no skos:definition in '{lang}'"))
        if label_property == RDFS.label and (subject, RDFS.isDefinedBy, None) not in graph:
            issues.append(QCIssue("defined-by", name, "no rdfs:isDefinedBy"))
    return sorted(issues)


def duplicate_labels(graph: Graph) -> list[QCIssue]:
    """Report labels shared by two of our terms or concepts in one language.

    The ``rdfs:label`` of ``l4a:`` terms and the ``skos:prefLabel`` of our
    concepts and schemes are compared case-insensitively and with spaces
    normalised, per language.

    Parameters
    ----------
    graph
        The ontology and the concept schemes.

    Returns
    -------
    list of QCIssue
        Check name ``"duplicate-label"``, one per shared label, sorted.
    """
    owners: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    for subjects, predicate in (
        (_our_terms(graph), RDFS.label),
        (_our_concepts(graph), SKOS.prefLabel),
    ):
        for s in subjects:
            for o in graph.objects(s, predicate):
                if isinstance(o, Literal):
                    key = (o.language or "", " ".join(str(o).casefold().split()))
                    owners[key].add(s)
    nm = graph.namespace_manager
    return sorted(
        QCIssue(
            "duplicate-label",
            ", ".join(sorted(s.n3(nm) for s in subjects)),
            f"share the label '{text}'@{lang}",
        )
        for (lang, text), subjects in owners.items()
        if len(subjects) > 1
    )


# ---------------------------------------------------------------------------
# Ontology header
# ---------------------------------------------------------------------------


def header_problems(
    graph: Graph,
    ontology_iri: URIRef = ONTOLOGY_IRI,
    languages: tuple[str, ...] = LANGUAGES,
) -> list[QCIssue]:
    """Report missing or inconsistent ontology metadata.

    Required: ``owl:Ontology`` type; ``dcterms:title`` and
    ``dcterms:description`` in every language; ``dcterms:license``;
    ``dcterms:creator``; ``dcterms:created`` and ``dcterms:modified``;
    ``owl:versionInfo`` and an ``owl:versionIRI`` equal to
    ``<ontology IRI>/<versionInfo>``; ``vann:preferredNamespacePrefix`` and
    ``vann:preferredNamespaceUri``.

    Parameters
    ----------
    graph
        The ontology.
    ontology_iri
        The IRI of the ``owl:Ontology`` node.
    languages
        The language tags required for title and description.

    Returns
    -------
    list of QCIssue
        Check name ``"header"``, sorted.
    """
    name = ontology_iri.n3(graph.namespace_manager)

    def issue(message: str) -> QCIssue:
        return QCIssue("header", name, message)

    if (ontology_iri, RDF.type, OWL.Ontology) not in graph:
        return [issue("not declared as an owl:Ontology")]
    issues: list[QCIssue] = []
    for prop in (DCTERMS.title, DCTERMS.description):
        present = _languages(graph, ontology_iri, prop)
        issues += [
            issue(f"no {prop.n3(graph.namespace_manager)} in '{lang}'")
            for lang in languages
            if lang not in present
        ]
    for prop in (
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.created,
        DCTERMS.modified,
        OWL.versionInfo,
        OWL.versionIRI,
        VANN.preferredNamespacePrefix,
        VANN.preferredNamespaceUri,
    ):
        if graph.value(ontology_iri, prop) is None:
            issues.append(issue(f"no {prop.n3(graph.namespace_manager)}"))
    version = graph.value(ontology_iri, OWL.versionInfo)
    version_iri = graph.value(ontology_iri, OWL.versionIRI)
    if version is not None and version_iri is not None:
        expected = URIRef(f"{ontology_iri}/{version}")
        if version_iri != expected:
            issues.append(issue(f"owl:versionIRI {version_iri} does not match {expected}"))
    return sorted(issues)


# ---------------------------------------------------------------------------
# All checks
# ---------------------------------------------------------------------------


def qc_report(graph: Graph) -> list[QCIssue]:
    """Run every check on the ontology and its concept schemes.

    Parameters
    ----------
    graph
        The union of ``ontology/*.ttl``.

    Returns
    -------
    list of QCIssue
        All issues, grouped by check; empty when the ontology is clean.
    """
    return [
        *header_problems(graph),
        *rl_violations(graph),
        *missing_annotations(graph),
        *duplicate_labels(graph),
        *undeclared_terms(graph, graph, where="the ontology"),
    ]
