"""HTML documentation of the l4a ontology, one page per language (en, fr, es).

The page is generated from the ontology graph (``graph/ontology``: ``ontology/*.ttl``):
the header, a class diagram, the classes, the object, datatype and annotation
properties, and the SKOS concept schemes with their concepts. Every term of the
``l4a:`` namespace is anchored by its local name, so ``https://w3id.org/l4a/def#Hub``
lands on ``#Hub`` when the page is served at the ontology IRI.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, TypeAlias

import jinja2
from markupsafe import Markup
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, Namespace

from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError
from l4a_graph.formats import by_name
from l4a_graph.publish.diagram import DiagramEdge, DiagramNode, class_diagram
from l4a_graph.queries import LANGUAGES

if TYPE_CHECKING:
    from rdflib.term import Node

    from l4a_graph.knowledge_graph import KnowledgeGraph

__all__ = ["OntologyDoc", "ontology_doc", "ontology_graph", "render_ontology_docs"]

SCHEMA = Namespace("http://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
L4A = Namespace(ns.L4A)

DISPLAY_PREFIXES: Final = {
    **ns.PREFIXES,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": str(SCHEMA),
    "vann": str(VANN),
}
"""Prefixes used to show the IRIs of terms that are not ours."""

CHARACTERISTICS: Final = (
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
)

STRINGS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "contents": "Contents",
        "metadata": "About this ontology",
        "iri": "IRI",
        "version_iri": "Version IRI",
        "version": "Version",
        "license": "Licence",
        "creators": "Creators",
        "created": "Created",
        "modified": "Modified",
        "prefix": "Preferred prefix",
        "namespace": "Namespace",
        "references": "Vocabularies used",
        "languages": "Languages",
        "diagram": "Class diagram",
        "diagram_desc": "Boxes are the classes of the ontology; grey lines with a hollow "
        "triangle point from a subclass to its superclass; blue arrows go from the domain to "
        "the range of an object property, labelled with the property.",
        "legend_subclass": "subclass of",
        "legend_property": "object property (domain to range)",
        "classes": "Classes",
        "object_properties": "Object properties",
        "datatype_properties": "Datatype properties",
        "annotation_properties": "Annotation properties",
        "schemes": "Concept schemes",
        "superclasses": "Superclasses",
        "subclasses": "Subclasses",
        "equivalents": "Equivalent to",
        "disjoints": "Disjoint with",
        "domain": "Domain",
        "range": "Range",
        "domain_includes": "Domain includes",
        "range_includes": "Range includes",
        "inverses": "Inverse of",
        "characteristics": "Characteristics",
        "chains": "Property chains",
        "superproperties": "Super-properties",
        "subproperties": "Sub-properties",
        "note": "Note",
        "concepts": "Concepts",
        "alt_labels": "Also called",
        "order": "Order",
        "value": "value",
        "generated": "Generated from the ontology by l4a-graph.",
    },
    "fr": {
        "contents": "Sommaire",
        "metadata": "À propos de cette ontologie",
        "iri": "IRI",
        "version_iri": "IRI de version",
        "version": "Version",
        "license": "Licence",
        "creators": "Auteurs",
        "created": "Créée le",
        "modified": "Modifiée le",
        "prefix": "Préfixe préféré",
        "namespace": "Espace de noms",
        "references": "Vocabulaires utilisés",
        "languages": "Langues",
        "diagram": "Diagramme des classes",
        "diagram_desc": "Les boîtes sont les classes de l'ontologie ; les lignes grises à "
        "triangle vide vont d'une sous-classe à sa super-classe ; les flèches bleues vont du "
        "domaine au codomaine d'une propriété d'objet, étiquetées par la propriété.",
        "legend_subclass": "sous-classe de",
        "legend_property": "propriété d'objet (du domaine au codomaine)",
        "classes": "Classes",
        "object_properties": "Propriétés d'objet",
        "datatype_properties": "Propriétés de données",
        "annotation_properties": "Propriétés d'annotation",
        "schemes": "Schémas de concepts",
        "superclasses": "Super-classes",
        "subclasses": "Sous-classes",
        "equivalents": "Équivalente à",
        "disjoints": "Disjointe de",
        "domain": "Domaine",
        "range": "Codomaine",
        "domain_includes": "Le domaine comprend",
        "range_includes": "Le codomaine comprend",
        "inverses": "Inverse de",
        "characteristics": "Caractéristiques",
        "chains": "Chaînes de propriétés",
        "superproperties": "Super-propriétés",
        "subproperties": "Sous-propriétés",
        "note": "Note",
        "concepts": "Concepts",
        "alt_labels": "Autres noms",
        "order": "Rang",
        "value": "valeur",
        "generated": "Généré à partir de l'ontologie par l4a-graph.",
    },
    "es": {
        "contents": "Índice",
        "metadata": "Acerca de esta ontología",
        "iri": "IRI",
        "version_iri": "IRI de la versión",
        "version": "Versión",
        "license": "Licencia",
        "creators": "Autores",
        "created": "Creada el",
        "modified": "Modificada el",
        "prefix": "Prefijo preferido",
        "namespace": "Espacio de nombres",
        "references": "Vocabularios utilizados",
        "languages": "Idiomas",
        "diagram": "Diagrama de clases",
        "diagram_desc": "Las cajas son las clases de la ontología; las líneas grises con un "
        "triángulo vacío van de una subclase a su superclase; las flechas azules van del "
        "dominio al rango de una propiedad de objeto, etiquetadas con la propiedad.",
        "legend_subclass": "subclase de",
        "legend_property": "propiedad de objeto (del dominio al rango)",
        "classes": "Clases",
        "object_properties": "Propiedades de objeto",
        "datatype_properties": "Propiedades de datos",
        "annotation_properties": "Propiedades de anotación",
        "schemes": "Esquemas de conceptos",
        "superclasses": "Superclases",
        "subclasses": "Subclases",
        "equivalents": "Equivalente a",
        "disjoints": "Disjunta con",
        "domain": "Dominio",
        "range": "Rango",
        "domain_includes": "El dominio incluye",
        "range_includes": "El rango incluye",
        "inverses": "Inversa de",
        "characteristics": "Características",
        "chains": "Cadenas de propiedades",
        "superproperties": "Superpropiedades",
        "subproperties": "Subpropiedades",
        "note": "Nota",
        "concepts": "Conceptos",
        "alt_labels": "También llamado",
        "order": "Orden",
        "value": "valor",
        "generated": "Generado a partir de la ontología por l4a-graph.",
    },
}
"""The page's own words, per language."""

