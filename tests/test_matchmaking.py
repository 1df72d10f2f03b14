"""Matchmaking: signals, the combined ranking, explanations, feedback, RDF, network views, CLI.

Most tests run on small typed graphs whose answers are worked out by hand in the
comments; the last ones run on the six real HUBs.
"""

# networkx's convention, followed here: a graph is ``G``.
# ruff: noqa: N803, N806

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from l4a_graph import KnowledgeGraph
from l4a_graph.analyses.brokers import brokers
from l4a_graph.analyses.combine import (
    Weights,
    combined_scores,
    explain,
    match,
    match_in,
    rank,
    rank_all,
    resolve_query,
    signal_scores,
)
from l4a_graph.analyses.complementarity import complementarity
from l4a_graph.analyses.exceptions import (
    EmptyGraphError,
    FeedbackError,
    MatchError,
    UnknownEntityError,
    WeightsError,
)
from l4a_graph.analyses.feedback import accepted_pairs, record_feedback, reviewed_pairs
from l4a_graph.analyses.graphs import (
    GraphNodes,
    HubViews,
    Incidence,
    graph_from_edges,
    hub_views,
    typed_graph,
)
from l4a_graph.analyses.localglobal import local_global_bonus
from l4a_graph.analyses.network import (
    broker_centrality,
    communities,
    coverage_gaps,
    isolated_hubs,
    network_report,
)
from l4a_graph.analyses.pathsim import pathsim
from l4a_graph.analyses.rdf import write_matches
from l4a_graph.analyses.store_views import PARTS, read_parts, read_views
from l4a_graph.analyses.targets import shared_targets
from l4a_graph.analyses.timing import timing_overlap
from l4a_graph.cli import cli
from l4a_graph.errors import L4AError, NotFoundError
from l4a_graph.synthetic import load_synthetic

HUB = "https://w3id.org/l4a/id/hub/"
XIAN = HUB + "xian-youth-education-dialogue"
VENICE = HUB + "venice-city-solutions-2030"
SDG17 = "http://metadata.un.org/sdg/17"


# -- a hand-checked world ---------------------------------------------------------------
#
# Five HUBs:
#   a: targets 11.1 and 6.1 (so goals 11 and 6), axis people, lead la and uni, seeks
#      water, in Europe, runs 2021-01-01..2022-12-31
#   b: target 11.1, axes people and planet, lead lb and uni, offers housing, in Asia,
#      runs 2022-01-01..2023-12-31
#   c: target 11.2, axis planet, lead lc and un, seeks housing, in Europe, no dates
#   d: goal 6 only, lead ld and un, offers water, in Asia, runs through 2024
#   e: lead le and un, nothing else
#
# Default weights: targets .30 (ra), pathsim targets .03, axes .02, stakeholders .03,
# complementarity .30, brokers .32 (sum 1); context: local-global .10, timing .20.
#
# Agenda (targets and goals), ra weights w^2 = 1/k: 11.1 (k=2) 1/2, goal 11 (k=3) 1/3,
# 6.1 (k=1) 1, goal 6 (k=2) 1/2, 11.2 (k=1) 1.
#   |a|^2 = 1/2 + 1/3 + 1 + 1/2 = 7/3, |b|^2 = 5/6, |c|^2 = 4/3, |d|^2 = 1/2
#   a.b = 5/6 -> cos 0.597614; a.c = 1/3 -> 0.188982; a.d = 1/2 -> 0.462910
# PathSim a-b: targets 2*1/(2+1) = 2/3; axes 2*1/(1+2) = 2/3; stakeholders 2*1/(2+2) = 1/2
# Complementarity a-d: d offers the water a seeks (cos 1), d seeks nothing: (1 + 0)/2 = 0.5
# Brokers a-b: uni is in a and b only: 1/(2-1) = 1
# Substance: a-b .3*.597614 + .03*2/3 + .02*2/3 + .03*.5 + .32 = 0.547618
#            a-c .3*.188982 = 0.056695;  a-d .3*.462910 + .3*.5 = 0.288873
# Context (sections unknown, so regions only): a-b across (1), overlap all of 2022 = 365
#   of 730 days (0.5): (1 + .1 + .1)/1.3; a-c same region, c undated: 1/1.3;
#   a-d across, no overlap: 1.1/1.3
# Scores: a-b 0.505493, a-d 0.244431, a-c 0.043611; e shares nothing with a.

