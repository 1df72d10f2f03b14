"""Checks on the curated real HUBs (data/hubs) and the programme facts (data/program).

These files hold only what public sources state; the tests guard the places where it
would be easy to invent data: a lead for Venice, SDG goals or targets, coordinates,
untagged text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG

ROOT = Path(__file__).resolve().parents[1]
HUB_FILES = sorted((ROOT / "data" / "hubs").glob("*.ttl"))
PROGRAM_FILES = sorted((ROOT / "data" / "program").glob("*.ttl"))

L4A = Namespace("https://w3id.org/l4a/def#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
HUB = Namespace("https://w3id.org/l4a/id/hub/")
ROLE = Namespace("https://w3id.org/l4a/id/role/")
SDG = Namespace("http://metadata.un.org/sdg/")

EXPECTED_HUBS = {
    "bilbao-city-of-values",
    "xian-youth-education-dialogue",
    "esteban-echeverria-resilient-cities",
    "diba-womens-political-leadership",
    "valongo-participative-communities",
    "venice-city-solutions-2030",
}
LANGUAGES = {"en", "fr", "es"}


def _parse(files: list[Path]) -> Graph:
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


@pytest.fixture(scope="module")
def hubs() -> Graph:
    assert HUB_FILES, "no Turtle files in data/hubs"
    return _parse(HUB_FILES)


@pytest.fixture(scope="module")
def program() -> Graph:
    assert PROGRAM_FILES, "no Turtle files in data/program"
    return _parse(PROGRAM_FILES)


def _hub_iris(g: Graph) -> set[URIRef]:
    return set(g.subjects(RDF.type, L4A.Hub))


def test_exactly_six_hubs(hubs: Graph) -> None:
    assert _hub_iris(hubs) == {HUB[slug] for slug in EXPECTED_HUBS}


@pytest.mark.parametrize("path", HUB_FILES, ids=lambda p: p.name)
def test_one_hub_per_file_named_after_its_slug(path: Path) -> None:
    g = _parse([path])
    assert _hub_iris(g) == {HUB[path.stem]}


def test_every_hub_has_a_source_iri(hubs: Graph) -> None:
    for hub in _hub_iris(hubs):
        sources = list(hubs.objects(hub, DCTERMS.source))
        assert sources, f"{hub} has no dcterms:source"
        for s in sources:
            assert isinstance(s, URIRef) and str(s).startswith("https://"), (hub, s)


def test_every_hub_has_a_title_and_trilingual_description(hubs: Graph) -> None:
    for hub in _hub_iris(hubs):
        titles = {t.language for t in hubs.objects(hub, DCTERMS.title)}
        assert "en" in titles, f"{hub} has no English title"
        langs = {d.language for d in hubs.objects(hub, DCTERMS.description)}
        assert langs == LANGUAGES, f"{hub} descriptions in {langs}"


def test_venice_has_no_lead(hubs: Graph) -> None:
    venice = HUB["venice-city-solutions-2030"]
    assert (venice, L4A.hasLead, None) not in hubs
    # nor a lead given another way, through a participation with the lead role
    participations = set(hubs.objects(venice, L4A.hasParticipation))
    participations |= set(hubs.subjects(ORG.organization, venice))
    for p in participations:
        assert (p, ORG.role, ROLE.lead) not in hubs


def test_other_hubs_have_a_lead(hubs: Graph) -> None:
    for hub in _hub_iris(hubs) - {HUB["venice-city-solutions-2030"]}:
        leads = list(hubs.objects(hub, L4A.hasLead))
        assert len(leads) == 1, f"{hub} leads: {leads}"
        lead_types = set(hubs.objects(leads[0], RDF.type))
        assert lead_types & {L4A.LocalGovernment, L4A.RegionalGovernment}, (hub, lead_types)


def test_only_xian_addresses_goal_4(hubs: Graph) -> None:
    xian = HUB["xian-youth-education-dialogue"]
    assert (xian, L4A.addressesGoal, SDG["4"]) in hubs
    for prop in (L4A.addressesGoal, L4A.addresses):
        assert set(hubs.subjects(prop, SDG["4"])) <= {xian}


def test_sdg_goals_as_stated(hubs: Graph) -> None:
    def goals(slug: str) -> set[URIRef]:
        return set(hubs.objects(HUB[slug], L4A.addressesGoal))

    assert goals("xian-youth-education-dialogue") == {SDG[n] for n in ("4", "5", "8", "11", "17")}
    assert goals("venice-city-solutions-2030") == {SDG["17"]}
    for slug in EXPECTED_HUBS - {"xian-youth-education-dialogue", "venice-city-solutions-2030"}:
        assert goals(slug) == set(), slug


def test_no_hub_addresses_a_target(hubs: Graph) -> None:
    assert (None, L4A.addressesTarget, None) not in hubs


def test_no_coordinates_in_hub_files(hubs: Graph) -> None:
    for prop in (GEO.asWKT, GEO.hasGeometry, WGS.lat, WGS.long, WGS.lat_long):
        assert (None, prop, None) not in hubs, f"coordinates found: {prop}"


def test_partner_role_only_where_the_source_says_partner(hubs: Graph) -> None:
    partners = {
        (str(hub).rsplit("/", 1)[-1], str(member).rsplit("/", 1)[-1])
        for p in hubs.subjects(ORG.role, ROLE.partner)
        for hub in hubs.objects(p, ORG.organization)
        for member in hubs.objects(p, ORG.member)
    }
    assert partners == {
        ("esteban-echeverria-resilient-cities", "unlp-department-of-hydraulics"),
        ("diba-womens-political-leadership", "imadel"),
    }


def test_participations_are_consistent(hubs: Graph) -> None:
    for hub in _hub_iris(hubs):
        for p in hubs.objects(hub, L4A.hasParticipation):
            assert (p, RDF.type, L4A.Participation) in hubs
            assert (p, ORG.organization, hub) in hubs
            assert len(list(hubs.objects(p, ORG.member))) == 1
            assert str(p).startswith(f"{hub}/participation/")


def test_bilbao_and_xian_dates(hubs: Graph) -> None:
    bilbao = HUB["bilbao-city-of-values"]
    assert hubs.value(bilbao, L4A.startDate) == Literal("2021-06-28", datatype=XSD.date)
    assert hubs.value(bilbao, L4A.endDate) == Literal("2023-03", datatype=XSD.gYearMonth)
    xian = HUB["xian-youth-education-dialogue"]
    assert hubs.value(xian, L4A.startDate) == Literal("2021-08", datatype=XSD.gYearMonth)
    dated = set(hubs.subjects(L4A.startDate, None)) | set(hubs.subjects(L4A.endDate, None))
    assert dated == {bilbao, xian}


def test_second_call_has_no_deadline(program: Graph) -> None:
    calls = set(program.subjects(RDF.type, L4A.CallForProposals))
    assert len(calls) == 3
    second = URIRef("https://w3id.org/l4a/id/call/second-call")
    assert second in calls
    assert (second, L4A.deadline, None) not in program


@pytest.mark.parametrize("path", HUB_FILES + PROGRAM_FILES, ids=lambda p: p.name)
def test_every_text_literal_has_a_language_tag(path: Path) -> None:
    g = _parse([path])
    for s, p, o in g:
        if isinstance(o, Literal) and (o.datatype is None or o.datatype == XSD.string):
            assert o.language in LANGUAGES, f"{path.name}: {s} {p} {o!r}"