LANGUAGE_NAMES: Final = {"en": "English", "fr": "Français", "es": "Español"}


# -- the model the template renders ---------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text and its language (which differs from the page's when it fell back)."""

    value: str
    lang: str | None


@dataclass(frozen=True)
class Ref:
    """A mention of a term: a link to its anchor (ours) or to its IRI (others)."""

    iri: str
    label: str
    href: str
    title: str = ""


@dataclass
class Term:
    """A class or a property, with what the page says about it."""

    iri: str
    anchor: str
    label: Text
    definition: Text | None
    notes: list[Text]
    facts: dict[str, list[Ref]] = field(default_factory=dict)
    """Rows of the term's description list, by the key of their heading in STRINGS."""
    chains: list[list[Ref]] = field(default_factory=list)
    equivalents: list[list[Ref]] = field(default_factory=list)

    @property
    def curie(self) -> str:
        """The term's prefixed name, e.g. ``l4a:Hub``."""
        return f"l4a:{self.anchor}"


_Facts: TypeAlias = Callable[[Term, URIRef], None]
"""Fills in the facts of a term (``_Reader.class_facts``, ``_Reader.property_facts``)."""


@dataclass
class Concept:
    """A concept of a scheme."""

    iri: str
    anchor: str
    label: Text
    definition: Text | None
    alt_labels: list[Text]
    order: int | None


@dataclass
class Scheme:
    """A SKOS concept scheme and its concepts, in their order."""

    iri: str
    anchor: str
    label: Text
    definition: Text | None
    concepts: list[Concept]


@dataclass
class OntologyDoc:
    """Everything the ontology page shows, in one language."""

    lang: str
    iri: str
    title: Text
    description: Text | None
    metadata: list[tuple[str, list[Ref]]]
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    annotation_properties: list[Term]
    schemes: list[Scheme]
    diagram: Markup
    strings: dict[str, str]
    languages: dict[str, str]


# -- entry points -------------------------------------------------------------------


