"""A small deterministic generator of HUB-like graphs, for the reasoner's tests.

The graphs follow ``docs/design.md`` (HUBs, stakeholders, participations, deliverables,
territories with ``l4a:partOf``, SDG targets with ``skos:broader`` their goal) under the
synthetic base ``https://w3id.org/l4a/synthetic/``, so they never mix with real data.
They exercise every kind of axiom the ontology has: class and property hierarchies,
inverses, a symmetric and a transitive property, property chains, domains and ranges.
Small and self-contained (with its own SDG goals, targets and territories), unlike the
full generator of ``l4a generate`` (:mod:`l4a_graph.synthetic`), which the benchmark uses.

Examples
--------
>>> text = hub_graph(hubs=2, seed=1)
>>> text == hub_graph(hubs=2, seed=1)
True
>>> "<https://w3id.org/l4a/def#addressesTarget>" in text
True
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from l4a_graph import namespaces as ns

SYN = ns.SYNTHETIC
L4A = ns.L4A
ORG = ns.PREFIXES["org"]
SKOS = ns.PREFIXES["skos"]
DCTERMS = ns.PREFIXES["dcterms"]
XSD = ns.PREFIXES["xsd"]
RDF_TYPE = ns.PREFIXES["rdf"] + "type"

STAKEHOLDER_CLASSES = (
    "LocalGovernment",
    "RegionalGovernment",
    "LRGAssociation",
    "UniversityOrResearchCentre",
    "CivilSocietyOrganisation",
    "PrivateSectorOrganisation",
    "InternationalOrganisation",
    "Network",
)
LEAD_CLASSES = ("LocalGovernment", "RegionalGovernment", "LRGAssociation")


def hub_graph(hubs: int, seed: int = 0, *, reference: bool = True) -> str:
    """N-Triples text of ``hubs`` synthetic HUBs, the same for the same arguments.

    Parameters
    ----------
    hubs
        Number of HUBs; stakeholders, territories and deliverables scale with it.
    seed
        Seed of the pseudo-random choices.
    reference
        Include a small SDG scheme (goals, targets with ``skos:broader``) and the
        territory hierarchy, so that the graph stands alone.
    """
    return "".join(_lines(hubs, random.Random(seed), reference=reference))


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(text: str, datatype: str | None = None, language: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if language:
        return f'"{escaped}"@{language}'
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


def _t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def _lines(hubs: int, rng: random.Random, *, reference: bool) -> Iterator[str]:
    a = _iri(RDF_TYPE)
    goals = [f"{ns.SDG}{g}" for g in range(1, 18)]
    targets = [(f"{ns.SDG}{g}.{t}", f"{ns.SDG}{g}") for g in range(1, 18) for t in range(1, 6)]
    if reference:
        for goal in goals:
            yield _t(_iri(goal), a, _iri(ns.SDGO + "Goal"))
        for target, goal in targets:
            yield _t(_iri(target), a, _iri(ns.SDGO + "Target"))
            yield _t(_iri(target), _iri(SKOS + "broader"), _iri(goal))
    territory_lines, cities = _territories(rng, hubs, reference=reference)
    yield from territory_lines
    org_lines, orgs = _stakeholders(rng, hubs * 2 + 4, cities)
    yield from org_lines
    leads = [o for o, cls in orgs if cls in LEAD_CLASSES]
    for index in range(hubs):
        yield from _hub(rng, index, hubs, orgs, leads, cities, targets, goals)


def _territories(rng: random.Random, hubs: int, *, reference: bool) -> tuple[list[str], list[str]]:
    """The triples of the hierarchy city, region, country, world region; the city IRIs."""
    a, part_of = _iri(RDF_TYPE), _iri(L4A + "partOf")
    out: list[str] = []
    cities: list[str] = []
    countries = max(2, hubs // 20)
    for c in range(countries):
        country = f"{SYN}country/{c}"
        world = f"{SYN}region/{c % 5}"
        if reference:
            out.append(_t(_iri(country), a, _iri(L4A + "Country")))
            out.append(_t(_iri(country), part_of, _iri(world)))
            out.append(_t(_iri(world), a, _iri(L4A + "WorldRegion")))
        for r in range(3):
            region = f"{country}/region/{r}"
            if reference:
                out.append(_t(_iri(region), a, _iri(L4A + "Region")))
                out.append(_t(_iri(region), part_of, _iri(country)))
            for k in range(rng.randint(1, 4)):
                city = f"{region}/city/{k}"
                if reference:
                    out.append(_t(_iri(city), a, _iri(L4A + "City")))
                    out.append(_t(_iri(city), part_of, _iri(region)))
                cities.append(city)
    return out, cities


def _stakeholders(
    rng: random.Random, count: int, cities: list[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The triples of ``count`` organisations; their (IRI, class name) pairs."""
    a = _iri(RDF_TYPE)
    out: list[str] = []
    orgs: list[tuple[str, str]] = []
    for index in range(count):
        cls = STAKEHOLDER_CLASSES[index % len(STAKEHOLDER_CLASSES)]
        org = f"{SYN}org/{index}"
        out.append(_t(_iri(org), a, _iri(L4A + cls)))
        out.append(
            _t(_iri(org), _iri(SKOS + "prefLabel"), _lit(f"Organisation {index}", None, "en"))
        )
        if cls in LEAD_CLASSES:
            city = rng.choice(cities)
            out.append(_t(_iri(org), _iri(L4A + "hasTerritory"), _iri(city)))
            out.append(_t(_iri(org), _iri(L4A + "country"), _iri(city.split("/region/")[0])))
            out.append(
                _t(_iri(org), _iri(L4A + "memberOfSection"), _iri(f"{SYN}section/{index % 7}"))
            )
        orgs.append((org, cls))
    return out, orgs


