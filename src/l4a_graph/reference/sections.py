"""``sections.ttl``: UCLG and its sections, used to group local and regional governments.

The list of sections is the one UCLG publishes (see ``shared/domain/FACTS.md``): seven
regional sections, the Metropolitan section (Metropolis) and the Forum of Regions. The
English names follow UCLG's usage ("UCLG Africa"); the French and Spanish names use
UCLG's own acronym in those languages (CGLU) with the region's usual name.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from l4a_graph.namespaces import ID
from l4a_graph.reference.common import L4A_NS, ORG, ReferenceDataset

UCLG: Final = URIRef(ID + "org/uclg")
SECTION: Final = ID + "section/"
UCLG_SITE: Final = URIRef("https://www.uclg.org/")


class Section(NamedTuple):
    """A UCLG section: slug and names in English, French and Spanish."""

    slug: str
    en: str
    fr: str
    es: str


SECTIONS: Final[tuple[Section, ...]] = (
    Section("africa", "UCLG Africa", "CGLU Afrique", "CGLU África"),
    Section("asia-pacific", "UCLG Asia-Pacific", "CGLU Asie-Pacifique", "CGLU Asia-Pacífico"),
    Section("eurasia", "UCLG Eurasia", "CGLU Eurasie", "CGLU Eurasia"),
    Section("europe", "UCLG Europe", "CGLU Europe", "CGLU Europa"),
    Section(
        "mewa",
        "UCLG Middle East and West Asia",
        "CGLU Moyen-Orient et Asie de l'Ouest",
        "CGLU Oriente Medio y Asia Occidental",
    ),
    Section("latin-america", "UCLG Latin America", "CGLU Amérique latine", "CGLU América Latina"),
    Section(
        "north-america", "UCLG North America", "CGLU Amérique du Nord", "CGLU América del Norte"
    ),
    Section("metropolis", "Metropolis", "Metropolis", "Metropolis"),
    Section(
        "forum-of-regions",
        "UCLG Forum of Regions",
        "Forum des Régions de CGLU",
        "Foro de Regiones de CGLU",
    ),
)

ALT_LABELS: Final[dict[str, Section]] = {
    # Metropolis is a proper name; say what it is in each language as well.
    "metropolis": Section(
        "metropolis",
        "UCLG Metropolitan section",
        "Section métropolitaine de CGLU",
        "Sección metropolitana de CGLU",
    ),
}

# The English name is written exactly as data/program/program.ttl writes it, so the union
# of the graphs keeps one English prefLabel for UCLG.
UCLG_NAMES: Final = Section(
    "uclg",
    "United Cities and Local Governments (UCLG)",
    "Cités et Gouvernements Locaux Unis (CGLU)",
    "Ciudades y Gobiernos Locales Unidos (CGLU)",
)
UCLG_ACRONYMS: Final = Section("uclg", "UCLG", "CGLU", "CGLU")


def section_iri(slug: str) -> URIRef:
    """IRI of a UCLG section, e.g. ``https://w3id.org/l4a/id/section/europe``."""
    return URIRef(SECTION + slug)


def _names(section: Section) -> dict[str, str]:
    return {"en": section.en, "fr": section.fr, "es": section.es}


def build_sections() -> ReferenceDataset:
    """Build UCLG (a formal organisation) and its sections (organisational units)."""
    dataset = ReferenceDataset(
        name="sections",
        title="United Cities and Local Governments and its sections",
        sources=[
            "UCLG's public description of its structure: seven regional sections, the "
            "Metropolitan section (Metropolis) and the Forum of Regions (shared/domain/FACTS.md)",
        ],
    )
    dataset.describe(
        source=[UCLG_SITE],
        rights=[
            "Names of UCLG and its sections as UCLG uses them in public; the French and "
            "Spanish names of the sections are l4a-graph's renderings."
        ],
    )
    g = dataset.graph
    g.add((UCLG, RDF.type, ORG.FormalOrganization))
    dataset.labels(UCLG, _names(UCLG_NAMES))
    dataset.labels(UCLG, _names(UCLG_ACRONYMS), SKOS.altLabel)
    g.add((UCLG, DCTERMS.source, UCLG_SITE))
    dataset.lead.append(UCLG)
    for section in SECTIONS:
        iri = section_iri(section.slug)
        g.add((iri, RDF.type, L4A_NS.UCLGSection))
        g.add((iri, ORG.unitOf, UCLG))
        g.add((iri, DCTERMS.source, UCLG_SITE))
        dataset.labels(iri, _names(section))
        if section.slug in ALT_LABELS:
            dataset.labels(iri, _names(ALT_LABELS[section.slug]), SKOS.altLabel)
    return dataset