def render_ontology_docs(kg: KnowledgeGraph, lang: str) -> str:
    """Render the HTML documentation of the ontology in ``lang`` (``en``, ``fr``, ``es``).

    Parameters
    ----------
    kg
        The knowledge graph; its ``graph/ontology`` is documented.
    lang
        The page's language; labels and definitions missing in it fall back to English.

    Returns
    -------
    str
        A complete HTML5 document.

    Raises
    ------
    InputError
        If ``lang`` is not one of en, fr, es, or the store holds no ontology.
    """
    doc = ontology_doc(ontology_graph(kg), lang)
    return _environment().get_template("ontology.html.jinja").render(doc=doc, s=doc.strings)


def ontology_graph(kg: KnowledgeGraph) -> Graph:
    """The ontology graph of ``kg`` as an rdflib Graph (rdflib reads RDF lists easily)."""
    ntriples = by_name("nt")
    buffer = io.BytesIO()
    kg.export(buffer, ntriples, ns.GRAPH_ONTOLOGY)
    graph = Graph()
    graph.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    if (URIRef(ns.ONTOLOGY_IRI), RDF.type, OWL.Ontology) not in graph:
        raise InputError(f"the store holds no ontology in <{ns.GRAPH_ONTOLOGY}>: run `l4a load`")
    return graph


def ontology_doc(graph: Graph, lang: str) -> OntologyDoc:
    """Read the page's content from the ontology ``graph``, in ``lang``."""
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    reader = _Reader(graph, lang)
    classes = reader.terms(OWL.Class, reader.class_facts)
    object_properties = reader.terms(OWL.ObjectProperty, reader.property_facts)
    ontology = URIRef(ns.ONTOLOGY_IRI)
    strings = STRINGS[lang]
    return OntologyDoc(
        lang=lang,
        iri=ns.ONTOLOGY_IRI,
        title=reader.text(ontology, DCTERMS.title) or Text(ns.ONTOLOGY_IRI, None),
        description=reader.text(ontology, DCTERMS.description),
        metadata=reader.metadata(ontology),
        classes=classes,
        object_properties=object_properties,
        datatype_properties=reader.terms(OWL.DatatypeProperty, reader.property_facts),
        annotation_properties=reader.terms(OWL.AnnotationProperty, reader.property_facts),
        schemes=reader.schemes(),
        diagram=Markup(
            class_diagram(
                *_diagram_parts(graph, classes, object_properties),
                title=strings["diagram"],
                description=strings["diagram_desc"],
                legend=(strings["legend_subclass"], strings["legend_property"]),
            )
        ),
        strings=strings,
        languages=LANGUAGE_NAMES,
    )


def _environment() -> jinja2.Environment:
    # autoescape on everything: definitions are data, never markup.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("l4a_graph.publish", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


# -- reading the graph ----------------------------------------------------------------