TOY_EDGES = [
    ("a", "addresses_target", "t11.1"),
    ("a", "addresses_target", "t6.1"),
    ("b", "addresses_target", "t11.1"),
    ("c", "addresses_target", "t11.2"),
    ("d", "addresses_goal", "g6"),
    ("t11.1", "broader", "g11"),
    ("t11.2", "broader", "g11"),
    ("t6.1", "broader", "g6"),
    ("a", "contributes_to_axis", "people"),
    ("b", "contributes_to_axis", "people"),
    ("b", "contributes_to_axis", "planet"),
    ("c", "contributes_to_axis", "planet"),
    *((h, "has_lead", f"l{h}") for h in "abcde"),
    ("a", "has_stakeholder", "uni"),
    ("b", "has_stakeholder", "uni"),
    *((h, "has_stakeholder", "un") for h in "cde"),
    ("a", "seeks", "water"),
    ("d", "offers", "water"),
    ("b", "offers", "housing"),
    ("c", "seeks", "housing"),
    ("a", "has_territory", "EU"),
    ("c", "has_territory", "EU"),
    ("b", "has_territory", "AS"),
    ("d", "has_territory", "AS"),
]
TOY_ATTRIBUTES: dict[str, dict[str, object]] = {
    "a": {"start": date(2021, 1, 1), "end": date(2022, 12, 31)},
    "b": {"start": date(2022, 1, 1), "end": date(2023, 12, 31)},
    "d": {"start": date(2024, 1, 1), "end": date(2024, 12, 31)},
    "g11": {"labels": {"en": "Sustainable cities", "fr": "Villes durables"}, "notation": "11"},
    "g6": {"labels": {"en": "Clean water"}, "notation": "6"},
    "t11.1": {"notation": "11.1"},
    "people": {"labels": {"en": "People", "es": "Personas"}},
    "uni": {"labels": {"en": "University"}},
    "water": {"labels": {"en": "Water", "fr": "Eau"}},
    "EU": {"level": "world-region", "labels": {"en": "Europe"}},
    "AS": {"level": "world-region", "labels": {"en": "Asia"}},
    **{f"l{h}": {"kind": "lrg"} for h in "abcde"},
}


@pytest.fixture
def toy() -> nx.MultiDiGraph:
    return graph_from_edges(TOY_EDGES, TOY_ATTRIBUTES)


def ranking(G: nx.MultiDiGraph, hub: str, **options: object) -> list[tuple[str, float]]:
    result = match(G, hub_views(G), resolve_query(G, hub=hub), **options)  # type: ignore[arg-type]
    return [(c.hub, c.score) for c in result.candidates]


def test_toy_ranking_for_a(toy: nx.MultiDiGraph) -> None:
    got = ranking(toy, "a")
    assert [hub for hub, _ in got] == ["b", "d", "c"]
    for (_, score), expected in zip(got, [0.505493, 0.244431, 0.043611], strict=True):
        assert score == pytest.approx(expected, abs=2e-6)


def test_toy_explanations(toy: nx.MultiDiGraph) -> None:
    V = hub_views(toy)
    a, b, d = (V.index[h] for h in "abd")
    why_b = explain(toy, V, a, b)
    assert [x.iri for x in why_b.shared_targets] == ["t11.1"]
    assert [x.iri for x in why_b.shared_goals] == ["g11"]
    assert [x.iri for x in why_b.shared_axes] == ["people"]
    assert [x.iri for x in why_b.brokers] == ["uni"]
    assert why_b.together == ("2022-01-01", "2022-12-31")
    assert why_b.text() == (
        "shared targets: 11.1; shared goals: 11 Sustainable cities; shared Pact axes: People; "
        "brokers: University; regions: Europe / Asia; active together: 2022-01-01/2022-12-31"
    )
    why_d = explain(toy, V, a, d, "fr")
    assert [x.iri for x in why_d.offers_sought] == ["water"]
    assert why_d.text("fr") == (
        "objectifs communs: 6 Clean water; offre ce qu'il cherche: Eau; régions: Europe / Asia"
    )


def test_explanation_lists_rarest_first() -> None:
    # x is held by a, b, c (k=3), y by a and b only (k=2): y first.
    G = graph_from_edges(
        [("a", "addresses_target", t) for t in "xy"]
        + [("b", "addresses_target", t) for t in "xy"]
        + [("c", "addresses_target", "x")]
    )
    V = hub_views(G)
    assert [t.iri for t in explain(G, V, 0, 1).shared_targets] == ["y", "x"]


def test_candidates_carry_signals_and_source(toy: nx.MultiDiGraph) -> None:
    result = match(toy, hub_views(toy), resolve_query(toy, hub="a"), top=1)
    (best,) = result.candidates
    assert best.source == "a"
    assert best.explanation.signals["brokers"] == 1.0
    assert best.explanation.signals["pathsim_axes"] == pytest.approx(2 / 3, abs=1e-6)


ALONE = "targets=0,complementarity=0,brokers=0,pathsim_targets=0,pathsim_axes=0"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # Brokers alone (stakeholder PathSim off): only a-b share a dedicated stakeholder.
        (ALONE + ",pathsim_stakeholders=0,brokers=1", ["b"]),
        # Complementarity alone: d meets a's need.
        (ALONE + ",pathsim_stakeholders=0,complementarity=1", ["d"]),
        # Targets alone (ra): b .597614, d .462910, c .188982.
        (ALONE + ",pathsim_stakeholders=0,targets=1", ["b", "d", "c"]),
    ],
)
def test_each_signal_alone_ranks_as_worked_out(
    toy: nx.MultiDiGraph, spec: str, expected: list[str]
) -> None:
    assert [hub for hub, _ in ranking(toy, "a", weights=Weights.parse(spec))] == expected


def test_local_global_within_prefers_same_region(toy: nx.MultiDiGraph) -> None:
    # Targets alone with a "within" bonus: c gains (same region), b and d lose theirs.
    # b .597614 * (1 + .1*0 + .2*.5)/1.3 = .505673; d .462910 / 1.3 * 1 = .356085;
    # c .188982 * 1.1 / 1.3 = .159908.
    spec = (
        "brokers=0,complementarity=0,pathsim_targets=0,pathsim_axes=0,"
        "pathsim_stakeholders=0,local_global_mode=within"
    )
    got = dict(ranking(toy, "a", weights=Weights.parse(spec)))
    assert got["b"] == pytest.approx(0.505673, abs=2e-6)
    assert got["d"] == pytest.approx(0.356085, abs=2e-6)
    assert got["c"] == pytest.approx(0.159908, abs=2e-6)


