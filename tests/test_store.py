"""The embedded store and the knowledge graph's loading: formats, atomicity, bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, QuerySolutions

from l4a_graph import KnowledgeGraph, journal
from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError, QueryError
from l4a_graph.formats import FORMATS, by_name, for_media_type, for_path
from l4a_graph.store import EmbeddedStore

TURTLE = b"""@prefix ex: <http://example.org/> .
ex:a ex:p "one"@en ; ex:q ex:b .
"""
BROKEN = b"""@prefix ex: <http://example.org/> .
ex:a ex:p "one"@en .
ex:a ex:p "unterminated .
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_graph_per_file_and_union_queries(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    empty_kg.load_files([write(tmp_path, "one.ttl", TURTLE)])
    assert empty_kg.store.named_graphs() == ["https://w3id.org/l4a/graph/file/one"]
    rows = list(
        empty_kg.select("SELECT ?o WHERE { <http://example.org/a> <http://example.org/p> ?o }")
    )
    assert [r["o"] for r in rows] == [Literal("one", language="en")]


def test_reloading_a_file_replaces_its_graph(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "one.ttl", TURTLE)
    empty_kg.load_files([path])
    path.write_bytes(b"<http://example.org/a> <http://example.org/p> <http://example.org/c> .")
    empty_kg.load_files([path])
    assert empty_kg.store.count() == 1


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_format_round_trips(empty_kg: KnowledgeGraph, tmp_path: Path, fmt) -> None:  # type: ignore[no-untyped-def]
    empty_kg.load_files([write(tmp_path, "one.ttl", TURTLE)])
    out = io.BytesIO()
    empty_kg.export(out, fmt)
    exported = write(tmp_path, f"out.{fmt.extension}", out.getvalue())
    again = KnowledgeGraph()
    again.load_files([exported], graph="urn:x:g")
    assert again.store.count() == 2
    if fmt.has_graphs:
        assert again.store.named_graphs() == ["https://w3id.org/l4a/graph/file/one"]
    parsed = rdflib.Dataset()
    parsed.parse(
        data=out.getvalue(),
        format={
            "ttl": "turtle",
            "nt": "nt",
            "nq": "nquads",
            "trig": "trig",
            "jsonld": "json-ld",
            "xml": "xml",
        }[fmt.name],
    )
    assert len(list(parsed.quads((None, None, None, None)))) == 2


def test_syntax_error_names_file_line_column_and_changes_nothing(
    store_dir: Path, tmp_path: Path
) -> None:
    good = write(tmp_path, "good.ttl", TURTLE)
    bad = write(tmp_path, "bad.ttl", BROKEN)
    with KnowledgeGraph.open(store_dir) as kg:
        kg.load_files([good])
        before = kg.store.count()
        with pytest.raises(InputError, match=r"bad\.ttl:3:\d+: "):
            kg.load_files([good, bad])
    with KnowledgeGraph.open(store_dir) as kg:
        assert kg.store.count() == before
        assert kg.store.named_graphs() == ["https://w3id.org/l4a/graph/file/good"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.ttl", b"", "the file is empty"),
        ("data.xyz", TURTLE, "unknown RDF format '.xyz'"),
        (
            "latin1.ttl",
            '<http://e/a> <http://e/p> "Bogotá" .'.encode("latin-1"),
            "bad.*UTF-8|UTF-8|utf-8|invalid",
        ),
    ],
)
def test_unreadable_input_is_refused(
    empty_kg: KnowledgeGraph, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        empty_kg.load_files([write(tmp_path, name, data)])
    assert empty_kg.store.is_empty()


def test_missing_file(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        empty_kg.load_files([tmp_path / "absent.ttl"])


def test_remote_jsonld_context_is_not_fetched(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    doc = b'{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://e/a", "name": "x"}'
    with pytest.raises(InputError, match="remote context"):
        empty_kg.load_files([write(tmp_path, "remote.jsonld", doc)])


def test_rdfxml_external_entity_is_refused(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    doc = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">
<rdf:Description rdf:about="http://e/a"><e:p>&x;</e:p></rdf:Description></rdf:RDF>"""
    with pytest.raises(InputError):
        empty_kg.load_files([write(tmp_path, "xxe.rdf", doc)])
    assert empty_kg.store.is_empty()


def test_folder_loads_its_rdf_files(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    write(tmp_path, "a.ttl", TURTLE)
    write(tmp_path, "b.nt", b"<http://e/x> <http://e/y> <http://e/z> .\n")
    write(tmp_path, "notes.txt", b"not rdf")
    empty_kg.load_files([tmp_path])
    assert empty_kg.store.count() == 3


def test_bindings_are_terms_not_text(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    empty_kg.load_files([write(tmp_path, "one.ttl", TURTLE)])
    sparql = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"
    hostile = Literal('x" } UNION { ?s ?p ?o } #')
    assert list(empty_kg.select(sparql, {"s": hostile})) == []
    rows = list(empty_kg.select(sparql, {"s": NamedNode("http://example.org/a")}))
    assert len(rows) == 1


def test_query_syntax_error() -> None:
    with pytest.raises(QueryError, match="1:25"):
        EmbeddedStore().query("SELECT * WHERE { ?s ?p }")


def test_staging_graphs_never_remain(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    empty_kg.load_files([write(tmp_path, "one.ttl", TURTLE)])
    with pytest.raises(InputError):
        empty_kg.load_files([write(tmp_path, "bad.ttl", BROKEN)])
    assert all("staging" not in g for g in empty_kg.store.named_graphs())


@pytest.mark.parametrize(
    ("bad_line", "error"),
    [
        (b"<http://e/a> <http://e/p> <relative> .", "No scheme"),
        (b"<http://e/a> <http://e/p> <http://e/a{b}> .", "Invalid IRI code point"),
        (b'<http://e/a> <http://e/p> "x"@en-toolongsubtag .', "subtag"),
    ],
)
def test_what_only_the_strict_check_refuses_changes_nothing(
    store_dir: Path, tmp_path: Path, bad_line: bytes, error: str
) -> None:
    """Files are loaded without Oxigraph's IRI and language-tag checks while another
    thread makes them: what only those checks refuse must still leave no trace."""
    good = b"".join(b"<http://e/s%d> <http://e/p> <http://e/o> .\n" % i for i in range(5000))
    old = write(tmp_path, "old.ttl", TURTLE)
    with KnowledgeGraph.open(store_dir) as kg:
        kg.load_files([old])
        before = sorted(map(str, kg.store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")))
        replacing = write(tmp_path, "old.nt", good)
        new = write(tmp_path, "new.nt", good + bad_line + b"\n")
        with pytest.raises(InputError, match=rf"new\.nt:5001:\d+: .*{error}"):
            kg.load_files([replacing, new])
    with KnowledgeGraph.open(store_dir) as kg:
        after = sorted(map(str, kg.store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")))
        assert after == before
        assert journal.pending(kg.private) == []
        assert not [g for g in kg.store.named_graphs() if g.startswith(ns.GRAPH_STAGING)]


def test_one_graph_from_files_of_two_formats(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    turtle = write(tmp_path, "a.ttl", TURTLE)
    triples = write(tmp_path, "b.nt", b"<http://e/x> <http://e/p> <http://e/y> .")
    for _ in range(2):  # new, then replaced: the graph holds both files each time
        empty_kg.load_files([turtle, triples], graph="urn:x:g")
        assert empty_kg.store.count("urn:x:g") == 3


def test_derived_triples_keep_their_blank_nodes() -> None:
    """A derived triple about a blank node is about that node, not a copy of it."""
    store = EmbeddedStore()
    store.load(b"_:b <http://e/p> <http://e/o> .", by_name("nt"), "urn:data")
    store.insert_where("?s <http://e/q> ?o", "GRAPH ?g { ?s <http://e/p> ?o }", "urn:inferred")
    joined = store.query(
        "ASK { GRAPH <urn:data> { ?s <http://e/p> ?o } "
        "GRAPH <urn:inferred> { ?s <http://e/q> ?o } }"
    )
    assert bool(joined)
    assert store.count("urn:inferred") == 1


def test_format_lookup() -> None:
    assert by_name("turtle").name == "ttl"
    assert for_path(Path("x.owl")).name == "xml"
    assert for_media_type("text/ttl; charset=utf-8") is not None
    assert for_media_type("text/html") is None
    with pytest.raises(InputError):
        by_name("yaml")


def test_count_and_select(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    empty_kg.load_files([write(tmp_path, "one.ttl", TURTLE)], graph="urn:x:g")
    assert empty_kg.store.count("urn:x:g") == 2
    assert isinstance(empty_kg.query("SELECT * WHERE { ?s ?p ?o }"), QuerySolutions)
    with pytest.raises(InputError):
        empty_kg.select("ASK { ?s ?p ?o }")


def test_jsonld_goes_into_the_chosen_graph(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    doc = b'{"@id": "http://example.org/a", "http://example.org/p": "x"}'
    empty_kg.load_files([write(tmp_path, "one.jsonld", doc)], graph="urn:x:g")
    assert empty_kg.store.named_graphs() == ["urn:x:g"]
    assert empty_kg.store.count("urn:x:g") == 1
