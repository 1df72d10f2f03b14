"""The same store tests on the embedded store and on a real ``oxigraph serve``.

``any_store`` (tests/conftest.py) runs each test twice: once embedded, once remote.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    parse_query_results,
)

from l4a_graph import KnowledgeGraph
from l4a_graph.cli import cli
from l4a_graph.errors import InputError, QueryError, StoreError
from l4a_graph.formats import FORMATS, Format, by_name
from l4a_graph.store.remote import RemoteStore, with_prefixes

TURTLE = """@prefix ex: <http://example.org/> .
ex:a ex:p "one"@en , "Bogotá \\"D.C.\\"\\nline"@es ; ex:q ex:b , _:x .
_:x ex:p "blank" .
"""
BROKEN = b"""@prefix ex: <http://example.org/> .
ex:a ex:p "one"@en .
ex:a ex:p "unterminated .
"""
NQUADS = b'<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:g1> .\n<urn:x:s> <urn:x:p> "1" <urn:x:g2> .\n'


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def remote(url: str, *, graph_store: bool = True) -> RemoteStore:
    return RemoteStore(
        f"{url}/query", f"{url}/update", f"{url}/store" if graph_store else None, timeout=30
    )


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_format_round_trips(any_store: KnowledgeGraph, tmp_path: Path, fmt: Format) -> None:
    any_store.load_files([write(tmp_path, "one.ttl", TURTLE)])
    out = io.BytesIO()
    any_store.export(out, fmt)
    any_store.store.drop_graph("https://w3id.org/l4a/graph/file/one")
    any_store.load_files([write(tmp_path, f"out.{fmt.extension}", out.getvalue())], graph="urn:x:g")
    assert any_store.store.count() == 5
    expected = ["https://w3id.org/l4a/graph/file/one"] if fmt.has_graphs else ["urn:x:g"]
    assert any_store.store.named_graphs() == expected
    rows = any_store.select('SELECT ?o WHERE { ?s ?p ?o FILTER (lang(?o) = "es") }')
    assert [r["o"] for r in rows] == [Literal('Bogotá "D.C."\nline', language="es")]


def test_named_graphs_and_union_queries(any_store: KnowledgeGraph, tmp_path: Path) -> None:
    any_store.load_files([write(tmp_path, "one.ttl", TURTLE), write(tmp_path, "two.nq", NQUADS)])
    assert any_store.store.named_graphs() == [
        "https://w3id.org/l4a/graph/file/one",
        "urn:x:g1",
        "urn:x:g2",
    ]
    assert any_store.store.count("urn:x:g1") == 1
    rows = any_store.select("SELECT ?o WHERE { <urn:x:s> <urn:x:p> ?o } ORDER BY ?o")
    assert len(list(rows)) == 2
    blank = any_store.select("SELECT ?b WHERE { ?b <http://example.org/p> 'blank' }")
    assert isinstance(next(iter(blank))["b"], BlankNode)


def test_result_types_are_the_embedded_ones(any_store: KnowledgeGraph) -> None:
    any_store.store.add([Quad(NamedNode("urn:x:s"), NamedNode("urn:x:p"), Literal("o"))])
    assert isinstance(any_store.query("SELECT * WHERE { ?s ?p ?o }"), QuerySolutions)
    triples = any_store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(triples, QueryTriples)
    assert len(list(triples)) == 1
    answer = any_store.query("ASK { ?s ?p 'o' }")
    assert isinstance(answer, QueryBoolean)
    assert bool(answer)


@pytest.mark.parametrize(
    ("default_graph", "named_graphs", "expected"),
    [
        (None, None, {("", "1"), ("", "2"), ("urn:x:g1", "1"), ("urn:x:g2", "2")}),
        (["urn:x:g1"], None, {("", "1")}),
        (None, ["urn:x:g2"], {("urn:x:g2", "2")}),
        (["urn:x:g1"], ["urn:x:g2"], {("", "1"), ("urn:x:g2", "2")}),
        ([], [], set()),
    ],
)
def test_protocol_dataset(
    any_store: KnowledgeGraph,
    default_graph: list[str] | None,
    named_graphs: list[str] | None,
    expected: set[tuple[str, str]],
) -> None:
    any_store.store.update(
        "INSERT DATA { GRAPH <urn:x:g1> { <urn:x:a> <urn:x:p> 1 } "
        "GRAPH <urn:x:g2> { <urn:x:a> <urn:x:p> 2 } }"
    )
    result = any_store.store.query(
        "SELECT ?g ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        default_graph=default_graph,
        named_graphs=named_graphs,
    )
    assert isinstance(result, QuerySolutions)
    got = {(r["g"].value if r["g"] else "", r["o"].value) for r in result}
    assert got == expected


def test_predeclared_prefixes(any_store: KnowledgeGraph) -> None:
    any_store.store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:h> a l4a:Hub } }")
    assert len(list(any_store.select("SELECT ?h WHERE { ?h a l4a:Hub }"))) == 1


def test_a_failed_load_changes_nothing(any_store: KnowledgeGraph, tmp_path: Path) -> None:
    good = write(tmp_path, "good.ttl", TURTLE)
    any_store.load_files([good])
    before = any_store.store.count()
    with pytest.raises(InputError, match=r"bad\.ttl:3:\d+: "):
        any_store.load_files([good, write(tmp_path, "bad.ttl", BROKEN)])
    assert any_store.store.count() == before
    assert any_store.store.named_graphs() == ["https://w3id.org/l4a/graph/file/good"]


def test_replace_graph_swaps_in_one_step(any_store: KnowledgeGraph) -> None:
    store = any_store.store
    store.update("INSERT DATA { GRAPH <urn:x:live> { <urn:x:a> <urn:x:p> 1 } }")
    store.update("INSERT DATA { GRAPH <urn:x:staging> { <urn:x:a> <urn:x:p> 2, 3 } }")
    store.replace_graph("urn:x:live", "urn:x:staging")
    assert store.named_graphs() == ["urn:x:live"]
    assert store.count("urn:x:live") == 2


def test_a_failing_update_writes_nothing(any_store: KnowledgeGraph) -> None:
    store = any_store.store
    store.update("INSERT DATA { GRAPH <urn:x:live> { <urn:x:a> <urn:x:p> 1 } }")
    # The second operation fails at run time (the graph exists): the first must not stay.
    with pytest.raises((QueryError, StoreError)):
        store.update(
            "DROP GRAPH <urn:x:live> ;"
            " INSERT DATA { GRAPH <urn:x:new> { <urn:x:a> <urn:x:p> 2 } } ;"
            " CREATE GRAPH <urn:x:new>"
        )
    assert store.named_graphs() == ["urn:x:live"]


def test_bindings_are_terms_not_text(any_store: KnowledgeGraph, tmp_path: Path) -> None:
    any_store.load_files([write(tmp_path, "one.ttl", TURTLE)])
    sparql = "SELECT ?o WHERE { ?s <http://example.org/q> ?o }"
    hostile = Literal('x" } UNION { ?s ?p ?o } #')
    assert list(any_store.select(sparql, {"s": hostile})) == []
    rows = any_store.select(sparql, {"s": NamedNode("http://example.org/a")})
    assert len(list(rows)) == 2


def test_export_keeps_graphs_or_writes_the_union(any_store: KnowledgeGraph) -> None:
    any_store.store.load(NQUADS, by_name("nq"))
    quads = io.BytesIO()
    any_store.export(quads, by_name("nq"))
    assert sorted(quads.getvalue().splitlines()) == sorted(NQUADS.splitlines())
    one = io.BytesIO()
    any_store.export(one, by_name("nt"), "urn:x:g2")
    assert one.getvalue() == b'<urn:x:s> <urn:x:p> "1" .\n'
    union = io.BytesIO()
    any_store.export(union, by_name("nt"))
    assert len(union.getvalue().splitlines()) == 2


def test_shipped_data_gives_the_same_stats(any_store: KnowledgeGraph) -> None:
    reference = KnowledgeGraph()
    reference.load_shipped()
    any_store.load_shipped()
    assert any_store.stats() == reference.stats()


def test_remote_jsonld_context_is_not_fetched(any_store: KnowledgeGraph, tmp_path: Path) -> None:
    doc = b'{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://e/a", "name": "x"}'
    with pytest.raises(InputError, match="remote context"):
        any_store.load_files([write(tmp_path, "remote.jsonld", doc)])
    assert any_store.store.is_empty()


def test_query_syntax_error_gives_line_and_column(any_store: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="1:25"):
        any_store.query("SELECT * WHERE { ?s ?p }")


# -- remote only ---------------------------------------------------------------------


@pytest.fixture
def server(oxigraph_server: str) -> Iterator[str]:
    """The session's server, emptied before and after the test."""
    remote(oxigraph_server).update("DROP SILENT ALL")
    yield oxigraph_server
    remote(oxigraph_server).update("DROP SILENT ALL")