def test_lrg_and_territory_queries(toy: nx.MultiDiGraph) -> None:
    assert resolve_query(toy, lrg="la").hubs == ("a",)
    europe = resolve_query(toy, territory="EU")
    assert europe.hubs == ("a", "c")
    # The query's own HUBs are never candidates; each candidate keeps its best pairing.
    result = match(toy, hub_views(toy), europe)
    assert "a" not in {c.hub for c in result.candidates}
    assert "c" not in {c.hub for c in result.candidates}
    assert result.candidates[0].hub == "b"
    assert result.candidates[0].source == "a"


def test_excluded_pairs_are_not_suggested(toy: nx.MultiDiGraph) -> None:
    V = hub_views(toy)
    result = match(toy, V, resolve_query(toy, hub="a"), exclude=[frozenset({"a", "b"})])
    assert [c.hub for c in result.candidates] == ["d", "c"]


def test_exchanging_hubs_are_not_new(toy: nx.MultiDiGraph) -> None:
    toy.add_edge("a", "b", key="exchanges_with")
    assert [hub for hub, _ in ranking(toy, "a")] == ["d", "c"]


# -- the signals, one by one ----------------------------------------------------------


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        # Same agenda: 1; disjoint: 0; no agenda: 0.
        ({"a": ["x"], "b": ["x"]}, [[1.0, 1.0], [1.0, 1.0]]),
        ({"a": ["x"], "b": ["y"]}, [[1.0, 0.0], [0.0, 1.0]]),
        ({"a": ["x"], "b": []}, [[1.0, 0.0], [0.0, 0.0]]),
    ],
)
def test_shared_targets_small_cases(
    features: dict[str, list[str]], expected: list[list[float]]
) -> None:
    assert shared_targets(Incidence.from_mapping(features)).tolist() == expected


def test_pathsim_is_dice_on_sets() -> None:
    # |A| = 3, |B| = 2, |A & B| = 1: 2 * 1 / (3 + 2) = 0.4
    A = Incidence.from_mapping({"a": ["x", "y", "z"], "b": ["z", "w"]})
    assert pathsim(A)[0, 1] == pytest.approx(0.4)


def test_brokers_cap_at_one() -> None:
    # Two dedicated brokers would give 2: capped.
    A = Incidence.from_mapping({"a": ["s", "t"], "b": ["s", "t"]})
    assert brokers(A)[0, 1] == 1.0


def test_timing_one_day_overlap() -> None:
    # a: 1-10 Jan (10 days), b: 10-20 Jan: they share 10 January, 1/10 of the shorter.
    start = np.array(["2021-01-01", "2021-01-10"], "datetime64[D]")
    end = np.array(["2021-01-10", "2021-01-20"], "datetime64[D]")
    assert timing_overlap(start, end)[0, 1] == pytest.approx(0.1)


def test_timing_reversed_frame_counts_as_unknown() -> None:
    start = np.array(["2022-01-01", "2021-01-01"], "datetime64[D]")
    end = np.array(["2021-01-01", "2023-01-01"], "datetime64[D]")
    assert timing_overlap(start, end)[0, 1] == 0.0


incidences = st.integers(2, 7).flatmap(
    lambda n: st.lists(st.lists(st.booleans(), min_size=5, max_size=5), min_size=n, max_size=n).map(
        lambda table: Incidence.from_mapping(
            {f"h{i}": [f"f{j}" for j, on in enumerate(row) if on] for i, row in enumerate(table)},
            [f"h{i}" for i in range(len(table))],
            [f"f{j}" for j in range(5)],
        )
    )
)


@pytest.mark.parametrize(
    "signal",
    [
        lambda A, B, rows: shared_targets(A, rows),
        lambda A, B, rows: shared_targets(A, rows, weighting="idf"),
        lambda A, B, rows: pathsim(A, rows),
        lambda A, B, rows: brokers(A, rows),
        lambda A, B, rows: complementarity(A, B, rows),
        lambda A, B, rows: local_global_bonus([A, B], rows),
        lambda A, B, rows: local_global_bonus([A], rows, across=False),
    ],
    ids=["targets-ra", "targets-idf", "pathsim", "brokers", "complementarity", "lg", "lg-within"],
)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_signals_are_symmetric_bounded_and_rowwise(signal, data) -> None:  # type: ignore[no-untyped-def]
    A = data.draw(incidences)
    B = data.draw(
        st.lists(st.lists(st.booleans(), min_size=5, max_size=5), min_size=len(A.rows),
                 max_size=len(A.rows)).map(
            lambda table: Incidence.from_mapping(
                {h: [f"f{j}" for j, on in enumerate(row) if on]
                 for h, row in zip(A.rows, table, strict=True)},
                A.rows,
                A.cols,
            )
        )
    )  # fmt: skip
    full = signal(A, B, None)
    assert np.allclose(full, full.T, atol=1e-6)
    assert full.min() >= 0.0
    assert full.max() <= 1.0
    assert np.allclose(signal(A, B, [len(A.rows) - 1]), full[-1:], atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2000), st.integers(-5, 1500), st.booleans()),
        min_size=2,
        max_size=6,
    )
)
def test_timing_is_symmetric_and_bounded(frames: list[tuple[int, int, bool]]) -> None:
    base = np.datetime64("2020-01-01")
    start = np.array([base + s for s, _, _ in frames], "datetime64[D]")
    end = np.array(
        [base + s + length if known else np.datetime64("NaT") for s, length, known in frames],
        "datetime64[D]",
    )
    full = timing_overlap(start, end)
    assert np.allclose(full, full.T)
    assert full.min() >= 0.0
    assert full.max() <= 1.0


