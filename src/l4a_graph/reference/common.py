"""What the reference builders share: namespaces, the dataset record and small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from importlib.metadata import version
from typing import Final

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

from l4a_graph.namespaces import ID, L4A, PREFIXES, SDG, SDGO, reference_graph

L4A_NS: Final = Namespace(L4A)
SDG_NS: Final = Namespace(SDG)
SDGO_NS: Final = Namespace(SDGO)
ORG: Final = Namespace("http://www.w3.org/ns/org#")
GEO: Final = Namespace("http://www.opengis.net/ont/geosparql#")
WGS: Final = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

LANGUAGES: Final = ("en", "fr", "es")
"""UCLG's working languages: every label set aims at these three."""

COMMAND: Final = "`python -m l4a_graph.reference` (or `l4a reference`)"

GEONAMES_LICENSE: Final = URIRef("https://creativecommons.org/licenses/by/4.0/")
GEONAMES_SITE: Final = URIRef("https://www.geonames.org/")

WRITER_PREFIXES: Final[dict[str, str]] = {
    # ``lrg:`` of the query prefixes also maps id/org/, which would mislabel UCLG: leave it out.
    **{name: ns for name, ns in PREFIXES.items() if name != "lrg"},
    "region": ID + "region/",
    "section": ID + "section/",
    "sdgind": ID + "sdg-indicator/",
}


@dataclass
class ReferenceDataset:
    """One generated file: its triples and what its header says.

    Parameters
    ----------
    name
        File stem, also the last segment of its named graph (``sdg`` -> ``graph/reference/sdg``).
    title
        English title of the dataset node.
    sources
        Human-readable source lines for the file header.
    """

    name: str
    title: str
    sources: list[str]
    graph: Graph = field(default_factory=Graph)
    lead: list[URIRef] = field(default_factory=list)

    @property
    def node(self) -> URIRef:
        """The dataset node: the IRI of the named graph the file is loaded into."""
        return URIRef(reference_graph(self.name))

    def describe(
        self, *, source: list[URIRef], rights: list[str], license: URIRef | None = None
    ) -> None:
        """Add the dataset node (a ``dcat:Dataset``) with its title, sources and rights."""
        g, node = self.graph, self.node
        if license is not None:
            g.add((node, DCTERMS.license, license))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, Literal(self.title, lang="en")))
        for iri in source:
            g.add((node, DCTERMS.source, iri))
        for text in rights:
            g.add((node, DCTERMS.rights, Literal(text, lang="en")))
        self.lead.insert(0, node)

    def labels(self, subject: URIRef, names: dict[str, str], prop: URIRef = SKOS.prefLabel) -> None:
        """Add one label per language from ``{lang: text}``."""
        for lang, text in names.items():
            self.graph.add((subject, prop, Literal(text, lang=lang)))


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace into one space and strip the ends.

    Examples
    --------
    >>> normalize_space("  d’apprentissage    tout au long de la vie ")
    'd’apprentissage tout au long de la vie'
    """
    return " ".join(text.split())


def decimal_text(value: float | str) -> str:
    """Return a coordinate as a plain decimal string, never in exponent notation.

    ``repr`` of a float is the shortest text that reads back as the same float, so a
    gazetteer value such as ``43.26271`` keeps exactly the digits the gazetteer has.

    Examples
    --------
    >>> decimal_text(-2.92528), decimal_text(1e-05), decimal_text(-8.45)
    ('-2.92528', '0.00001', '-8.45')
    """
    return format(Decimal(repr(value) if isinstance(value, float) else value), "f")


def package_version(name: str) -> str:
    """The installed version of the distribution ``name``, for the file headers."""
    return version(name)


def geonames_iri(geoname_id: int | str) -> URIRef:
    """The GeoNames semantic web IRI of a feature, e.g. ``https://sws.geonames.org/3128026/``."""
    return URIRef(f"https://sws.geonames.org/{geoname_id}/")
