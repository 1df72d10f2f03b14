"""The SPARQL 1.1 Service Description of the endpoint, as RDF triples.

It names the endpoint, the languages and result formats, the dataset (named graphs
with their sizes, the union default graph), the limits a client meets, and links to
the VoID description at ``/.well-known/void``. The limits use a small vocabulary of
our own (``l4as:``), since SD has no terms for them.
"""

from __future__ import annotations

from typing import Final

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from l4a_graph.namespaces import BASE, PREFIXES
from l4a_graph.web.negotiation import ALL_FORMATS
from l4a_graph.web.service import Counts
from l4a_graph.web.settings import Settings

__all__ = ["L4AS", "SD_PREFIXES", "describe"]

SD: Final = "http://www.w3.org/ns/sparql-service-description#"
FORMATS: Final = "http://www.w3.org/ns/formats/"
VOID: Final = "http://rdfs.org/ns/void#"
RDF_TYPE: Final = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_SEE_ALSO: Final = NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
L4AS: Final = BASE + "service#"
"""Terms for the endpoint's limits: timeLimit, resultRowLimit, requestBodyLimit, ..."""

SD_PREFIXES: Final = {
    "sd": SD,
    "formats": FORMATS,
    "void": VOID,
    "rdfs": PREFIXES["rdfs"],
    "xsd": XSD,
    "l4as": L4AS,
}
_FORMAT_IRIS: Final = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON-LD",
}
_INPUT_FORMATS: Final = ("turtle", "ntriples", "rdfxml", "jsonld")


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def _number(value: float, datatype: str) -> Literal:
    text = f"{value:g}" if datatype == "decimal" else str(value)
    return Literal(text, datatype=NamedNode(XSD + datatype))


def describe(base_url: str, counts: Counts, settings: Settings, *, writable: bool) -> list[Triple]:
    """The service description of the endpoint at ``base_url`` (ending in ``/``).

    Parameters
    ----------
    base_url
        The server's root URL as the client reached it.
    counts
        What the store holds now (graphs and sizes).
    settings
        The limits to announce.
    writable
        Whether updates are accepted (then SPARQL 1.1 Update and input formats are listed).
    """
    service = NamedNode(base_url + "sparql")
    dataset = BlankNode()
    default_graph = BlankNode()
    triples = [
        Triple(service, RDF_TYPE, _sd("Service")),
        Triple(service, _sd("endpoint"), service),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        Triple(
            service,
            _sd("defaultEntailmentRegime"),
            NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, _sd("Dataset")),
        Triple(dataset, RDFS_SEE_ALSO, NamedNode(base_url + ".well-known/void")),
        Triple(dataset, _sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, _sd("Graph")),
        Triple(default_graph, NamedNode(VOID + "triples"), _number(counts.triples, "integer")),
    ]
    triples += [
        Triple(service, _sd("resultFormat"), NamedNode(FORMATS + _FORMAT_IRIS[f.name]))
        for f in ALL_FORMATS
    ]
    for name, size in sorted(counts.graphs.items()):
        named, graph = BlankNode(), BlankNode()
        triples += [
            Triple(dataset, _sd("namedGraph"), named),
            Triple(named, RDF_TYPE, _sd("NamedGraph")),
            Triple(named, _sd("name"), NamedNode(name)),
            Triple(named, _sd("graph"), graph),
            Triple(graph, RDF_TYPE, _sd("Graph")),
            Triple(graph, NamedNode(VOID + "triples"), _number(size, "integer")),
        ]
    if settings.allowed_endpoints:
        triples.append(Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
        triples += [
            Triple(service, NamedNode(L4AS + "allowedEndpoint"), NamedNode(iri))
            for iri in settings.allowed_endpoints
        ]
    if writable:
        triples.append(Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
        triples += [
            Triple(service, _sd("inputFormat"), NamedNode(FORMATS + _FORMAT_IRIS[name]))
            for name in _INPUT_FORMATS
        ]
    limits = {
        "timeLimit": _number(settings.query_timeout, "decimal"),
        "resultRowLimit": _number(settings.max_rows, "integer"),
        "requestBodyLimit": _number(settings.max_body_bytes, "integer"),
        "queryLengthLimit": _number(settings.max_query_chars, "integer"),
    }
    if writable and settings.max_update_solutions:
        limits["updateSolutionLimit"] = _number(settings.max_update_solutions, "integer")
    if settings.rate_limit:
        limits["rateLimit"] = Literal(settings.rate_limit)
    triples += [Triple(service, NamedNode(L4AS + k), v) for k, v in limits.items()]
    return triples