# -- combination, ranking, determinism --------------------------------------------------


def test_rank_breaks_ties_by_index_even_past_the_cut() -> None:
    # Six columns tie at 0.5: the two lowest indices win, whatever argpartition picked.
    scores = np.array([[0.5, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.0]], dtype=np.float32)
    assert rank(scores, 3) == [[(1, 0.9), (0, 0.5), (2, 0.5)]]


def test_combined_scores_are_bounded(toy: nx.MultiDiGraph) -> None:
    V = hub_views(toy)
    rows = np.arange(len(V.hubs))
    scores = combined_scores(signal_scores(V, rows, Weights()), Weights())
    assert scores.min() >= 0.0
    assert scores.max() <= 1.0


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_rank_all_is_deterministic_whatever_the_blocks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    edges = [
        (f"h{i}", relation, f"{relation}{int(rng.integers(0, 4))}")
        for i in range(12)
        for relation in ("addresses_target", "has_stakeholder", "offers", "seeks")
    ]
    V = hub_views(graph_from_edges(edges))
    one = rank_all(V, top=3, block=1, workers=1)
    assert one == rank_all(V, top=3, block=5, workers=2)
    assert one == rank_all(V, top=3)


def test_weights_are_printable_and_validated() -> None:
    rows = Weights().describe()
    assert rows[5][:3] == ("brokers", "0.32", "0.32")
    assert all(help_text for *_, help_text in rows)
    with pytest.raises(WeightsError, match="expected name=value"):
        Weights.parse("nonsense=1")
    with pytest.raises(WeightsError, match="not a number"):
        Weights.parse("brokers=x")
    with pytest.raises(WeightsError, match=">= 0"):
        Weights.parse("brokers=-1")
    with pytest.raises(WeightsError, match="above 0"):
        Weights.parse(
            "targets=0,pathsim_targets=0,pathsim_axes=0,pathsim_stakeholders=0,"
            "complementarity=0,brokers=0"
        )
    with pytest.raises(WeightsError, match="local_global_by"):
        Weights.parse("local_global_by=continent")


# -- bad input --------------------------------------------------------------------------


def test_unknown_hub_is_a_clear_not_found(toy: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownEntityError, match="unknown HUB zz") as caught:
        resolve_query(toy, hub="zz")
    assert isinstance(caught.value, NotFoundError)
    assert caught.value.exit_code == 2


def test_close_names_are_suggested(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntityError, match="did you mean hub:xian-youth-education"):
        resolve_query(typed_graph(kg), hub="hub:xian-youth")


def test_empty_graph(empty_kg: KnowledgeGraph) -> None:
    with pytest.raises(EmptyGraphError, match="no HUB"):
        hub_views(typed_graph(empty_kg))
    with pytest.raises(EmptyGraphError):
        match_in(empty_kg, hub="hub:x")


def test_lrg_without_hubs(toy: nx.MultiDiGraph) -> None:
    toy.add_node("lonely", kind="lrg")
    with pytest.raises(EmptyGraphError, match="takes part in no HUB"):
        resolve_query(toy, lrg="lonely")


def test_errors_belong_to_the_hierarchy() -> None:
    for error in (UnknownEntityError, EmptyGraphError, WeightsError, FeedbackError):
        assert issubclass(error, MatchError)
        assert issubclass(error, L4AError)


# -- the typed graph from RDF -----------------------------------------------------------

TURTLE = """
@prefix l4a: <https://w3id.org/l4a/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix s: <https://w3id.org/l4a/synthetic/> .

s:h1 a l4a:Hub ; dcterms:title "Un"@fr , "One"@en ;
    l4a:addressesTarget sdg:11.1 ; l4a:hasLead s:city ; l4a:hasTerritory s:town ;
    l4a:startDate "2021-08"^^xsd:gYearMonth ; l4a:hasDeliverable s:d1 ;
    l4a:exchangesWith s:h2 .
s:d1 dcterms:subject <https://w3id.org/l4a/id/topic/water> .
s:p2 org:organization s:h2 ; org:member s:uni .
s:h2 a l4a:Hub ; l4a:seeksExpertise <https://w3id.org/l4a/id/topic/water> .
s:city a l4a:LocalGovernment ; l4a:memberOfSection <https://w3id.org/l4a/id/section/europe> .
s:town l4a:partOf s:country . s:country l4a:partOf <https://w3id.org/l4a/id/region/EU> .
"""


