"""The query library: each question on a hand-built fixture with answers worked out by hand,
then on the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode

from l4a_graph import KnowledgeGraph
from l4a_graph.cli import cli
from l4a_graph.errors import InputError, NotFoundError
from l4a_graph.formats import by_name
from l4a_graph.queries import LANGUAGES, get_query, load_library

FIXTURE = Path(__file__).parent / "fixtures" / "queries.ttl"
EX = "http://example.org/"
SDG = "http://metadata.un.org/sdg/"
ID = "https://w3id.org/l4a/id/"


@pytest.fixture(scope="module")
def fixture_kg() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.load_files([FIXTURE])
    return kg


def value(term: object) -> str | None:
    if term is None:
        return None
    assert isinstance(term, NamedNode | Literal | BlankNode)
    return term.value


def run(kg: KnowledgeGraph, name: str, **params: str) -> list[tuple[str | None, ...]]:
    query = get_query(name)
    solutions = kg.select(query.text, query.bindings(params))
    columns = list(query.columns)
    return [tuple(value(s[c]) for c in columns) for s in solutions]


def test_every_query_has_a_trilingual_header() -> None:
    library = load_library()
    assert len(library) >= 12
    for query in library.values():
        for lang in LANGUAGES:
            assert query.title[lang] and query.description[lang]
        assert query.columns, f"{query.name} lists no columns"
        for column, labels in query.columns.items():
            assert set(labels) == set(LANGUAGES), f"{query.name}: column {column}"
        for parameter in query.parameters:
            assert set(parameter.description) == set(LANGUAGES), f"{query.name}: {parameter.name}"


def test_hubs_by_goal_entails_the_goal_from_targets(fixture_kg: KnowledgeGraph) -> None:
    # a: targets 4.1 4.2 11.1; b: targets 4.1 4.2 and goal 11 stated; c: target 4.1 (title es only).
    assert run(fixture_kg, "hubs-by-goal") == [
        (SDG + "4", "4", EX + "a", "Water for all", "target"),
        (SDG + "4", "4", EX + "b", "Schools first", "target"),
        (SDG + "4", "4", EX + "c", "Ciudades resilientes", "target"),
        (SDG + "11", "11", EX + "a", "Water for all", "target"),
        (SDG + "11", "11", EX + "b", "Schools first", "goal"),
    ]


def test_hubs_by_goal_in_french_falls_back(fixture_kg: KnowledgeGraph) -> None:
    rows = run(fixture_kg, "hubs-by-goal", goal="sdg:4", lang="fr")
    assert [r[3] for r in rows] == ["De l'eau pour tous", "Schools first", "Ciudades resilientes"]


def test_hubs_by_target(fixture_kg: KnowledgeGraph) -> None:
    assert run(fixture_kg, "hubs-by-target", target="sdg:4.2") == [
        (SDG + "4.2", "4.2", SDG + "4", EX + "a"),
        (SDG + "4.2", "4.2", SDG + "4", EX + "b"),
    ]


def test_hubs_by_pact_axis(fixture_kg: KnowledgeGraph) -> None:
    rows = run(fixture_kg, "hubs-by-pact-axis")
    assert [(r[0], r[1], set((r[2] or "").split())) for r in rows] == [
        (ID + "pact-axis/people", EX + "a", {"4", "11"}),
        (ID + "pact-axis/planet", EX + "b", {"4", "11"}),
    ]


def test_section_coverage(fixture_kg: KnowledgeGraph) -> None:
    """a (Europe): targets of goals 4 and 11, People; b (Africa): goal 4 from its targets,
    11 named, Planet; c (Europe): goal 4 from its target, no axis."""
    europe, africa, axis = ID + "section/europe", ID + "section/africa", ID + "pact-axis/"
    assert run(fixture_kg, "section-coverage") == [
        (africa, axis + "planet", "axis", EX + "b"),
        (africa, SDG + "11", "goal", EX + "b"),
        (africa, SDG + "4", "goal", EX + "b"),
        (europe, axis + "people", "axis", EX + "a"),
        (europe, SDG + "11", "goal", EX + "a"),
        (europe, SDG + "4", "goal", EX + "a"),
        (europe, SDG + "4", "goal", EX + "c"),
    ]
    assert run(fixture_kg, "section-coverage", section=europe, agenda="sdg:4") == [
        (europe, SDG + "4", "goal", EX + "a"),
        (europe, SDG + "4", "goal", EX + "c"),
    ]


def test_lead_lrgs_by_country_and_section(fixture_kg: KnowledgeGraph) -> None:
    assert run(fixture_kg, "lead-lrgs") == [
        (ID + "country/ES", ID + "section/europe", EX + "lrgA", "Town A", "1"),
        (ID + "country/ES", ID + "section/europe", EX + "lrgC", "Region C", "1"),
        (ID + "country/MA", ID + "section/africa", EX + "lrgB", "Town B", "1"),
    ]
    assert [r[2] for r in run(fixture_kg, "lead-lrgs", country="country:ES")] == [
        EX + "lrgA",
        EX + "lrgC",
    ]
    assert [r[2] for r in run(fixture_kg, "lead-lrgs", section=ID + "section/africa")] == [
        EX + "lrgB"
    ]


def test_connectors(fixture_kg: KnowledgeGraph) -> None:
    rows = run(fixture_kg, "connectors")
    assert [(r[0], r[1], set((r[2] or "").split(" | "))) for r in rows] == [
        (EX + "s1", "2", {EX + "a (partner)", EX + "b (supporter)"}),
        (EX + "s2", "2", {EX + "a (supporter)", EX + "c (partner)"}),
    ]
    assert run(fixture_kg, "connectors", min="3") == []


def test_hubs_by_stage(fixture_kg: KnowledgeGraph) -> None:
    # Unbound sorts first in SPARQL: c has no stage.
    assert run(fixture_kg, "hubs-by-stage") == [
        (None, None, EX + "c"),
        (ID + "lifecycle-stage/implementation", "4", EX + "a"),
        (ID + "lifecycle-stage/monitoring", "5", EX + "b"),
    ]
    assert run(fixture_kg, "hubs-by-stage", stage=ID + "lifecycle-stage/monitoring") == [
        (ID + "lifecycle-stage/monitoring", "5", EX + "b")
    ]


@pytest.mark.parametrize(
    ("months", "expected"),
    [("6", [(EX + "a", "2024-06-30")]), ("5", [])],  # a ends 2024-06-30; b ended 2023-02
)
def test_hubs_ending_soon(
    fixture_kg: KnowledgeGraph, months: str, expected: list[tuple[str, str]]
) -> None:
    assert run(fixture_kg, "hubs-ending-soon", months=months, asOf="2024-01-01") == expected


@pytest.mark.parametrize(
    ("as_of", "days", "expected"),
    [
        ("2024-01-01", "30", [("d1", "due soon")]),
        ("2024-01-01", "40", [("d1", "due soon"), ("d3", "due soon")]),
        ("2024-01-15", "30", [("d1", "overdue"), ("d3", "due soon")]),  # d2 is completed
    ],
)
def test_deliverables_due(
    fixture_kg: KnowledgeGraph, as_of: str, days: str, expected: list[tuple[str, str]]
) -> None:
    rows = run(fixture_kg, "deliverables-due", asOf=as_of, days=days)
    assert [((r[1] or "").removeprefix(EX), r[5]) for r in rows] == expected


@pytest.mark.parametrize(
    ("region", "goal", "expected"),
    [("EU", None, ["11.2"]), ("AF", None, ["11.1", "11.2"]), ("AF", "sdg:4", [])],
)
def test_coverage_gaps(
    fixture_kg: KnowledgeGraph, region: str, goal: str | None, expected: list[str]
) -> None:
    params = {"region": ID + "region/" + region} | ({"goal": goal} if goal else {})
    assert [r[1] for r in run(fixture_kg, "coverage-gaps", **params)] == expected


def test_coverage_gaps_needs_a_region() -> None:
    with pytest.raises(InputError, match="needs --param region"):
        get_query("coverage-gaps").bindings({})


def test_shared_target_pairs(fixture_kg: KnowledgeGraph) -> None:
    # a (Europe) has 4.1 4.2 11.1, b (Africa) 4.1 4.2, c (Europe) 4.1: only a-b share two;
    # b comes first, its region's IRI (.../AF) coming before a's (.../EU).
    rows = run(fixture_kg, "shared-target-pairs")
    assert [(r[0], r[1], r[2], r[3], r[4], set((r[5] or "").split())) for r in rows] == [
        (EX + "b", ID + "region/AF", EX + "a", ID + "region/EU", "2", {"4.1", "4.2"})
    ]
    assert run(fixture_kg, "shared-target-pairs", min="3") == []


def test_shared_target_pairs_needs_two_targets_or_more() -> None:
    # One shared target pairs nearly every HUB with every other: hubs-by-target answers it.
    with pytest.raises(InputError, match="min must be 2 or more, not 1"):
        get_query("shared-target-pairs").bindings({"min": "1"})


NOTATIONS: dict[int, tuple[str, ...]] = {
    t: {5: ("5.a", "0.5"), 4: (), 3: ("2.1",)}.get(t, (f"{t}.1",)) for t in range(6)
}
"""The notations of the targets of the random graphs: target 5 has two (the smallest
names it), 3 has the notation of 2 (both count), 4 has none (not counted: the question
lists the targets' codes)."""


def _region(region: int) -> str:
    return f"{ID}region/R{region}"


def _pairs_graph(hubs: list[tuple[frozenset[int], frozenset[int]]]) -> str:
    """Turtle for HUBs given as (target numbers, region numbers of their leads)."""
    lines = [
        "@prefix l4a: <https://w3id.org/l4a/def#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
    ]
    for t, codes in NOTATIONS.items():
        lines.extend(f'<{SDG}t{t}> skos:notation "{code}" .' for code in codes)
    for r in range(3):
        lines.append(f"<{_region(r)}> a l4a:WorldRegion .")
        lines.append(f"<{ID}country/C{r}> l4a:partOf <{_region(r)}> .")
    for h, (targets, regions) in enumerate(hubs):
        lines.append(f"<{EX}hub{h}> a l4a:Hub .")
        for t in targets:
            lines.append(f"<{EX}hub{h}> l4a:addressesTarget <{SDG}t{t}> .")
        for lead, r in enumerate(sorted(regions)):
            lines.append(f"<{EX}hub{h}> l4a:hasLead <{EX}lead{h}-{lead}> .")
            lines.append(f"<{EX}lead{h}-{lead}> l4a:country <{ID}country/C{r}> .")
    return "\n".join(lines)


def _expected_pairs(
    hubs: list[tuple[frozenset[int], frozenset[int]]], minimum: int
) -> list[tuple[str, str, str, str, int, frozenset[str]]]:
    """The answer worked out directly from the definition, pair by pair.

    A pair of HUBs gives a row for each two different regions of their leads, the HUB of
    the region whose IRI comes first first.
    """
    named = {t: min(codes, default=None) for t, codes in NOTATIONS.items()}
    answer = []
    for i, (targets_i, regions_i) in enumerate(hubs):
        for j, (targets_j, regions_j) in enumerate(hubs):
            shared = {t for t in targets_i & targets_j if named[t]}
            if i == j or len(shared) < minimum:
                continue
            codes = frozenset(str(named[t]) for t in shared)
            for r_i in regions_i:
                for r_j in regions_j:
                    if _region(r_i) < _region(r_j):
                        row = (f"{EX}hub{i}", _region(r_i), f"{EX}hub{j}", _region(r_j))
                        answer.append((*row, len(shared), codes))
    return sorted(answer)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hubs=st.lists(
        st.tuples(
            st.frozensets(st.integers(0, 5), max_size=6),
            st.frozensets(st.integers(0, 2), max_size=2),
        ),
        max_size=7,
    ),
    minimum=st.integers(2, 4),
)
def test_shared_target_pairs_match_their_definition(
    hubs: list[tuple[frozenset[int], frozenset[int]]], minimum: int
) -> None:
    kg = KnowledgeGraph()
    kg.store.load(_pairs_graph(hubs).encode(), by_name("ttl"), graph=EX + "g")
    rows = run(kg, "shared-target-pairs", min=str(minimum))
    found = sorted(
        (r[0], r[1], r[2], r[3], int(r[4] or 0), frozenset((r[5] or "").split())) for r in rows
    )
    assert found == _expected_pairs(hubs, minimum)
    assert [int(r[4] or 0) for r in rows] == sorted((int(r[4] or 0) for r in rows), reverse=True)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("water", "en", [(EX + "a", "Water for all", "0")]),
        (
            "agua",
            "es",
            [(EX + "a", "Agua para todos", "0"), (EX + "c", "Ciudades resilientes", "0")],
        ),
        ("AGUA", "en", [(EX + "a", "Water for all", "1"), (EX + "c", "Ciudades resilientes", "1")]),
    ],
)
def test_search_with_language_fallback(
    fixture_kg: KnowledgeGraph, text: str, lang: str, expected: list[tuple[str, str, str]]
) -> None:
    assert [r[:3] for r in run(fixture_kg, "search", text=text, lang=lang)] == expected