def _sort_key(label: str) -> str:
    """Alphabetical order that ignores case and accents ("échange" files under e)."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _curie(iri: str) -> str:
    """``prefix:local`` when a display prefix matches (longest first), else the IRI."""
    for prefix, namespace in sorted(DISPLAY_PREFIXES.items(), key=lambda p: -len(p[1])):
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and "/" not in local and "#" not in local:
            return f"{prefix}:{local}"
    return iri


class _Reader:
    """Reads terms from the ontology graph in one language, with English as fallback."""

    def __init__(self, graph: Graph, lang: str) -> None:
        self.graph = graph
        self.lang = lang

    # -- texts ---------------------------------------------------------------------

    def texts(self, subject: Node, predicate: URIRef) -> list[Text]:
        """All texts of ``predicate`` in the page's language, else in English, else any."""
        literals = [o for o in self.graph.objects(subject, predicate) if isinstance(o, Literal)]
        for wanted in (self.lang, "en", None):
            chosen = [o for o in literals if o.language == wanted or wanted is None]
            if chosen:
                return sorted((Text(str(o), o.language) for o in chosen), key=lambda t: t.value)
        return []

    def text(self, subject: Node, *predicates: URIRef) -> Text | None:
        """The first text found among ``predicates``, in order of preference."""
        for predicate in predicates:
            found = self.texts(subject, predicate)
            if found:
                return found[0]
        return None

    def label(self, iri: URIRef) -> Text:
        return self.text(iri, RDFS.label, SKOS.prefLabel) or Text(_local(str(iri)), None)

    def ref(self, node: Node) -> Ref:
        """A link to ``node``: our terms by anchor and label, others by prefixed name."""
        iri = str(node)
        if iri.startswith(ns.L4A):
            anchor = _local(iri)
            return Ref(iri, self.label(URIRef(iri)).value, f"#{anchor}", f"l4a:{anchor}")
        label = self.text(URIRef(iri), RDFS.label, SKOS.prefLabel)
        return Ref(iri, _curie(iri), iri, label.value if label else "")

    def refs(self, nodes: Iterable[Node]) -> list[Ref]:
        named = {n for n in nodes if isinstance(n, URIRef)}
        return sorted((self.ref(n) for n in named), key=lambda r: _sort_key(r.label))

    # -- terms ---------------------------------------------------------------------

    def terms(self, kind: URIRef, facts: _Facts) -> list[Term]:
        """Our terms of type ``kind``, sorted by label in the page's language."""
        iris = {s for s in self.graph.subjects(RDF.type, kind) if str(s).startswith(ns.L4A)}
        terms = [self.term(iri, facts) for iri in iris if isinstance(iri, URIRef)]
        return sorted(terms, key=lambda t: _sort_key(t.label.value))

    def term(self, iri: URIRef, facts: _Facts) -> Term:
        term = Term(
            iri=str(iri),
            anchor=_local(str(iri)),
            label=self.label(iri),
            definition=self.text(iri, SKOS.definition, RDFS.comment),
            notes=self.texts(iri, SKOS.scopeNote),
        )
        facts(term, iri)
        return term

    def class_facts(self, term: Term, iri: URIRef) -> None:
        g = self.graph
        term.facts = _non_empty(
            superclasses=self.refs(g.objects(iri, RDFS.subClassOf)),
            subclasses=self.refs(g.subjects(RDFS.subClassOf, iri)),
            disjoints=self.refs(self._disjoints(iri)),
        )
        term.equivalents = [self.expression(e) for e in g.objects(iri, OWL.equivalentClass)]

    def property_facts(self, term: Term, iri: URIRef) -> None:
        g = self.graph
        term.facts = _non_empty(
            domain=self.refs(g.objects(iri, RDFS.domain)),
            range=self.refs(g.objects(iri, RDFS.range)),
            domain_includes=self.refs(g.objects(iri, SCHEMA.domainIncludes)),
            range_includes=self.refs(g.objects(iri, SCHEMA.rangeIncludes)),
            inverses=self.refs([*g.objects(iri, OWL.inverseOf), *g.subjects(OWL.inverseOf, iri)]),
            superproperties=self.refs(g.objects(iri, RDFS.subPropertyOf)),
            subproperties=self.refs(g.subjects(RDFS.subPropertyOf, iri)),
            characteristics=self.refs(t for t in g.objects(iri, RDF.type) if t in CHARACTERISTICS),
        )
        term.chains = [
            [self.ref(p) for p in Collection(g, chain)]
            for chain in g.objects(iri, OWL.propertyChainAxiom)
        ]

    def _disjoints(self, iri: URIRef) -> Iterator[Node]:
        """Classes declared disjoint with ``iri``, pairwise or in an AllDisjointClasses."""
        yield from self.graph.objects(iri, OWL.disjointWith)
        yield from self.graph.subjects(OWL.disjointWith, iri)
        for axiom in self.graph.subjects(RDF.type, OWL.AllDisjointClasses):
            head = self.graph.value(axiom, OWL.members)
            members = list(Collection(self.graph, head)) if head is not None else []
            if iri in members:
                yield from (m for m in members if m != iri)

    def expression(self, node: Node) -> list[Ref]:
        """A class expression as a row of links: a named class, or ``property value x``."""
        if isinstance(node, URIRef):
            return [self.ref(node)]
        on_property = self.graph.value(node, OWL.onProperty)
        value = self.graph.value(node, OWL.hasValue)
        if on_property is None or value is None:
            return [Ref("", "(class expression)", "")]
        word = STRINGS[self.lang]["value"]
        return [self.ref(on_property), Ref("", word, ""), self._value_ref(value)]

    def _value_ref(self, value: Node) -> Ref:
        """Concept schemes documented on this page link to their section."""
        if (value, RDF.type, SKOS.ConceptScheme) in self.graph:
            iri = str(value)
            return Ref(iri, self.label(URIRef(iri)).value, f"#{_scheme_anchor(iri)}", iri)
        return self.ref(value)

    # -- header and schemes ----------------------------------------------------------

    def metadata(self, ontology: URIRef) -> list[tuple[str, list[Ref]]]:
        g = self.graph

        def literals(predicate: URIRef) -> list[Ref]:
            return [Ref("", o, "") for o in sorted(str(o) for o in g.objects(ontology, predicate))]

        def links(predicate: URIRef) -> list[Ref]:
            return [Ref(o, o, o) for o in sorted(str(o) for o in g.objects(ontology, predicate))]

        rows = [
            ("iri", [Ref(ns.ONTOLOGY_IRI, ns.ONTOLOGY_IRI, ns.ONTOLOGY_IRI)]),
            ("version", literals(OWL.versionInfo)),
            ("version_iri", links(OWL.versionIRI)),
            ("license", links(DCTERMS.license)),
            ("creators", literals(DCTERMS.creator)),
            ("created", literals(DCTERMS.created)),
            ("modified", literals(DCTERMS.modified)),
            ("prefix", literals(VANN.preferredNamespacePrefix)),
            ("namespace", literals(VANN.preferredNamespaceUri)),
            ("references", self.refs(g.objects(ontology, DCTERMS.references))),
        ]
        return [(key, refs) for key, refs in rows if refs]

    def schemes(self) -> list[Scheme]:
        schemes = [
            self.scheme(s)
            for s in self.graph.subjects(RDF.type, SKOS.ConceptScheme)
            if isinstance(s, URIRef)
        ]
        return sorted(schemes, key=lambda s: _sort_key(s.label.value))

    def scheme(self, iri: URIRef) -> Scheme:
        concepts = [
            self.concept(c, iri)
            for c in self.graph.subjects(SKOS.inScheme, iri)
            if isinstance(c, URIRef)
        ]
        # Ordered schemes keep their order; the others sort by label.
        concepts.sort(key=lambda c: (c.order or 0, _sort_key(c.label.value)))
        return Scheme(
            iri=str(iri),
            anchor=_scheme_anchor(str(iri)),
            label=self.label(iri),
            definition=self.text(iri, SKOS.definition),
            concepts=concepts,
        )

    def concept(self, iri: URIRef, scheme: URIRef) -> Concept:
        order = self.graph.value(iri, L4A.order)
        return Concept(
            iri=str(iri),
            anchor=f"{_local(str(scheme))}-{_local(str(iri))}",
            label=self.label(iri),
            definition=self.text(iri, SKOS.definition),
            alt_labels=self.texts(iri, SKOS.altLabel),
            order=int(order) if isinstance(order, Literal) else None,
        )