def test_typed_graph_reads_the_vocabulary(kg: KnowledgeGraph) -> None:
    kg.store.load(TURTLE.encode(), _ttl(), "https://w3id.org/l4a/graph/synthetic")
    G = typed_graph(kg)
    s = "https://w3id.org/l4a/synthetic/"
    relations = {(u, rel, v) for u, v, rel in G.edges(keys=True) if u.startswith(s)}
    assert (s + "h1", "addresses_goal", "http://metadata.un.org/sdg/11") in relations
    assert (s + "h1", "delivers", "https://w3id.org/l4a/id/topic/water") in relations
    assert (s + "h2", "has_stakeholder", s + "uni") in relations
    assert (s + "h1", "exchanges_with", s + "h2") in relations
    assert G.nodes[s + "city"]["kind"] == "lrg"
    assert G.nodes[s + "uni"]["kind"] == "stakeholder"
    assert G.nodes[s + "h1"]["start"] == date(2021, 8, 1)
    assert G.nodes[s + "h1"]["labels"] == {"en": "One", "fr": "Un"}
    V = hub_views(G)
    h1 = V.index[s + "h1"]
    assert V.regions.features(h1) == ["https://w3id.org/l4a/id/region/EU"]
    assert V.sections.features(h1) == ["https://w3id.org/l4a/id/section/europe"]
    assert V.offers.features(h1) == ["https://w3id.org/l4a/id/topic/water"]
    assert (min(h1, V.index[s + "h2"]), max(h1, V.index[s + "h2"])) in V.connected


def _ttl():  # type: ignore[no-untyped-def]
    from l4a_graph.formats import by_name

    return by_name("ttl")


# -- the store read straight into the projections (the fast path) -------------------------
#
# read_views must give exactly what hub_views(typed_graph(kg)) gives: same HUBs, columns,
# matrices, dates and exchanges, and the same answers about nodes.

ODD_TURTLE = (
    TURTLE
    + """
s:h3 a l4a:Hub ; l4a:hasTerritory [ l4a:partOf <https://w3id.org/l4a/id/region/AF> ] ;
    l4a:hasStakeholder "A partner named with spaces" ; l4a:addressesGoal sdg:5 ;
    l4a:startDate "2022-01-01"^^xsd:date ; l4a:endDate "2024"^^xsd:gYear .
s:meeting l4a:involvesHub s:h3 , s:h4 .
s:h4 l4a:hasTerritory s:town .
s:h5 a l4a:Hub ; l4a:hasLead s:province ;
    l4a:offersExpertise <https://w3id.org/l4a/id/topic/water> .
s:province a l4a:RegionalGovernment ; l4a:hasTerritory s:country ;
    l4a:memberOfSection <https://w3id.org/l4a/id/section/forum-of-regions> .
"""
)
"""Odd data on purpose: a blank-node territory and a literal stakeholder (read pair by
pair), an exchange with an untyped HUB, a HUB placed through its lead."""


def assert_same_views(fast: HubViews, slow: HubViews) -> None:
    assert fast.hubs == slow.hubs
    for name in ("agenda", "targets", "axes", "stakeholders", "offers", "seeks", "regions",
                 "sections"):  # fmt: skip
        a, b = getattr(fast, name), getattr(slow, name)
        assert (a.rows, a.cols) == (b.rows, b.cols), name
        assert a.matrix.shape == b.matrix.shape, name
        assert (a.matrix != b.matrix).nnz == 0, name
        assert a.matrix.has_canonical_format, name
    assert fast.start.astype(str).tolist() == slow.start.astype(str).tolist()
    assert fast.end.astype(str).tolist() == slow.end.astype(str).tolist()
    assert fast.connected == slow.connected