def test_search_value_cannot_change_the_query(fixture_kg: KnowledgeGraph) -> None:
    assert run(fixture_kg, "search", text='") || true || ("') == []


def test_hub_provenance(fixture_kg: KnowledgeGraph) -> None:
    assert run(fixture_kg, "hub-provenance", hub=EX + "a") == [
        (EX + "a-v2", "2", EX + "bob", "2024-02-01T00:00:00Z", "a2.ttl", "bb", "true"),
        (EX + "a-v1", "1", EX + "alice", "2024-01-01T00:00:00Z", "a.ttl", "aa", "false"),
        (EX + "source/a", None, None, None, None, None, None),
    ]


def test_processes_by_axis(fixture_kg: KnowledgeGraph) -> None:
    l4a = "https://w3id.org/l4a/def#"
    assert run(fixture_kg, "processes-by-axis") == [
        (ID + "pact-axis/people", EX + "ev1", l4a + "Event", EX + "a"),
        (ID + "pact-axis/planet", EX + "kp1", l4a + "KnowledgeProduct", EX + "b"),
    ]
    assert [r[1] for r in run(fixture_kg, "processes-by-axis", axis=ID + "pact-axis/planet")] == [
        EX + "kp1"
    ]


def test_section_activity(fixture_kg: KnowledgeGraph) -> None:
    # a: europe 2022-2024; b: africa 2021-2023; c: europe from 2023, end unknown.
    africa, europe = ID + "section/africa", ID + "section/europe"
    assert run(fixture_kg, "section-activity") == [
        (africa, "2021", "1", "1", "0"),
        (africa, "2022", "0", "1", "0"),
        (africa, "2023", "0", "1", "1"),
        (africa, "2024", "0", "0", "0"),
        (europe, "2021", "0", "0", "0"),
        (europe, "2022", "1", "1", "0"),
        (europe, "2023", "1", "2", "0"),
        (europe, "2024", "0", "1", "1"),
    ]