def _hub(
    rng: random.Random,
    index: int,
    hubs: int,
    orgs: list[tuple[str, str]],
    leads: list[str],
    cities: list[str],
    targets: list[tuple[str, str]],
    goals: list[str],
) -> Iterator[str]:
    a = _iri(RDF_TYPE)
    hub = f"{SYN}hub/{index}"
    h = _iri(hub)
    lead = rng.choice(leads)
    yield _t(h, a, _iri(L4A + "Hub"))
    yield _t(h, _iri(DCTERMS + "title"), _lit(f"HUB {index}", None, "en"))
    yield _t(h, _iri(DCTERMS + "description"), _lit(f"Synthetic HUB number {index}.", None, "en"))
    yield _t(h, _iri(L4A + "hasLead"), _iri(lead))
    yield _t(h, _iri(L4A + "hasTerritory"), _iri(rng.choice(cities)))
    year, month = 2020 + rng.randint(0, 5), rng.randint(1, 12)
    yield _t(h, _iri(L4A + "startDate"), _lit(f"{year}-{month:02d}-01", XSD + "date"))
    for target, _goal in rng.sample(targets, rng.randint(1, 4)):
        yield _t(h, _iri(L4A + "addressesTarget"), _iri(target))
    for goal in rng.sample(goals, rng.randint(0, 2)):
        yield _t(h, _iri(L4A + "addressesGoal"), _iri(goal))
    axis = rng.choice(("people", "planet", "government"))
    yield _t(h, _iri(L4A + "contributesToAxis"), _iri(f"{ns.ID}pact-axis/{axis}"))
    stage = rng.choice(("definition", "connection", "implementation", "monitoring"))
    yield _t(h, _iri(L4A + "lifecycleStage"), _iri(f"{ns.ID}lifecycle-stage/{stage}"))
    yield _t(h, _iri(L4A + "respondsToCall"), _iri(f"{SYN}call/{index % 3}"))
    yield _t(h, _iri(L4A + "offersExpertise"), _iri(f"{SYN}topic/{rng.randint(0, 9)}"))
    yield _t(h, _iri(L4A + "seeksExpertise"), _iri(f"{SYN}topic/{rng.randint(0, 9)}"))
    if hubs > 1 and rng.random() < 0.5:
        other = rng.randrange(hubs - 1)
        other += other >= index
        yield _t(h, _iri(L4A + "exchangesWith"), _iri(f"{SYN}hub/{other}"))
    members = [lead, *(o for o, _ in rng.sample(orgs, rng.randint(1, 4)) if o != lead)]
    for member in members:
        yield from _participation(hub, member, "lead" if member == lead else "partner")
    for d in range(rng.randint(1, 3)):
        yield from _deliverable(rng, hub, d)


def _participation(hub: str, member: str, role: str) -> Iterator[str]:
    p = _iri(f"{hub}/participation/{member.rsplit('/', 1)[1]}")
    yield _t(_iri(hub), _iri(L4A + "hasParticipation"), p)
    yield _t(p, _iri(RDF_TYPE), _iri(L4A + "Participation"))
    yield _t(p, _iri(ORG + "member"), _iri(member))
    yield _t(p, _iri(ORG + "role"), _iri(f"{ns.ID}role/{role}"))


def _deliverable(rng: random.Random, hub: str, index: int) -> Iterator[str]:
    d = _iri(f"{hub}/deliverable/{index}")
    yield _t(_iri(hub), _iri(L4A + "hasDeliverable"), d)
    yield _t(d, _iri(DCTERMS + "title"), _lit(f"Deliverable {index}", None, "en"))
    yield _t(d, _iri(L4A + "dueDate"), _lit(f"{2022 + rng.randint(0, 4)}-06-30", XSD + "date"))
    status = rng.choice(("planned", "in-progress", "delayed", "completed"))
    yield _t(d, _iri(L4A + "monitoringStatus"), _iri(f"{ns.ID}monitoring-status/{status}"))