def assert_same_nodes(kg: KnowledgeGraph) -> None:
    G = typed_graph(kg)
    read = read_views(kg)
    assert_same_views(read.views, hub_views(G))
    assert read.nodes.kinds == dict(G.nodes(data="kind"))
    slow = GraphNodes(G)
    for node, kind in G.nodes(data="kind"):
        if kind in ("lrg", "stakeholder"):
            assert read.nodes.hubs_of_stakeholder(node) == slow.hubs_of_stakeholder(node)
        if kind == "territory":
            assert read.nodes.hubs_in_territory(node) == slow.hubs_in_territory(node)
    some = [n for n in G if isinstance(n, str) and "://" in n][:: max(1, len(G) // 200)]
    read.nodes.prefetch(some)
    for node in some:
        for lang in ("en", "fr", "es"):
            assert read.nodes.label(node, lang) == slow.label(node, lang), node
        assert read.nodes.notation(node) == slow.notation(node)


def test_store_views_equal_the_typed_graph_views_on_the_real_hubs(kg: KnowledgeGraph) -> None:
    assert_same_nodes(kg)


def test_store_views_equal_the_typed_graph_views_on_odd_data(kg: KnowledgeGraph) -> None:
    kg.store.load(ODD_TURTLE.encode(), _ttl(), "https://w3id.org/l4a/graph/synthetic")
    assert_same_nodes(kg)
    # The odd values cannot be split back out of GROUP_CONCAT: their parts (and only
    # those) were read again solution by solution.
    queries: list[str] = []

    class Spy:
        def select(self, sparql: str) -> object:
            queries.append(sparql)
            return kg.select(sparql)

    read_parts(Spy())  # type: ignore[arg-type]
    again = {name for name, part in PARTS.items() for q in queries[1:] if part.pattern in q}
    assert again == {"has_territory", "has_stakeholder", "part_of"}
    s = "https://w3id.org/l4a/synthetic/"
    views = read_views(kg).views
    h3, h4 = views.index[s + "h3"], views.index[s + "h4"]
    assert views.regions.features(h3) == ["https://w3id.org/l4a/id/region/AF"]
    assert "A partner named with spaces" in views.stakeholders.features(h3)
    assert (min(h3, h4), max(h3, h4)) in views.connected


@pytest.fixture(scope="module")
def generated() -> Iterator[KnowledgeGraph]:
    """The shipped data, 300 generated HUBs and the inferred graph (as the benchmark)."""
    graph = KnowledgeGraph()
    graph.load_shipped()
    load_synthetic(graph, 300, seed=5)
    graph.reason(check=False)
    yield graph
    graph.close()


def test_store_views_equal_the_typed_graph_views_on_a_generated_graph(
    generated: KnowledgeGraph,
) -> None:
    assert_same_nodes(generated)


def test_fast_and_networkx_paths_give_the_same_top_10(generated: KnowledgeGraph) -> None:
    G = typed_graph(generated)
    slow = hub_views(G)
    read = read_views(generated)
    ranking = rank_all(read.views, top=10)
    assert ranking == rank_all(slow, top=10)
    assert sum(len(candidates) == 10 for candidates in ranking) > 0.9 * len(ranking)
    # Explained candidates too, from the store's nodes (labels fetched on demand).
    for hub in slow.hubs[:: len(slow.hubs) // 7]:
        one = match(G, slow, resolve_query(G, hub=hub), lang="fr").as_dict()
        other = match(read.nodes, read.views, resolve_query(read.nodes, hub=hub), lang="fr")
        for data in (one, other := other.as_dict()):
            del data["created"]
        assert one == other
        assert [c["hub"] for c in one["candidates"]] == [
            slow.hubs[j] for j, _ in ranking[slow.index[hub]]
        ]


def test_rankings_do_not_depend_on_the_blocks(generated: KnowledgeGraph) -> None:
    views = read_views(generated).views
    whole = rank_all(views, top=10, block=len(views.hubs), workers=1)
    assert rank_all(views, top=10, block=1, workers=2) == whole
    assert rank_all(views, top=10, block=7, workers=2) == whole


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda m: st.integers(0, 300).flatmap(
            lambda n: st.lists(
                st.sampled_from([0.0, 0.0, 0.1, 0.25, 0.25, 0.5, 0.9, 1.0]),
                min_size=m * n,
                max_size=m * n,
            ).map(lambda values: np.array(values, dtype=np.float32).reshape(m, n))
        )
    ),
    st.integers(0, 12),
)
def test_rank_is_a_full_sort_by_score_then_index(scores: np.ndarray, top: int) -> None:
    expected = [
        sorted(((j, round(float(v), 6)) for j, v in enumerate(row) if v > 0),
               key=lambda item: (-item[1], item[0]))[:top]
        for row in scores
    ]  # fmt: skip
    assert rank(scores.copy(), top) == expected


# -- network views ----------------------------------------------------------------------


def test_communities_are_seeded_and_sorted() -> None:
    H = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4), (7, 8)])
    first = communities(H, seed=3)
    assert first == communities(H, seed=3)
    assert [sorted(c) for c in first] == [[1, 2, 3], [4, 5, 6], [7, 8]]
    with pytest.raises(MatchError, match="unknown community method"):
        communities(H, method="magic")


def test_network_views_on_the_toy(toy: nx.MultiDiGraph) -> None:
    # uni joins a and b; un joins c, d and e; the leads join nobody.
    assert isolated_hubs(toy) == []
    brokers_found = dict(broker_centrality(toy))
    assert set(brokers_found) == {"uni", "un"}
    assert brokers_found["un"] > brokers_found["uni"]
    gaps = coverage_gaps(toy, hub_views(toy))
    # Europe (a, c): goals 11 and 6 covered; Asia (b, d): 11 and 6 covered too.
    assert gaps.gaps == {"AS": [], "EU": []}
    assert gaps.counts["EU"] == {"g11": 2, "g6": 1}
    report = network_report(toy, hub_views(toy), seed=1)
    assert sorted(h for c in report.communities for h in c) == list("abcde")


# -- feedback and RDF on the real data --------------------------------------------------


def test_real_data_xian_matches_venice_on_goal_17(kg: KnowledgeGraph) -> None:
    _, result = match_in(kg, hub="hub:xian-youth-education-dialogue")
    first = result.candidates[0]
    assert first.hub == VENICE
    assert [g.iri for g in first.explanation.shared_goals] == [SDG17]
    assert "17 Partnerships for the goals" in first.explanation.text()


def test_feedback_is_stored_and_respected(kg: KnowledgeGraph) -> None:
    pair = f"{XIAN},hub:venice-city-solutions-2030"
    iri = record_feedback(kg, pair, "reject", "not now")
    assert reviewed_pairs(kg) == {frozenset({XIAN, VENICE}): "rejected"}
    record_feedback(kg, pair, "accept", "met at the forum")
    assert accepted_pairs(kg) == [(VENICE, XIAN)]
    _, result = match_in(kg, hub=XIAN)
    assert VENICE not in {c.hub for c in result.candidates}
    provenance = kg.select(
        "SELECT ?t ?agent WHERE { GRAPH <https://w3id.org/l4a/graph/match-feedback> "
        "{ ?f prov:generatedAtTime ?t ; prov:wasGeneratedBy/prov:wasAssociatedWith ?agent } }",
        {"f": NamedNode(iri)},
    )
    assert [row["agent"].value for row in provenance] == ["https://w3id.org/l4a/id/org/uclg"]


@pytest.mark.parametrize(
    ("pair", "decision", "error"),
    [
        (f"{XIAN},{VENICE}", "maybe", FeedbackError),
        (f"{XIAN},{XIAN}", "accept", FeedbackError),
        (f"{XIAN},hub:nowhere", "accept", UnknownEntityError),
        ("https://w3id.org/l4a/id/match/none/1", "accept", UnknownEntityError),
    ],
)
def test_bad_feedback(kg: KnowledgeGraph, pair: str, decision: str, error: type) -> None:
    with pytest.raises(error):
        record_feedback(kg, pair, decision)