def test_bad_parameters() -> None:
    query = get_query("hubs-ending-soon")
    with pytest.raises(InputError, match="no parameter colour"):
        query.bindings({"colour": "red"})
    with pytest.raises(InputError, match="months"):
        query.bindings({"months": "six"})
    with pytest.raises(InputError, match="asOf"):
        query.bindings({"asOf": "2024-13-45"})
    with pytest.raises(NotFoundError, match="known: "):
        get_query("no-such-query")


# -- on the shipped data ------------------------------------------------------------------

XIAN = ID + "hub/xian-youth-education-dialogue"
VENICE = ID + "hub/venice-city-solutions-2030"


def test_shipped_hubs_by_goal_4_is_xian(kg: KnowledgeGraph) -> None:
    assert [r[2] for r in run(kg, "hubs-by-goal", goal="sdg:4")] == [XIAN]


def test_shipped_goal_17_is_xian_and_venice(kg: KnowledgeGraph) -> None:
    assert sorted(r[2] or "" for r in run(kg, "hubs-by-goal", goal="sdg:17")) == sorted(
        [XIAN, VENICE]
    )


def test_shipped_leads_exclude_venice(kg: KnowledgeGraph) -> None:
    rows = run(kg, "lead-lrgs")
    assert len(rows) == 5  # Venice's lead is unknown
    assert {r[0] for r in rows} == {ID + f"country/{c}" for c in ("AR", "CN", "ES", "PT")}


