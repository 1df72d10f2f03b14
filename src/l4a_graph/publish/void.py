"""The VoID and DCAT description of the published dataset (``/.well-known/void``).

The description is computed from the store: counts, vocabularies, example resources,
one subset per named graph (with the title, licence, rights, citation and sources that
each graph states about itself), linksets to the UN SDG KOS and to Wikidata, and one
distribution per dump file. Only the titles and the project's own statements are
written here; every third-party citation and rights text is read from the data.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Final

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QuerySolution,
    QuerySolutions,
    Triple,
    serialize,
)

from l4a_graph import namespaces as ns
from l4a_graph.publish.dataset import DATASET_IRI, DumpFile, published_graphs
from l4a_graph.queries import LANGUAGES

if TYPE_CHECKING:
    from l4a_graph.formats import Format
    from l4a_graph.knowledge_graph import KnowledgeGraph

__all__ = ["PREFIXES", "dataset_description", "void_document"]

RDF = ns.PREFIXES["rdf"]
RDFS = ns.PREFIXES["rdfs"]
XSD = ns.PREFIXES["xsd"]
SKOS = ns.PREFIXES["skos"]
DCT = ns.PREFIXES["dcterms"]
DCAT = ns.PREFIXES["dcat"]
VOID = ns.PREFIXES["void"]
FOAF: Final = "http://xmlns.com/foaf/0.1/"
SPDX: Final = "http://spdx.org/rdf/terms#"
IANA: Final = "https://www.iana.org/assignments/media-types/"
W3C_FORMATS: Final = "http://www.w3.org/ns/formats/"
CC_BY_4: Final = "https://creativecommons.org/licenses/by/4.0/"
WIKIDATA_ENTITY: Final = "http://www.wikidata.org/entity/"

PREFIXES: Final = {**ns.PREFIXES, "foaf": FOAF, "spdx": SPDX}
"""Prefixes of the serialized description."""

TITLE: Final = {
    "en": "Local4Action HUBs knowledge graph",
    "fr": "Graphe de connaissances des HUBs Local4Action",
    "es": "Grafo de conocimiento de los HUBs Local4Action",
}
DESCRIPTION: Final = {
    "en": "Linked open data on the Local4Action HUBs programme of United Cities and Local "
    "Governments (UCLG): the HUBs that local and regional governments lead, the stakeholders "
    "that take part in them, their territories, and the SDG goals and targets and the axes of "
    "the Pact for the Future they serve; with the ontology and the reference data they use.",
    "fr": "Données ouvertes et liées sur le programme Local4Action HUBs de Cités et "
    "Gouvernements Locaux Unis (CGLU) : les HUBs que dirigent les gouvernements locaux et "
    "régionaux, les parties prenantes qui y participent, leurs territoires, ainsi que les "
    "objectifs et cibles de développement durable et les axes du Pacte pour l'avenir qu'ils "
    "servent ; avec l'ontologie et les données de référence qu'ils utilisent.",
    "es": "Datos abiertos y enlazados sobre el programa Local4Action HUBs de Ciudades y "
    "Gobiernos Locales Unidos (CGLU): los HUBs que lideran los gobiernos locales y regionales, "
    "las partes interesadas que participan en ellos, sus territorios, y los objetivos y metas "
    "de desarrollo sostenible y los ejes del Pacto para el Futuro a los que sirven; con la "
    "ontología y los datos de referencia que utilizan.",
}
PUBLISHER_NOTE: Final = {
    "en": "Published by the l4a-graph project, which compiles it from public sources. The "
    "Local4Action HUBs programme is UCLG's; UCLG is not the publisher of this dataset.",
    "fr": "Publié par le projet l4a-graph, qui le compile à partir de sources publiques. Le "
    "programme Local4Action HUBs est celui de CGLU ; CGLU n'est pas l'éditeur de ce jeu de "
    "données.",
    "es": "Publicado por el proyecto l4a-graph, que lo compila a partir de fuentes públicas. El "
    "programa Local4Action HUBs es de CGLU; CGLU no es el editor de este conjunto de datos.",
}
PROJECT_RIGHTS: Final = {
    "en": "The ontology and the curated data of l4a-graph are licensed under CC BY 4.0. The "
    "reference data keeps the terms of its sources, stated on each subset.",
    "fr": "L'ontologie et les données éditées par l4a-graph sont sous licence CC BY 4.0. Les "
    "données de référence gardent les conditions de leurs sources, indiquées sur chaque "
    "sous-ensemble.",
    "es": "La ontología y los datos curados de l4a-graph tienen licencia CC BY 4.0. Los datos "
    "de referencia conservan las condiciones de sus fuentes, indicadas en cada subconjunto.",
}

SELF_DESCRIPTION: Final = (
    DCT + "title",
    DCT + "license",
    DCT + "rights",
    DCT + "bibliographicCitation",
    DCT + "source",
)
"""What a graph says about itself (``<g> a dcat:Dataset``) that its subset repeats."""

EXAMPLE_PATTERNS: Final = (
    "?x a l4a:Hub",
    "?x a/rdfs:subClassOf* l4a:LocalRegionalGovernment",
    "?x a sdgo:Target",
)
"""One example resource each: a HUB, an LRG, an SDG target."""

LINK_TARGETS: Final = (
    ("sdg-kos", "http://metadata.un.org/sdg", ns.SDG, "UN SDG KOS"),
    ("wikidata", "http://www.wikidata.org/", WIKIDATA_ENTITY, "Wikidata"),
)
"""(slug, dataset IRI, URI space, title) of the datasets the linksets point into."""

FORMAT_IRIS: Final = {
    "text/turtle": W3C_FORMATS + "Turtle",
    "application/trig": W3C_FORMATS + "TriG",
    "application/n-quads": W3C_FORMATS + "N-Quads",
    "application/ld+json": W3C_FORMATS + "JSON-LD",
}
"""W3C format IRIs of the dump formats, for ``void:feature``."""


def dataset_description(
    kg: KnowledgeGraph,
    base_url: str,
    dumps: Sequence[DumpFile] = (),
    languages: Sequence[str] = LANGUAGES,
) -> list[Triple]:
    """Describe the published dataset in VoID and DCAT, sorted for stable output.

    Parameters
    ----------
    kg
        The knowledge graph; only its published graphs are counted.
    base_url
        Where the site runs, e.g. ``https://w3id.org/l4a``; the SPARQL endpoint is
        ``<base_url>/sparql`` and the dumps ``<base_url>/dumps/<name>``.
    dumps
        The dump files to describe as distributions (see :func:`write_dumps`).
    languages
        Languages of the title, description and notes (``en``, ``fr``, ``es``).

    Returns
    -------
    list of pyoxigraph.Triple
        The description; serialize it with :func:`void_document` or ``pyoxigraph.serialize``.

    Notes
    -----
    ``void:triples`` counts the quads of the published graphs (a triple stated in two
    graphs counts twice, as in the dumps). ``void:entities`` counts the distinct IRIs
    that have an ``rdf:type``.
    """
    base = base_url.rstrip("/")
    graphs = published_graphs(kg)
    triples = [
        *_identity(languages),
        *_publisher(kg, graphs, languages),
        *_rights(kg, graphs, languages),
        *_statistics(kg, graphs),
        *_vocabularies(kg, graphs),
        *_access(kg, graphs, base, dumps),
        *_subsets(kg, graphs),
        *_linksets(kg, graphs),
    ]
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def void_document(
    kg: KnowledgeGraph, base_url: str, fmt: Format, dumps: Sequence[DumpFile] = ()
) -> bytes:
    """Serialize :func:`dataset_description` in ``fmt`` (a triple format of formats.py)."""
    buffer = io.BytesIO()
    serialize(dataset_description(kg, base_url, dumps), buffer, fmt.rdf_format, prefixes=PREFIXES)
    return buffer.getvalue()


# -- building blocks -------------------------------------------------------------------

DATASET = NamedNode(DATASET_IRI)
A = NamedNode(RDF + "type")


def _iri(value: str) -> NamedNode:
    return NamedNode(value)


def _count(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def _texts(
    subject: NamedNode, predicate: str, texts: dict[str, str], languages: Sequence[str]
) -> Iterator[Triple]:
    for lang in languages:
        yield Triple(subject, _iri(predicate), Literal(texts[lang], language=lang))


def _select(kg: KnowledgeGraph, graphs: Sequence[str], sparql: str) -> list[QuerySolution]:
    """Run a SELECT over the published graphs only (merged default graph, and as named)."""
    result = kg.store.query(sparql, default_graph=graphs, named_graphs=graphs)
    assert isinstance(result, QuerySolutions)
    return list(result)


def _number(kg: KnowledgeGraph, graphs: Sequence[str], pattern: str) -> int:
    rows = _select(kg, graphs, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"].value)


# -- sections of the description ---------------------------------------------------------


def _identity(languages: Sequence[str]) -> Iterator[Triple]:
    yield Triple(DATASET, A, _iri(VOID + "Dataset"))
    yield Triple(DATASET, A, _iri(DCAT + "Dataset"))
    yield from _texts(DATASET, DCT + "title", TITLE, languages)
    yield from _texts(DATASET, DCT + "description", DESCRIPTION, languages)
    yield Triple(DATASET, _iri(DCT + "conformsTo"), _iri(ns.ONTOLOGY_IRI))
    for lang in languages:
        yield Triple(DATASET, _iri(DCT + "language"), Literal(lang))


def _publisher(
    kg: KnowledgeGraph, graphs: Sequence[str], languages: Sequence[str]
) -> Iterator[Triple]:
    """The project publishes; its name is the ontology's creator, read from the store."""
    rows = _select(
        kg, graphs, "SELECT DISTINCT ?name WHERE { ?o a owl:Ontology ; dcterms:creator ?name }"
    )
    # A fixed label keeps the output stable (a fresh blank node would change every build).
    publisher = BlankNode("publisher")
    for row in rows:
        yield Triple(DATASET, _iri(DCT + "publisher"), publisher)
        yield Triple(publisher, A, _iri(FOAF + "Organization"))
        yield Triple(publisher, _iri(FOAF + "name"), row["name"])
    yield from _texts(DATASET, RDFS + "comment", PUBLISHER_NOTE, languages)