def test_without_graph_store_uploads_are_insert_data(server: str, tmp_path: Path) -> None:
    kg = KnowledgeGraph(remote(server, graph_store=False))
    kg.load_files([write(tmp_path, "one.ttl", TURTLE), write(tmp_path, "two.nq", NQUADS)])
    assert kg.store.count() == 7
    assert kg.store.named_graphs() == [
        "https://w3id.org/l4a/graph/file/one",
        "urn:x:g1",
        "urn:x:g2",
    ]


def test_unreachable_endpoint_says_so() -> None:
    store = RemoteStore("http://127.0.0.1:9/query", timeout=5)
    with pytest.raises(StoreError, match=r"cannot reach .*127\.0\.0\.1:9.*is the server running"):
        store.count()


def test_wrong_path_is_a_store_error(server: str) -> None:
    with pytest.raises(StoreError, match="HTTP 404"):
        RemoteStore(f"{server}/nothing-here", timeout=5).count()


def test_read_only_without_update_endpoint(server: str) -> None:
    store = RemoteStore(f"{server}/query", timeout=5)
    assert store.is_empty()
    with pytest.raises(StoreError, match="--update-endpoint"):
        store.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")


def test_a_closed_store_refuses_work(server: str) -> None:
    store = remote(server)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count()


def test_union_default_graph_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server whose default graph hides the named graphs is refused, with advice."""
    store = RemoteStore("http://127.0.0.1:9/query")
    answers = {
        "ASK { GRAPH ?g { ?s ?p ?o } }": b'{"head": {}, "boolean": true}',
        "ASK { ?s ?p ?o }": b'{"head": {}, "boolean": false}',
    }

    def fake_query(sparql: str, **_: object) -> QueryBoolean:
        answer = parse_query_results(answers[sparql], QueryResultsFormat.JSON)
        assert isinstance(answer, QueryBoolean)
        return answer

    monkeypatch.setattr(store, "query", fake_query)
    with pytest.raises(StoreError, match="union-default-graph"):
        store.check_union_default_graph()


def test_cli_runs_on_the_remote_store(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("L4A_ENDPOINT", f"{server}/query")
    args = ["--update-endpoint", f"{server}/update", "--graph-store", f"{server}/store"]
    result = CliRunner().invoke(cli, [*args, "generate", "--hubs", "3"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["query", "SELECT (COUNT(*) AS ?n) { ?h a l4a:Hub }"])
    assert result.exit_code == 0, result.output
    assert "9" in result.output  # the six real HUBs and three synthetic ones


def test_prefix_declarations_keep_line_numbers() -> None:
    text = with_prefixes("SELECT *\nWHERE { ?h a l4a:Hub ; skos:prefLabel ?l }")
    assert text.count("\n") == 1
    assert text.startswith("PREFIX l4a: ")
    assert "PREFIX skos: " in text.splitlines()[0]
