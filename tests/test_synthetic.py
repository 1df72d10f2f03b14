"""The synthetic generator: deterministic, labelled synthetic, realistic, apart from real data."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.cli import cli
from l4a_graph.formats import by_name
from l4a_graph.synthetic import (
    AS_OF,
    DATA_KIND_SYNTHETIC,
    TRIPLES_PER_HUB,
    generate,
    load_synthetic,
)

L4A = ns.L4A
SYNTHETIC_GRAPH = ox.NamedNode(ns.GRAPH_SYNTHETIC)
ONLY_SYNTHETIC = f'FILTER (STRSTARTS(STR(?h), "{ns.SYNTHETIC}"))'


def _bytes(hubs: int, seed: int, *, quads: bool = True) -> bytes:
    out = io.BytesIO()
    generate(hubs, seed, out, quads=quads)
    return out.getvalue()


@pytest.fixture(scope="module")
def world() -> Iterator[KnowledgeGraph]:
    """300 synthetic HUBs over the shipped reference data, in one store."""
    kg = KnowledgeGraph()
    kg.load_shipped()
    kg.store.load(_bytes(300, 42), by_name("nq"))
    yield kg
    kg.close()


def rows(kg: KnowledgeGraph, sparql: str) -> list[dict[str, str]]:
    result = kg.select(sparql)
    names = [v.value for v in result.variables]
    return [{n: r[n].value for n in names if r[n] is not None} for r in result]


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    assert _bytes(40, 7) == _bytes(40, 7)
    assert _bytes(40, 7) != _bytes(40, 8)


def test_everything_is_in_the_synthetic_graph_and_namespace() -> None:
    quads = list(ox.parse(_bytes(50, 1), ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads} == {SYNTHETIC_GRAPH}
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    assert subjects - {ns.GRAPH_SYNTHETIC} <= {s for s in subjects if s.startswith(ns.SYNTHETIC)}
    assert not [q for q in quads if isinstance(q.subject, ox.BlankNode)]


def test_n_triples_output_is_the_same_triples() -> None:
    quads = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(_bytes(20, 3), ox.RdfFormat.N_QUADS)
    ]
    triples = list(ox.parse(_bytes(20, 3, quads=False), ox.RdfFormat.N_TRIPLES))
    assert [ox.Triple(t.subject, t.predicate, t.object) for t in triples] == quads


def test_triples_per_hub_is_as_documented() -> None:
    out = io.BytesIO()
    summary = generate(2000, 5, out)
    assert summary.triples == out.getvalue().count(b"\n")
    assert abs(summary.triples / 2000 - TRIPLES_PER_HUB) < 0.1 * TRIPLES_PER_HUB


def test_every_hub_is_labelled_synthetic(world: KnowledgeGraph) -> None:
    hubs = rows(
        world,
        f"""SELECT ?h ?title ?kind WHERE {{
              GRAPH <{ns.GRAPH_SYNTHETIC}> {{ ?h a l4a:Hub ; dcterms:title ?title .
              OPTIONAL {{ ?h dcterms:type ?kind }} FILTER (lang(?title) = "en") }} }}""",
    )
    assert len(hubs) == 300
    assert all(h["kind"] == DATA_KIND_SYNTHETIC for h in hubs)
    assert all(h["title"].startswith("Synthetic HUB ") for h in hubs)


def test_links_point_at_real_reference_data(world: KnowledgeGraph) -> None:
    dangling = rows(
        world,
        f"""SELECT DISTINCT ?o WHERE {{
              GRAPH <{ns.GRAPH_SYNTHETIC}> {{ ?s ?p ?o }}
              FILTER (STRSTARTS(STR(?o), "{ns.BASE}") || STRSTARTS(STR(?o), "{ns.SDG}"))
              FILTER (!STRSTARTS(STR(?o), "{ns.SYNTHETIC}"))
              FILTER NOT EXISTS {{ GRAPH ?g {{ ?o ?q ?x }} FILTER (?g != <{ns.GRAPH_SYNTHETIC}>) }}
              FILTER (?o != <{DATA_KIND_SYNTHETIC}>)
            }}""",
    )
    assert dangling == []


def test_leads_are_lrgs_with_country_and_section(world: KnowledgeGraph) -> None:
    leads = rows(
        world,
        """SELECT ?h ?kind ?country ?section WHERE {
             ?h a l4a:Hub ; l4a:hasLead ?lead . ?lead a ?kind .
             OPTIONAL { ?lead l4a:country ?country } OPTIONAL { ?lead l4a:memberOfSection ?section }
             FILTER (?kind != l4a:Hub) """
        + ONLY_SYNTHETIC
        + "}",
    )
    kinds = {r["kind"].removeprefix(L4A) for r in leads}
    assert kinds <= {"LocalGovernment", "RegionalGovernment", "LRGAssociation"}
    assert all("country" in r and "section" in r for r in leads)


def test_goals_follow_targets(world: KnowledgeGraph) -> None:
    wrong = rows(
        world,
        """SELECT ?h WHERE { ?h a l4a:Hub .
             { ?h l4a:addressesTarget ?t . ?t skos:broader ?g
               FILTER NOT EXISTS { ?h l4a:addressesGoal ?g } }
             UNION
             { ?h l4a:addressesGoal ?g
               FILTER NOT EXISTS { ?h l4a:addressesTarget ?t . ?t skos:broader ?g } } """
        + ONLY_SYNTHETIC
        + "}",
    )
    assert wrong == []


def test_targets_are_skewed(world: KnowledgeGraph) -> None:
    counts = Counter(
        r["t"] for r in rows(world, "SELECT ?t WHERE { ?h a l4a:Hub ; l4a:addressesTarget ?t }")
    )
    top = counts.most_common()
    assert top[0][1] > 10 * top[len(top) // 2][1]


def test_stakeholders_are_shared(world: KnowledgeGraph) -> None:
    degrees = [
        int(r["n"])
        for r in rows(
            world,
            """SELECT ?o (COUNT(DISTINCT ?h) AS ?n) WHERE {
                 ?p a l4a:Participation ; org:member ?o ; org:organization ?h } GROUP BY ?o""",
        )
    ]
    assert max(degrees) >= 10
    assert sum(1 for d in degrees if d > 1) > len(degrees) / 10


def test_dates_stages_and_statuses_agree(world: KnowledgeGraph) -> None:
    hubs = rows(
        world,
        """SELECT ?h ?start ?end ?stage WHERE { ?h a l4a:Hub ;
             l4a:startDate ?start ; l4a:endDate ?end ; l4a:lifecycleStage ?stage """
        + ONLY_SYNTHETIC
        + "}",
    )
    assert len(hubs) == 300
    for hub in hubs:
        start, end = date.fromisoformat(hub["start"]), date.fromisoformat(hub["end"])
        assert 365 <= (end - start).days <= 3 * 366
        stage = hub["stage"].rsplit("/", 1)[1]
        if start > AS_OF:
            assert stage in {"call-for-proposals", "definition", "connection"}
        elif end < AS_OF:
            assert stage in {"closure", "new-stage"}
    deliverables = rows(
        world,
        """SELECT ?start ?end ?due ?status WHERE {
             ?h l4a:startDate ?start ; l4a:endDate ?end ; l4a:hasDeliverable ?d .
             ?d l4a:dueDate ?due ; l4a:monitoringStatus ?status """
        + ONLY_SYNTHETIC
        + "}",
    )
    for d in deliverables:
        due = date.fromisoformat(d["due"])
        assert d["start"] <= d["due"] <= d["end"]
        if d["status"].endswith("/completed"):
            assert due <= AS_OF


def test_each_hub_has_one_lead_participation(world: KnowledgeGraph) -> None:
    counts = rows(
        world,
        """SELECT ?h (COUNT(?p) AS ?n) WHERE {
             ?h a l4a:Hub ; l4a:hasLead ?lead ; l4a:hasParticipation ?p .
             ?p org:member ?lead ; org:role <https://w3id.org/l4a/id/role/lead> """
        + ONLY_SYNTHETIC
        + "} GROUP BY ?h",
    )
    assert len(counts) == 300
    assert {c["n"] for c in counts} == {"1"}


def test_load_replaces_only_the_synthetic_graph() -> None:
    kg = KnowledgeGraph()
    kg.load_shipped()
    before = kg.stats().graphs
    load_synthetic(kg, 30, 1)
    summary = load_synthetic(kg, 20, 2)
    after = kg.stats().graphs
    assert after.pop(ns.GRAPH_SYNTHETIC) == summary.triples
    assert after == before
    assert not [g for g in kg.store.named_graphs() if "staging" in g]


def test_cli_writes_a_file_or_loads_the_store(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "synthetic.nq"
    result = runner.invoke(cli, ["generate", "--hubs", "5", "--seed", "9", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == _bytes(5, 9)
    result = runner.invoke(cli, ["--memory", "generate", "--hubs", "5"])
    assert result.exit_code == 0, result.output
    assert "5 HUBs" in result.output
    result = runner.invoke(cli, ["generate", "--out", str(tmp_path / "x.ttl")])
    assert result.exit_code == 2
    assert ".nq" in result.output