def test_results_are_written_back_as_rdf(kg: KnowledgeGraph) -> None:
    _, result = match_in(kg, hub=XIAN)
    graph = write_matches(kg, result, run_id="test-run")
    assert graph == "https://w3id.org/l4a/graph/matches/test-run"
    rows = list(
        kg.select(
            f"SELECT ?c ?score ?method ?text ?goal WHERE {{ GRAPH <{graph}> {{ "
            "?c a l4a:MatchCandidate ; l4a:forHub ?a ; l4a:candidateHub ?b ; "
            "l4a:matchScore ?score ; l4a:matchMethod ?method ; l4a:methodVersion ?v ; "
            "dcterms:description ?text ; l4a:sharedGoal ?goal ; "
            "prov:wasGeneratedBy ?run . ?run a prov:Activity } "
            "GRAPH <https://w3id.org/l4a/graph/provenance> { ?g prov:wasGeneratedBy ?run } }",
            {"a": NamedNode(XIAN), "b": NamedNode(VENICE), "g": NamedNode(graph)},
        )
    )
    assert len(rows) == 1
    assert rows[0]["goal"].value == SDG17
    assert float(rows[0]["score"].value) == pytest.approx(result.candidates[0].score)
    # Feedback can name the written candidate directly.
    record_feedback(kg, rows[0]["c"].value, "accept")
    assert accepted_pairs(kg) == [(VENICE, XIAN)]


# -- the command line -------------------------------------------------------------------


def invoke(runner: CliRunner, *args: str) -> object:
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_cli_match_table_names_venice_and_goal_17(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["match", "--hub", "hub:xian-youth-education-dialogue"])
    assert result.exit_code == 0, result.output
    assert "Venice City Solutions 2030" in result.stdout
    assert "shared goals: 17 Partnerships for the goals" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "graphml"])
def test_cli_match_formats(runner: CliRunner, fmt: str) -> None:
    result = runner.invoke(
        cli, ["match", "--hub", XIAN, "--format", fmt, "--lang", "es", "--top", "1"]
    )
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["candidates"][0]["hub"] == VENICE
        assert data["candidates"][0]["explanation"]["text"].startswith("objetivos comunes: 17")
    elif fmt == "csv":
        header, row = result.stdout.splitlines()[:2]
        assert header.startswith("rank,hub,label,score")
        assert VENICE in row
    else:
        H = nx.parse_graphml(result.stdout)
        assert H.has_edge(XIAN, VENICE)


def test_cli_write_then_feedback(runner: CliRunner) -> None:
    written = runner.invoke(cli, ["match", "--hub", XIAN, "--write"])
    assert written.exit_code == 0, written.output
    assert "https://w3id.org/l4a/graph/matches/" in written.stderr
    feedback = runner.invoke(
        cli, ["match-feedback", f"{XIAN},{VENICE}", "accept", "--comment", "a good pair"]
    )
    assert feedback.exit_code == 0, feedback.output
    assert "recorded accepted" in feedback.stdout
    again = runner.invoke(cli, ["match", "--hub", XIAN])
    assert "Venice" not in again.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["match", "--hub", "hub:nope"], "unknown HUB hub:nope"),
        (["match"], "exactly one of --hub, --lrg or --territory"),
        (["match", "--hub", XIAN, "--weights", "brokers=x"], "not a number"),
        (["match", "--territory", "ZZ"], "unknown territory ZZ"),
        (["match-feedback", f"{XIAN},{XIAN}", "accept"], "two different HUBs"),
    ],
)
def test_cli_bad_input_exits_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_empty_graph_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    assert runner.invoke(cli, ["load", str(data)]).exit_code == 0
    result = runner.invoke(cli, ["match", "--hub", "hub:x"])
    assert result.exit_code == 2
    assert "holds no HUB" in result.output


def test_cli_show_weights(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["match", "--show-weights", "--weights", "brokers=0.5"])
    assert result.exit_code == 0
    assert "brokers               0.5" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_cli_network(runner: CliRunner, fmt: str) -> None:
    result = runner.invoke(cli, ["network", "--format", fmt, "--seed", "1"])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert len(data["isolated"]) == 6  # the six real HUBs share no stakeholder yet
        assert {h["iri"] for c in data["communities"] for h in c} >= {XIAN, VENICE}
    else:
        assert "Isolated HUBs" in result.stdout
        assert "Coverage gaps by region" in result.stdout


# -- the web API ------------------------------------------------------------------------

TOKEN = "a-token-of-sixteen-chars-or-more"


@pytest.fixture
def client(kg: KnowledgeGraph) -> Iterator[FlaskClient]:
    from l4a_graph.web import create_app

    app = create_app(kg, {"rate_limit": "", "write_token": TOKEN})
    yield app.test_client()
    app.extensions["l4a"].service.close()


def test_api_match(client: FlaskClient) -> None:
    answer = client.get("/api/match", query_string={"hub": XIAN, "top": "3", "lang": "fr"})
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["candidates"][0]["hub"] == VENICE
    assert data["candidates"][0]["explanation"]["text"].startswith("objectifs communs: 17")


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"hub": "hub:nope"}, 404),
        ({}, 400),
        ({"hub": XIAN, "top": "0"}, 400),
        ({"hub": XIAN, "lang": "de"}, 400),
        ({"hub": XIAN, "weights": "brokers=x"}, 400),
    ],
)
def test_api_match_bad_input(client: FlaskClient, query: dict[str, str], status: int) -> None:
    assert client.get("/api/match", query_string=query).status_code == status


