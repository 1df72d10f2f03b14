"""IRIs of the project: the persistent base, the vocabulary and the named graphs.

See ``docs/design.md`` for the full IRI scheme.
"""

from __future__ import annotations

from typing import Final

BASE: Final = "https://w3id.org/l4a/"
ONTOLOGY_IRI: Final = BASE + "def"
L4A: Final = ONTOLOGY_IRI + "#"
ID: Final = BASE + "id/"
GRAPH: Final = BASE + "graph/"
SYNTHETIC: Final = BASE + "synthetic/"

SDG: Final = "http://metadata.un.org/sdg/"
SDGO: Final = "http://metadata.un.org/sdg/ontology#"

GRAPH_ONTOLOGY: Final = GRAPH + "ontology"
GRAPH_PROGRAM: Final = GRAPH + "program"
GRAPH_PROVENANCE: Final = GRAPH + "provenance"
GRAPH_INFERRED: Final = GRAPH + "inferred"
GRAPH_SYNTHETIC: Final = GRAPH + "synthetic"
GRAPH_STAGING: Final = GRAPH + "staging/"
"""Prefix of the temporary graphs a load writes before it swaps them in atomically."""

GRAPH_RESTRICTED: Final = GRAPH + "restricted/"
"""Prefix of the graphs of contact details of people: token holders only."""
GRAPH_ARCHIVE: Final = GRAPH + "archive/"
"""Prefix of the superseded submission versions, kept out of the public dataset."""
GRAPH_WORKSPACE: Final = GRAPH + "workspace/"
"""Prefix of the Secretariat workspace: drafts, pending applications, reviews."""
GRAPH_JOURNAL: Final = GRAPH + "journal"
"""Operations begun and not yet finished, so an interrupted one is repaired on open."""
PRIVATE_GRAPH_PREFIXES: Final = (GRAPH_RESTRICTED, GRAPH_ARCHIVE, GRAPH_WORKSPACE, GRAPH_JOURNAL)
"""Graphs under these IRIs live in the private store, never in the public one."""


def is_private_graph(iri: str) -> bool:
    """Whether the named graph ``iri`` belongs in the private store.

    Examples
    --------
    >>> is_private_graph(GRAPH_RESTRICTED + "contacts/venice")
    True
    >>> is_private_graph(GRAPH_PROVENANCE)
    False
    """
    return iri.startswith(PRIVATE_GRAPH_PREFIXES)


def restricted_graph(slug: str, version: int) -> str:
    """Return the graph of the contact details of version ``version`` of HUB ``slug``."""
    return f"{GRAPH_RESTRICTED}submission/{slug}/v{version}"


def archive_graph(slug: str, version: int) -> str:
    """Return the graph where superseded version ``version`` of HUB ``slug`` is kept."""
    return f"{GRAPH_ARCHIVE}submission/{slug}/v{version}"


def reference_graph(name: str) -> str:
    """Return the named graph of the reference dataset ``name`` (e.g. ``sdg``)."""
    return f"{GRAPH}reference/{name}"


def hub_graph(slug: str) -> str:
    """Return the named graph of the curated HUB file ``slug``."""
    return f"{GRAPH}hub/{slug}"


def file_graph(stem: str) -> str:
    """Return the named graph for a user file loaded without ``--graph``."""
    return f"{GRAPH}file/{stem}"


PREFIXES: Final[dict[str, str]] = {
    "l4a": L4A,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "wgs": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
    "sdg": SDG,
    "sdgo": SDGO,
    "hub": ID + "hub/",
    "lorg": ID + "org/",
    "section": ID + "section/",
    "region": ID + "region/",
    "country": ID + "country/",
    "place": ID + "place/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
"""Prefixes known to every query; users may write ``l4a:Hub`` without declaring it."""