def test_shipped_provenance_lists_public_sources(kg: KnowledgeGraph) -> None:
    assert run(kg, "hub-provenance", hub=VENICE) == [
        ("https://venicecitysolutions.com/local4action-hub/",) + (None,) * 6
    ]


def test_shipped_search_finds_youth(kg: KnowledgeGraph) -> None:
    assert [r[0] for r in run(kg, "search", text="youth")] == [XIAN]


@pytest.mark.parametrize("name", sorted(load_library()))
def test_every_query_runs_on_the_shipped_data(kg: KnowledgeGraph, name: str) -> None:
    query = get_query(name)
    required = {
        p.name: "https://w3id.org/l4a/id/region/EU" if p.type == "iri" else "youth"
        for p in query.parameters
        if p.required
    }
    if name == "hub-provenance":
        required = {"hub": XIAN}
    solutions = kg.select(query.text, query.bindings(required))
    assert [v.value for v in solutions.variables] == list(query.columns)


def test_cli_named_query(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["query", "--name", "hubs-by-goal", "--param", "goal=sdg:4", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert XIAN in result.stdout
    listing = runner.invoke(cli, ["query", "--list", "--lang", "es"])
    assert "HUB por Objetivo de Desarrollo Sostenible" in listing.stdout
    bad = runner.invoke(cli, ["query", "--name", "search"])
    assert bad.exit_code == 2
    assert "needs --param text" in bad.stderr


# -- the same answers on the remote backend ----------------------------------------------

PARITY_PARAMS: dict[str, dict[str, str]] = {
    "coverage-gaps": {"region": ID + "region/AF"},
    "deliverables-due": {"asOf": "2024-01-15"},
    "hubs-ending-soon": {"asOf": "2024-01-01"},
    "hub-provenance": {"hub": EX + "a"},
    "search": {"text": "agua", "lang": "es"},
}


LIST_COLUMNS = {"roles": " | ", "goals": " ", "targets": " ", "languages": " "}
"""GROUP_CONCAT columns: SPARQL leaves the order of their items to the engine."""


def comparable(name: str, rows: list[tuple[str | None, ...]]) -> list[tuple[object, ...]]:
    columns = list(get_query(name).columns)
    return [
        tuple(
            frozenset(v.split(LIST_COLUMNS[c])) if c in LIST_COLUMNS and v else v
            for c, v in zip(columns, row, strict=True)
        )
        for row in rows
    ]


@pytest.mark.parametrize("name", sorted(load_library()))
def test_same_answers_on_the_remote_backend(
    any_store: KnowledgeGraph, fixture_kg: KnowledgeGraph, name: str
) -> None:
    any_store.load_files([FIXTURE])
    params = PARITY_PARAMS.get(name, {})
    expected = comparable(name, run(fixture_kg, name, **params))
    assert expected, f"{name} answers nothing on the fixture: a weak comparison"
    assert comparable(name, run(any_store, name, **params)) == expected
