"""Every HUB with the facts that lists, the map and the JSON API filter and show.

Read with one small query per fact over all HUBs and cached per data generation, so the
home page, ``/map`` and ``/api/hubs`` cost no query once warm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from pyoxigraph import QueryTriples

from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.web.site.describe import Description, label_index
from l4a_graph.web.site.state import site

__all__ = ["FACTS", "HubRow", "hubs"]

FACTS: Final = {
    "leads": "?hub l4a:hasLead ?v",
    "territories": "?hub l4a:hasTerritory ?v",
    "countries": """
        { ?hub l4a:hasTerritory ?t . ?t l4a:country ?v }
        UNION { ?hub l4a:hasTerritory ?v . ?v a l4a:Country }
        UNION { ?hub l4a:hasLead/l4a:country ?v }""",
    "goals": """
        { ?hub l4a:addressesGoal|l4a:addresses ?v . ?v a sdgo:Goal }
        UNION { ?hub l4a:addressesTarget|l4a:addresses ?t . ?t a sdgo:Target ; skos:broader ?v }""",
    "targets": "?hub l4a:addressesTarget|l4a:addresses ?v . ?v a sdgo:Target",
    "axes": "?hub l4a:contributesToAxis ?v",
    "stages": "?hub l4a:lifecycleStage ?v",
    "sections": """
        ?hub l4a:hasLead|l4a:hasStakeholder|(l4a:hasParticipation/org:member) ?o .
        ?o l4a:memberOfSection ?v""",
    "sources": "?hub dcterms:source ?v",
    "start": "?hub l4a:startDate ?v",
    "end": "?hub l4a:endDate ?v",
}
"""Each fact as a pattern binding ``?hub`` (a HUB) and ``?v`` (a value)."""

_COORDINATES: Final = """
SELECT ?hub ?lat ?long WHERE {
  ?hub a l4a:Hub .
  { ?hub l4a:hasTerritory ?t BIND(0 AS ?rank) }
  UNION { ?hub l4a:hasLead/l4a:hasTerritory ?t BIND(1 AS ?rank) }
  ?t wgs:lat ?lat ; wgs:long ?long .
} ORDER BY ?hub ?rank"""

_DESCRIPTIONS: Final = """
CONSTRUCT { ?hub dcterms:description ?d } WHERE { ?hub a l4a:Hub ; dcterms:description ?d }"""


@dataclass
class HubRow:
    """One HUB: its IRI and, by fact name, the values (IRIs or lexical forms)."""

    iri: str
    facts: dict[str, list[str]] = field(default_factory=dict)
    coordinates: tuple[float, float] | None = None
    """(latitude, longitude) of its territory, else of its lead's territory."""

    def get(self, name: str) -> list[str]:
        """The values of fact ``name`` (empty when the data states none)."""
        return self.facts.get(name, [])


@dataclass(frozen=True)
class Catalogue:
    """All HUBs, sorted by IRI, and the labels of everything they point to."""

    rows: list[HubRow]
    labels: Description


def _read(kg: KnowledgeGraph) -> Catalogue:
    rows: dict[str, HubRow] = {
        row["hub"].value: HubRow(row["hub"].value)
        for row in kg.select("SELECT ?hub WHERE { ?hub a l4a:Hub }")
    }
    # The store may be written between these queries (the cache is rebuilt for the
    # next generation then): a HUB that was not there at first is left for that time.
    for name, pattern in FACTS.items():
        sparql = f"SELECT DISTINCT ?hub ?v WHERE {{ ?hub a l4a:Hub . {pattern} }}"
        for row in kg.select(sparql):
            if (known := rows.get(row["hub"].value)) is not None:
                known.facts.setdefault(name, []).append(row["v"].value)
    for row in kg.select(_COORDINATES):
        hub = rows.get(row["hub"].value)
        if hub is not None and hub.coordinates is None:
            hub.coordinates = (float(row["lat"].value), float(row["long"].value))
    for hub in rows.values():
        hub.facts = {name: sorted(set(values)) for name, values in hub.facts.items()}
    linked = {v for hub in rows.values() for values in hub.facts.values() for v in values}
    labels = label_index(kg, [*rows, *(v for v in linked if "://" in v)])
    texts = kg.query(_DESCRIPTIONS)
    assert isinstance(texts, QueryTriples)
    labels = Description("", [*labels.triples, *texts])
    return Catalogue(sorted(rows.values(), key=lambda h: h.iri), labels)


def hubs(kg: KnowledgeGraph) -> Catalogue:
    """Every HUB of ``kg`` (cached until the data changes)."""
    return site().cached(("catalogue",), lambda: _read(kg))