def test_api_feedback_needs_the_token_then_sticks(client: FlaskClient) -> None:
    body = {"pair": f"{XIAN},{VENICE}", "decision": "accept", "comment": "yes"}
    assert client.post("/api/match/feedback", json=body).status_code == 401
    answer = client.post(
        "/api/match/feedback", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert answer.status_code == 201
    assert answer.get_json()["decision"] == "accepted"
    again = client.get("/api/match", query_string={"hub": XIAN}).get_json()
    assert VENICE not in {c["hub"] for c in again["candidates"]}


def test_api_reads_the_store_once_per_snapshot(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from l4a_graph.analyses import store_views

    readings: list[object] = []
    original = store_views.read_views
    monkeypatch.setattr(store_views, "read_views", lambda kg: readings.append(kg) or original(kg))
    for lang in ("en", "fr", "en"):
        answer = client.get("/api/match", query_string={"hub": XIAN, "lang": lang})
        assert answer.get_json()["candidates"][0]["hub"] == VENICE
    assert len(readings) == 1
    new = "https://w3id.org/l4a/id/hub/new-hub"
    assert client.get("/api/match", query_string={"hub": new}).status_code == 404
    assert len(readings) == 1
    # A write through the app publishes a new snapshot: the next request reads again.
    state = client.application.extensions["l4a"]
    with state.service.writing() as store:
        store.update(
            f"INSERT DATA {{ GRAPH <https://w3id.org/l4a/graph/synthetic> {{ <{new}> a "
            "l4a:Hub ; l4a:addressesGoal <http://metadata.un.org/sdg/17> } }"
        )
    answer = client.get("/api/match", query_string={"hub": new})
    assert answer.status_code == 200
    assert len(readings) == 2
    assert answer.get_json()["candidates"][0]["explanation"]["text"].startswith("shared goals: 17")


def test_every_written_term_is_declared_in_the_ontology(kg: KnowledgeGraph) -> None:
    from l4a_graph.analyses.feedback import Feedback, feedback_quads
    from l4a_graph.analyses.rdf import match_quads
    from l4a_graph.analyses.vocabulary import TERMS

    _, result = match_in(kg, hub=XIAN)
    quads = match_quads(result, "r") + feedback_quads(
        Feedback(XIAN, VENICE, "accepted"), iri="urn:f", when=result.created
    )
    l4a = "https://w3id.org/l4a/def#"
    used = {
        term.value.removeprefix(l4a)
        for q in quads
        for term in (q.predicate, q.object)
        if isinstance(term, NamedNode) and term.value.startswith(l4a)
    }
    assert used <= set(TERMS)
    declared = {
        s["t"].value.removeprefix(l4a)
        for s in kg.select(
            "SELECT ?t WHERE { GRAPH <https://w3id.org/l4a/graph/ontology> "
            "{ ?t rdfs:isDefinedBy <https://w3id.org/l4a/def> } }"
        )
    }
    assert used <= declared, f"not in ontology/l4a.ttl: {sorted(used - declared)}"


# -- stakeholders excluded at their request ----------------------------------------------------


def _brokers(kg: KnowledgeGraph, hub: str) -> set[str]:
    _, result = match_in(kg, hub=hub, top=50)
    return {b.iri for c in result.candidates for b in c.explanation.brokers}


def test_an_excluded_stakeholder_is_never_a_broker_nor_matched_for() -> None:
    """Found on a generated graph: a stakeholder brokering between HUBs, then excluded."""
    from l4a_graph.analyses.exclusions import GRAPH_EXCLUSIONS, excluded, set_excluded

    kg = KnowledgeGraph()
    kg.load_shipped()
    load_synthetic(kg, 120, seed=3)
    hubs = read_views(kg).views.hubs
    hub, broker = next((h, b) for h in hubs for b in sorted(_brokers(kg, h)))
    set_excluded(kg, broker)
    assert excluded(kg) == {broker}
    assert broker not in _brokers(kg, hub)
    with pytest.raises(UnknownEntityError, match="left out of matchmaking"):
        match_in(kg, lrg=broker)
    # Kept private, and reversible.
    assert GRAPH_EXCLUSIONS in kg.private.named_graphs()
    assert GRAPH_EXCLUSIONS not in kg.store.named_graphs()
    set_excluded(kg, broker, exclude=False)
    assert broker in _brokers(kg, hub)


def test_cli_match_exclude(runner: CliRunner) -> None:
    lead = "lorg:city-of-xian"
    result = runner.invoke(cli, ["match-exclude", "lorg:no-such-org"])
    assert result.exit_code != 0 and "no organisation" in result.output
    excluded_now = runner.invoke(cli, ["match-exclude", lead])
    assert excluded_now.exit_code == 0, excluded_now.output
    refused = runner.invoke(cli, ["match", "--lrg", lead])
    assert refused.exit_code != 0 and "left out of matchmaking" in refused.output
    assert runner.invoke(cli, ["match-exclude", "--undo", lead]).exit_code == 0
    assert runner.invoke(cli, ["match", "--lrg", lead]).exit_code == 0