def _rights(
    kg: KnowledgeGraph, graphs: Sequence[str], languages: Sequence[str]
) -> Iterator[Triple]:
    """The project's licence, and the rights and citations its sources require."""
    yield Triple(DATASET, _iri(DCT + "license"), _iri(CC_BY_4))
    yield from _texts(DATASET, DCT + "rights", PROJECT_RIGHTS, languages)
    rows = _select(
        kg,
        graphs,
        "SELECT DISTINCT ?p ?o WHERE { GRAPH ?g { ?g a dcat:Dataset ; ?p ?o } "
        "FILTER(?p IN (dcterms:rights, dcterms:bibliographicCitation)) }",
    )
    for row in rows:
        yield Triple(DATASET, row["p"], row["o"])


def _statistics(kg: KnowledgeGraph, graphs: Sequence[str]) -> Iterator[Triple]:
    total = sum(kg.store.count(g) for g in graphs)
    yield Triple(DATASET, _iri(VOID + "triples"), _count(total))
    counts = {
        "entities": "?x a ?c FILTER(isIRI(?x))",
        "distinctSubjects": "?x ?p ?o",
        "properties": "?s ?x ?o",
        "distinctObjects": "?s ?p ?x",
        "classes": "?s a ?x",
    }
    for name, pattern in counts.items():
        yield Triple(DATASET, _iri(VOID + name), _count(_number(kg, graphs, pattern)))