def _non_empty(**rows: list[Ref]) -> dict[str, list[Ref]]:
    return {key: refs for key, refs in rows.items() if refs}


def _scheme_anchor(iri: str) -> str:
    # "scheme-" keeps scheme anchors apart from the local names of terms.
    return f"scheme-{_local(iri)}"


# -- the diagram's input ------------------------------------------------------------


def _diagram_parts(
    graph: Graph, classes: list[Term], properties: list[Term]
) -> tuple[list[DiagramNode], list[DiagramEdge], list[DiagramEdge]]:
    """Nodes (our classes, and the outside classes our properties point to) and edges.

    A property whose inverse is also ours is drawn once (``hasLead``, not ``leads``);
    ``schema:domainIncludes`` / ``rangeIncludes`` stand in for the wider OWL domain and
    range when given, as they say what the data holds.
    """
    nodes = {c.iri: DiagramNode(c.iri, c.anchor, f"#{c.anchor}", c.label.value) for c in classes}
    inverses = {
        str(o) for s, o in graph.subject_objects(OWL.inverseOf) if str(s).startswith(ns.L4A)
    }
    labels: dict[tuple[str, str], list[str]] = {}
    for prop in properties:
        if prop.iri in inverses:
            continue
        for domain in _ends(prop, "domain"):
            for range_ in _ends(prop, "range"):
                if domain.iri in nodes:
                    nodes.setdefault(
                        range_.iri, DiagramNode(range_.iri, range_.label, range_.href, range_.title)
                    )
                    labels.setdefault((domain.iri, range_.iri), []).append(prop.anchor)
    subclass_edges = [
        DiagramEdge(c.iri, s.iri, "")
        for c in classes
        for s in c.facts.get("superclasses", [])
        if s.iri in nodes
    ]
    property_edges = [DiagramEdge(d, r, ", ".join(sorted(ls))) for (d, r), ls in labels.items()]
    return sorted(nodes.values(), key=lambda n: n.name), subclass_edges, property_edges


def _ends(prop: Term, side: str) -> list[Ref]:
    return prop.facts.get(f"{side}_includes") or prop.facts.get(side, [])