def _vocabularies(kg: KnowledgeGraph, graphs: Sequence[str]) -> Iterator[Triple]:
    """One ``void:vocabulary`` per namespace of a predicate or class used in the data."""
    rows = _select(
        kg, graphs, "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } FILTER(isIRI(?t)) }"
    )
    for namespace in sorted({_namespace(row["t"].value) for row in rows}):
        yield Triple(DATASET, _iri(VOID + "vocabulary"), _iri(namespace))


def _namespace(iri: str) -> str:
    """The namespace of a term: its IRI up to the last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _access(
    kg: KnowledgeGraph, graphs: Sequence[str], base: str, dumps: Sequence[DumpFile]
) -> Iterator[Triple]:
    """Landing page, SPARQL endpoint, example resources and the dump distributions."""
    endpoint = _iri(f"{base}/sparql")
    yield Triple(DATASET, _iri(DCAT + "landingPage"), _iri(f"{base}/"))
    yield Triple(DATASET, _iri(VOID + "sparqlEndpoint"), endpoint)
    yield Triple(endpoint, A, _iri(DCAT + "DataService"))
    yield Triple(endpoint, _iri(DCAT + "endpointURL"), endpoint)
    yield Triple(endpoint, _iri(DCAT + "servesDataset"), DATASET)
    for pattern in EXAMPLE_PATTERNS:
        rows = _select(kg, graphs, f"SELECT ?x WHERE {{ {pattern} }} ORDER BY ?x LIMIT 1")
        for row in rows:
            yield Triple(DATASET, _iri(VOID + "exampleResource"), row["x"])
    for dump in dumps:
        yield from _distribution(dump, base)


def _distribution(dump: DumpFile, base: str) -> Iterator[Triple]:
    url = _iri(dump.url(base))
    checksum = BlankNode(f"sha256-{dump.name.replace('.', '-')}")
    yield Triple(DATASET, _iri(VOID + "dataDump"), url)
    yield Triple(DATASET, _iri(DCAT + "distribution"), url)
    if dump.media_type in FORMAT_IRIS:
        yield Triple(DATASET, _iri(VOID + "feature"), _iri(FORMAT_IRIS[dump.media_type]))
    yield Triple(url, A, _iri(DCAT + "Distribution"))
    yield Triple(url, _iri(DCAT + "downloadURL"), url)
    yield Triple(url, _iri(DCAT + "mediaType"), _iri(IANA + dump.media_type))
    if dump.compressed:
        yield Triple(url, _iri(DCAT + "compressFormat"), _iri(IANA + "application/gzip"))
    size = Literal(str(dump.byte_size), datatype=_iri(XSD + "nonNegativeInteger"))
    yield Triple(url, _iri(DCAT + "byteSize"), size)
    yield Triple(url, _iri(SPDX + "checksum"), checksum)
    yield Triple(checksum, A, _iri(SPDX + "Checksum"))
    yield Triple(checksum, _iri(SPDX + "algorithm"), _iri(SPDX + "checksumAlgorithm_sha256"))
    value = Literal(dump.sha256, datatype=_iri(XSD + "hexBinary"))
    yield Triple(checksum, _iri(SPDX + "checksumValue"), value)


def _subsets(kg: KnowledgeGraph, graphs: Sequence[str]) -> Iterator[Triple]:
    """One subset per named graph, repeating what the graph says about itself."""
    for graph in graphs:
        subset = _iri(graph)
        yield Triple(DATASET, _iri(VOID + "subset"), subset)
        yield Triple(subset, A, _iri(VOID + "Dataset"))
        yield Triple(subset, _iri(VOID + "triples"), _count(kg.store.count(graph)))
    rows = _select(
        kg,
        graphs,
        "SELECT ?g ?p ?o WHERE { GRAPH ?g { ?g a dcat:Dataset ; ?p ?o } "
        f"FILTER(?p IN ({', '.join(f'<{p}>' for p in SELF_DESCRIPTION)})) }}",
    )
    for row in rows:
        yield Triple(row["g"], row["p"], row["o"])


def _linksets(kg: KnowledgeGraph, graphs: Sequence[str]) -> Iterator[Triple]:
    """A linkset per (target dataset, link predicate) with at least one link.

    The ontology graph is left out: its mentions of SDG terms are vocabulary, not links.
    """
    data = [g for g in graphs if g != ns.GRAPH_ONTOLOGY]
    for slug, target_iri, uri_space, title in LINK_TARGETS:
        rows = _select(kg, data, _links_query(target_iri, uri_space))
        if not rows:
            continue
        target = _iri(target_iri)
        yield Triple(target, A, _iri(VOID + "Dataset"))
        yield Triple(target, _iri(VOID + "uriSpace"), Literal(uri_space))
        yield Triple(target, _iri(DCT + "title"), Literal(title))
        yield from _linkset_rows(slug, target, rows)


def _links_query(target_iri: str, uri_space: str) -> str:
    """Links, per predicate, from resources outside the target dataset to resources in it."""
    return (
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
        f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{uri_space}") '
        f'&& !STRSTARTS(STR(?s), "{target_iri}") && ?p != rdf:type) }} GROUP BY ?p ORDER BY ?p'
    )


def _linkset_rows(slug: str, target: NamedNode, rows: Iterable[QuerySolution]) -> Iterator[Triple]:
    for row in rows:
        predicate = row["p"]
        assert isinstance(predicate, NamedNode)
        local = predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        linkset = _iri(f"{DATASET_IRI}#links-{slug}-{local}")
        yield Triple(DATASET, _iri(VOID + "subset"), linkset)
        yield Triple(linkset, A, _iri(VOID + "Linkset"))
        yield Triple(linkset, _iri(VOID + "subjectsTarget"), DATASET)
        yield Triple(linkset, _iri(VOID + "objectsTarget"), target)
        yield Triple(linkset, _iri(VOID + "linkPredicate"), predicate)
        yield Triple(linkset, _iri(VOID + "triples"), _count(int(row["n"].value)))
