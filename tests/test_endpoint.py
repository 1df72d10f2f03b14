"""The SPARQL endpoint: protocol, formats, graph store, safety, limits and real clients.

Most tests use the Flask test client on a fresh app; the client and time-limit tests run
``l4a serve`` (waitress) in a subprocess on a free 127.0.0.1 port. Every answer is read
back with a parser that is not ours: rdflib for RDF and SPARQL JSON/XML results, the
csv module for CSV and TSV, compared with what Oxigraph's own serializers produce.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic
from rdflib.query import Result
from rdflib.util import from_n3
from werkzeug.test import TestResponse

from l4a_graph import KnowledgeGraph
from l4a_graph.cli import cli
from l4a_graph.errors import QueryError
from l4a_graph.formats import by_name
from l4a_graph.namespaces import PREFIXES
from l4a_graph.web import SETTINGS, create_app, resolve_settings
from l4a_graph.web.operations import count_query, read_update
from l4a_graph.web.safety import check_fetches, dataset_clause
from recorder import ROW, Recorder

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-write-token-0123456789"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
L4AS = rdflib.Namespace("https://w3id.org/l4a/service#")
XSD = "http://www.w3.org/2001/XMLSchema#"

Q_SELECT = """SELECT ?hub ?title ?start WHERE {
  ?hub a l4a:Hub ; dcterms:title ?title .
  OPTIONAL { ?hub l4a:startDate ?start }
} ORDER BY ?hub ?title"""
Q_TRICKY = r"""SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) {
  ("quote \" comma , semicolon ; tab \t newline \n return \r backslash \\ <&> '" <urn:x> 1)
  ("caf\u00e9 \u6771\u4eac"@fr "2024-01-02"^^xsd:date 1.5)
  (UNDEF "" "x"^^<urn:custom>)
} }"""
Q_CONSTRUCT = "CONSTRUCT { ?hub ?p ?o } WHERE { ?hub a l4a:Hub ; ?p ?o }"
Q_CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

TABULAR = {  # format name -> (Accept, media type of the answer, rdflib parser)
    "json": ("application/sparql-results+json", "application/sparql-results+json", "json"),
    "xml": ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    "csv": ("text/csv", "text/csv", None),
    "tsv": ("text/tab-separated-values", "text/tab-separated-values", None),
}
GRAPHS = {  # format name -> (Accept, media type of the answer, rdflib format)
    "turtle": ("text/turtle", "text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "application/n-triples", "nt"),
    "rdfxml": ("application/rdf+xml", "application/rdf+xml", "xml"),
    "jsonld": ("application/ld+json", "application/ld+json", "json-ld"),
}


# -- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def clean_environment() -> Iterator[None]:
    """No L4A_* setting from the developer's shell leaks into the apps under test."""
    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env, raising=False)
        yield


def make_app(kg: KnowledgeGraph, **config: Any) -> Flask:
    config.setdefault("rate_limit", "")
    config.setdefault("query_workers", 2)
    return create_app(kg, config)


def close(app: Flask) -> None:
    app.extensions["l4a"].service.close()


@pytest.fixture(scope="module")
def shipped(clean_environment: None) -> Iterator[KnowledgeGraph]:
    """What `l4a serve` serves from an empty store: the shipped data and its entailments."""
    kg = KnowledgeGraph()
    kg.load_shipped(reason=True)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def app(shipped: KnowledgeGraph) -> Iterator[Flask]:
    """A read-only-by-token app over the shipped data, shared by the tests that only read."""
    application = make_app(shipped)
    yield application
    close(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def writable(kg: KnowledgeGraph) -> Iterator[Flask]:
    """A fresh app over a fresh copy of the shipped data, with a write token."""
    application = make_app(kg, write_token=TOKEN)
    yield application
    close(application)


@pytest.fixture
def small_app(kg: KnowledgeGraph) -> Iterator[Flask]:
    application = make_app(kg, max_rows=5, max_body_bytes=2000, max_query_chars=300)
    yield application
    close(application)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sparql(
    client: FlaskClient, query: str, accept: str | None = None, **params: Any
) -> TestResponse:
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


# -- independent readers ----------------------------------------------------------------


def oxigraph_rows(kg: KnowledgeGraph, query: str) -> set[tuple[Any, ...]]:
    """The expected rows: Oxigraph's own JSON serialization, read by rdflib."""
    result = kg.query(query)
    assert isinstance(result, ox.QuerySolutions)
    data = result.serialize(format=ox.QueryResultsFormat.JSON)
    return rows_of(Result.parse(io.BytesIO(data), format="json"))


def rows_of(result: Result) -> set[tuple[Any, ...]]:
    return {tuple(row) for row in result}  # type: ignore[arg-type]


def read_table(data: bytes, fmt: str) -> set[tuple[Any, ...]]:
    """Rows of a SPARQL result in ``fmt``, read by rdflib (JSON, XML) or csv (CSV, TSV)."""
    if fmt in ("json", "xml"):
        return rows_of(Result.parse(io.BytesIO(data), format=fmt))
    text = data.decode("utf-8")
    if fmt == "csv":
        lines = list(csv.reader(io.StringIO(text, newline="")))
        assert text.endswith("\r\n") or not lines[1:]
        return {tuple(line) for line in lines[1:]}
    lines = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(name.startswith("?") for name in lines[0])
    return {tuple(from_n3(cell) if cell else None for cell in line) for line in lines[1:]}


def as_csv(rows: set[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    """What CSV keeps of rdflib terms: the bare lexical form; unbound is empty (W3C)."""
    return {tuple("" if t is None else str(t) for t in row) for row in rows}


def as_tsv(rows: set[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    """rdflib terms as TSV gives them back: numbers keep their value, not their spelling."""
    return {tuple(None if t is None else from_n3(t.n3()) for t in row) for row in rows}


def oxigraph_graph(kg: KnowledgeGraph, query: str) -> rdflib.Graph:
    result = kg.query(query)
    assert isinstance(result, ox.QueryTriples)
    data = result.serialize(format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def read_graph(data: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=data, format=fmt)


# -- the query protocol -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", TABULAR)
@pytest.mark.parametrize("query", [Q_SELECT, Q_TRICKY], ids=["hubs", "tricky-literals"])
def test_select_in_every_format_parses_back(
    client: FlaskClient, shipped: KnowledgeGraph, fmt: str, query: str
) -> None:
    accept, media_type, _ = TABULAR[fmt]
    response = sparql(client, query, accept)
    assert response.status_code == 200, response.text
    assert response.mimetype == media_type
    expected = oxigraph_rows(shipped, query)
    if fmt == "csv":
        expected = as_csv(expected)
    elif fmt == "tsv":
        expected = as_tsv(expected)
    assert read_table(response.data, fmt) == expected
    assert response.headers["L4A-Truncated"] == "false"


@pytest.mark.parametrize("fmt", TABULAR)
def test_ask_in_every_format(client: FlaskClient, fmt: str) -> None:
    for query, value in (("ASK { ?h a l4a:Hub }", True), ("ASK { ?h a <urn:none> }", False)):
        response = sparql(client, query, TABULAR[fmt][0])
        assert response.status_code == 200
        if fmt in ("json", "xml"):
            assert Result.parse(io.BytesIO(response.data), format=fmt).askAnswer is value
        else:
            assert list(csv.reader(io.StringIO(response.text))) == [[str(value).lower()]]


@pytest.mark.parametrize("fmt", GRAPHS)
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_graph_results_in_every_format_parse_back(
    client: FlaskClient, shipped: KnowledgeGraph, fmt: str, form: str
) -> None:
    query = Q_CONSTRUCT if form == "CONSTRUCT" else "DESCRIBE hub:bilbao-city-of-values"
    accept, media_type, rdflib_format = GRAPHS[fmt]
    response = sparql(client, query, accept)
    assert response.status_code == 200, response.text
    assert response.mimetype == media_type
    graph = read_graph(response.data, rdflib_format)
    assert len(graph) > 10
    assert isomorphic(graph, oxigraph_graph(shipped, query))


def test_post_form_and_post_direct_answer_like_get(client: FlaskClient) -> None:
    get = sparql(client, Q_SELECT)
    form = client.post("/sparql", data={"query": Q_SELECT})
    direct = client.post(
        "/sparql", data=Q_SELECT.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert get.status_code == form.status_code == direct.status_code == 200
    assert read_table(get.data, "json") == read_table(form.data, "json")
    assert read_table(get.data, "json") == read_table(direct.data, "json")


@pytest.mark.parametrize(
    ("params", "fmt"),
    [
        ({"format": "csv"}, "csv"),
        ({"format": "text/tab-separated-values"}, "tsv"),
        ({"output": "xml"}, "xml"),
        ({"format": ["tsv", "text/tab-separated-values"]}, "tsv"),  # as SPARQLWrapper sends it
    ],
)
def test_format_parameter_overrides_accept(
    client: FlaskClient, params: dict[str, Any], fmt: str
) -> None:
    response = sparql(
        client, "SELECT ?x { VALUES ?x { 1 } }", "application/sparql-results+json", **params
    )
    assert response.status_code == 200
    assert response.mimetype == TABULAR[fmt][1]


def test_format_json_means_json_ld_for_graphs(client: FlaskClient) -> None:
    response = sparql(client, Q_CONSTRUCT, format="json")
    assert response.mimetype == "application/ld+json"
    assert len(read_graph(response.data, "json-ld")) > 10


def test_defaults_without_accept(client: FlaskClient) -> None:
    assert sparql(client, "ASK {}").mimetype == "application/sparql-results+json"
    assert sparql(client, Q_CONSTRUCT).mimetype == "text/turtle"
    assert sparql(client, Q_CONSTRUCT, "*/*").mimetype == "text/turtle"


def test_tolerated_media_types(client: FlaskClient) -> None:
    assert sparql(client, "ASK {}", "application/json").mimetype == (
        "application/sparql-results+json"
    )
    assert sparql(client, Q_CONSTRUCT, "text/ttl").mimetype == "text/turtle"
    assert sparql(client, Q_CONSTRUCT, "text/plain").mimetype == "application/n-triples"


@pytest.mark.parametrize(
    ("query", "accept", "params"),
    [
        ("ASK {}", "image/png", {}),
        (Q_CONSTRUCT, "application/sparql-results+json", {}),
        ("ASK {}", "text/turtle", {}),
        ("ASK {}", None, {"format": "yaml"}),
        (Q_CONSTRUCT, None, {"format": "csv"}),
    ],
)
def test_unacceptable_answers_406(
    client: FlaskClient, query: str, accept: str | None, params: dict[str, str]
) -> None:
    response = sparql(client, query, accept, **params)
    assert response.status_code == 406
    assert "available" in response.text


def test_syntax_error_is_400_with_line_and_column(client: FlaskClient) -> None:
    response = sparql(client, "SELECT * WHERE {\n  ?s ?p }")
    assert response.status_code == 400
    assert "line 2, column 10" in response.text  # where Oxigraph stopped, just past the `}`
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("request_args", "status"),
    [
        ({"method": "GET", "query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ({"method": "GET", "query_string": {"query": "  "}}, 400),
        ({"method": "GET", "query_string": {"update": "CLEAR ALL"}}, 400),
        ({"method": "POST", "data": b"ASK {}", "content_type": "text/plain"}, 415),
        ({"method": "POST", "data": b"", "content_type": "application/x-www-form-urlencoded"}, 400),
        ({"method": "POST", "data": b"\xff\xfe", "content_type": "application/sparql-query"}, 400),
        (
            {"method": "GET", "query_string": {"query": "ASK {}", "default-graph-uri": "no iri"}},
            400,
        ),
        ({"method": "DELETE"}, 405),
    ],
)
def test_malformed_requests(client: FlaskClient, request_args: dict[str, Any], status: int) -> None:
    response = client.open("/sparql", **request_args)
    assert response.status_code == status, response.text
    assert response.mimetype == "text/plain"


def test_errors_as_problem_json_when_json_is_preferred(client: FlaskClient) -> None:
    response = sparql(client, "SELECT", "application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json is not None
    assert response.json["status"] == 400
    assert "line 1" in response.json["detail"]


def test_unknown_route_is_404_without_trace(client: FlaskClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Traceback" not in response.text


def test_a_bug_becomes_500_with_an_incident_id_only(
    client: FlaskClient,
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(app.extensions["l4a"].service, "query", broken)
    response = sparql(client, "ASK {}")
    assert response.status_code == 500
    assert "secret" not in response.text and "Traceback" not in response.text
    incident = re.search(r"incident ([0-9a-f]{12})", response.text)
    assert incident is not None
    assert incident.group(1) in caplog.text and "secret internal detail" in caplog.text


# -- the dataset ------------------------------------------------------------------------

BILBAO = "https://w3id.org/l4a/graph/hub/bilbao-city-of-values"
XIAN = "https://w3id.org/l4a/graph/hub/xian-youth-education-dialogue"
HUBS = "SELECT ?hub WHERE { ?hub a l4a:Hub }"


def hubs(response: TestResponse) -> set[str]:
    assert response.status_code == 200, response.text
    return {str(row[0]) for row in read_table(response.data, "json")}


def test_default_graph_uri_and_named_graph_uri(client: FlaskClient) -> None:
    assert len(hubs(sparql(client, HUBS))) == 6
    only = hubs(sparql(client, HUBS, **{"default-graph-uri": BILBAO}))
    assert only == {"https://w3id.org/l4a/id/hub/bilbao-city-of-values"}
    two = hubs(sparql(client, HUBS, **{"default-graph-uri": [BILBAO, XIAN]}))
    assert len(two) == 2
    named = "SELECT ?hub WHERE { GRAPH ?g { ?hub a l4a:Hub } }"
    assert len(hubs(sparql(client, named, **{"named-graph-uri": XIAN}))) == 1
    # named-graph-uri alone leaves the default graph empty, as the protocol says.
    assert hubs(sparql(client, HUBS, **{"named-graph-uri": XIAN})) == set()


def test_from_and_from_named_in_the_query_are_honoured(client: FlaskClient) -> None:
    assert len(hubs(sparql(client, f"SELECT ?hub FROM <{BILBAO}> WHERE {{ ?hub a l4a:Hub }}"))) == 1
    query = f"SELECT ?hub FROM NAMED <{XIAN}> WHERE {{ GRAPH ?g {{ ?hub a l4a:Hub }} }}"
    assert len(hubs(sparql(client, query))) == 1
    # The protocol parameters override FROM.
    query = f"SELECT ?hub FROM <{BILBAO}> WHERE {{ ?hub a l4a:Hub }}"
    assert "xian" in next(iter(hubs(sparql(client, query, **{"default-graph-uri": XIAN}))))


def test_dataset_clause_reading() -> None:
    assert dataset_clause("BASE <https://w3id.org/l4a/> SELECT * FROM <graph/x> {}") == (
        ["https://w3id.org/l4a/graph/x"],
        [],
    )
    assert dataset_clause("PREFIX g: <urn:g:> SELECT * FROM NAMED g:a FROM g:b {}") == (
        ["urn:g:b"],
        ["urn:g:a"],
    )
    assert dataset_clause("SELECT * { ?s ?p ?o } # FROM <urn:a>") is None


# -- limits -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TABULAR)
def test_row_limit_cuts_and_says_so(small_app: Flask, fmt: str) -> None:
    client = small_app.test_client()
    query = "SELECT ?x { VALUES ?x { 1 2 3 4 5 6 7 } }"
    response = sparql(client, query, TABULAR[fmt][0])
    assert response.headers["L4A-Truncated"] == "true"
    assert response.headers["L4A-Result-Limit"] == "5"
    assert len(read_table(response.data, fmt)) == 5
    exact = sparql(client, "SELECT ?x { VALUES ?x { 1 2 3 4 5 } }", TABULAR[fmt][0])
    assert exact.headers["L4A-Truncated"] == "false"
    assert len(read_table(exact.data, fmt)) == 5


def test_row_limit_on_graphs(small_app: Flask) -> None:
    response = sparql(small_app.test_client(), Q_CONSTRUCT, "application/n-triples")
    assert response.headers["L4A-Truncated"] == "true"
    assert len(read_graph(response.data, "nt")) == 5


def test_body_and_query_length_limits(small_app: Flask) -> None:
    client = small_app.test_client()
    padding = "#" + "x" * 3000 + "\nASK {}"
    response = client.post("/sparql", data={"query": padding})
    assert response.status_code == 413
    response = sparql(client, "ASK {} #" + "x" * 400)
    assert response.status_code == 413
    assert "300 characters" in response.text


def test_large_results_stream_from_a_spool_file(
    client: FlaskClient, shipped: KnowledgeGraph
) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    response = client.get("/sparql", query_string={"query": query}, buffered=False)
    assert response.is_streamed
    assert int(response.headers["Content-Length"]) > 1 << 20
    body = b"".join(response.response)  # type: ignore[arg-type]
    response.close()
    rows = list(Result.parse(io.BytesIO(body), format="json"))
    assert len(rows) == len(list(shipped.select(query)))


# -- the service description and the page -----------------------------------------------


def test_service_description(client: FlaskClient, shipped: KnowledgeGraph) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = read_graph(response.data, "turtle")
    service = rdflib.URIRef("http://localhost/sparql")
    assert (service, rdflib.RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # no token here
    assert len(set(graph.objects(service, SD.resultFormat))) == 8
    names = {str(n) for n in graph.objects(None, SD.name)}
    assert names == set(shipped.store.named_graphs())
    assert graph.value(service, L4AS.timeLimit).toPython() == 30
    assert graph.value(service, L4AS.resultRowLimit).toPython() == 100_000
    void = rdflib.URIRef("http://localhost/.well-known/void")
    assert (None, rdflib.RDFS.seeAlso, void) in graph
    for fmt, (accept, _, rdflib_format) in GRAPHS.items():
        other = client.get("/sparql", headers={"Accept": accept})
        assert isomorphic(read_graph(other.data, rdflib_format), graph), fmt


def test_browsers_get_a_page(client: FlaskClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<form" in response.text and 'name="query"' in response.text


# -- CORS -------------------------------------------------------------------------------


def test_cors_on_reads_only(client: FlaskClient) -> None:
    origin = {"Origin": "https://example.org"}
    assert sparql(client, "ASK {}", **{}).headers.get("Access-Control-Allow-Origin") == "*"
    preflight = client.options(
        "/sparql", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    data = client.options("/data", headers={**origin, "Access-Control-Request-Method": "PUT"})
    assert data.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    update = client.options("/update", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in update.headers
    assert "L4A-Truncated" in sparql(client, "ASK {}").headers["Access-Control-Expose-Headers"]


def test_cors_with_listed_origins(kg: KnowledgeGraph) -> None:
    app = make_app(kg, cors_origins="https://a.example, https://b.example")
    try:
        client = app.test_client()
        good = client.get("/health", headers={"Origin": "https://b.example"})
        assert good.headers["Access-Control-Allow-Origin"] == "https://b.example"
        assert "Origin" in good.headers["Vary"]
        bad = client.get("/health", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in bad.headers
    finally:
        close(app)


# -- rate limit and access log ----------------------------------------------------------


def test_rate_limit_per_client(kg: KnowledgeGraph) -> None:
    app = make_app(kg, rate_limit="3 per minute")
    try:
        client = app.test_client()
        statuses = [sparql(client, "ASK {}").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = sparql(client, "ASK {}")
        assert "Retry-After" in limited.headers and "Traceback" not in limited.text
        other = app.test_client()
        other_client = other.get(
            "/sparql", query_string={"query": "ASK {}"}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
        )
        assert other_client.status_code == 200
        assert client.get("/health").status_code == 200  # exempt
    finally:
        close(app)


def test_access_log_is_json_lines_without_secrets(
    writable: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = writable.test_client()
    with caplog.at_level(logging.INFO, logger="l4a_graph.web.access"):
        response = sparql(client, "SELECT ?x { VALUES ?x { 1 2 } }")
        response.close()
        client.post(
            "/update",
            data="INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
            headers={**auth(), "Content-Type": "application/sparql-update"},
        ).close()
        client.post("/update", data="CLEAR ALL", headers=auth("wrong-token-xxxxxxxxxx")).close()
    entries = [json.loads(r.message) for r in caplog.records if r.name == "l4a_graph.web.access"]
    assert [e["status"] for e in entries] == [200, 204, 403]
    first = entries[0]
    assert first["path"] == "/sparql" and first["rows"] == 2 and first["form"] == "solutions"
    assert first["query"].startswith("SELECT") and first["ms"] >= 0
    assert TOKEN not in caplog.text and "wrong-token" not in caplog.text


# -- writes: /update --------------------------------------------------------------------

INSERT = "INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:p> 'v' } }"
ASK_INSERTED = "ASK { <urn:test:a> <urn:test:p> 'v' }"


def asks(client: FlaskClient, query: str) -> bool:
    response = sparql(client, query)
    assert response.status_code == 200, response.text
    return bool(response.json and response.json["boolean"])


def post_update(
    client: FlaskClient, text: str, headers: dict[str, str] | None = None
) -> TestResponse:
    return client.post(
        "/update",
        data=text.encode(),
        headers={"Content-Type": "application/sparql-update", **(headers or {})},
    )


def test_update_with_the_token_is_visible_to_queries(writable: Flask) -> None:
    client = writable.test_client()
    assert not asks(client, ASK_INSERTED)
    response = post_update(client, INSERT, auth())
    assert response.status_code == 204 and "Content-Type" not in response.headers
    assert asks(client, ASK_INSERTED)
    form = client.post("/update", data={"update": "DROP GRAPH <urn:test:g>"}, headers=auth())
    assert form.status_code == 204
    assert not asks(client, ASK_INSERTED)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        ({"Authorization": "Bearer "}, 401),
        (auth("not-the-token-0123456789"), 403),
        (auth(TOKEN + "x"), 403),
        (auth(TOKEN[:-1]), 403),
    ],
)
def test_update_refused_without_the_right_token(
    writable: Flask, headers: dict[str, str], status: int
) -> None:
    client = writable.test_client()
    response = post_update(client, INSERT, headers)
    assert response.status_code == status
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not asks(client, ASK_INSERTED)


def test_update_refused_when_no_token_is_configured(app: Flask) -> None:
    client = app.test_client()
    response = post_update(client, INSERT, auth())
    assert response.status_code == 403 and "configured no token" in response.text
    assert not asks(client, ASK_INSERTED)


def test_read_only_refuses_every_write(kg: KnowledgeGraph) -> None:
    app = make_app(kg, read_only=True, write_token=TOKEN)
    try:
        client = app.test_client()
        assert post_update(client, INSERT, auth()).status_code == 403
        put = client.put(
            "/data?graph=urn:test:g",
            data=b"<urn:a> <urn:b> <urn:c> .",
            headers=auth(),
            content_type="application/n-triples",
        )
        assert put.status_code == 405 and "GET" in put.headers["Allow"]
        delete = client.delete(f"/data?graph={urllib.parse.quote(BILBAO)}", headers=auth())
        assert delete.status_code == 405
        assert not asks(client, ASK_INSERTED)
        assert asks(client, f"ASK {{ GRAPH <{BILBAO}> {{ ?s ?p ?o }} }}")
    finally:
        close(app)


def test_update_errors(writable: Flask) -> None:
    client = writable.test_client()
    bad = post_update(client, "INSERT DATA {\n <urn:a> <urn:b> }", auth())
    assert bad.status_code == 400 and "line 2" in bad.text
    where = post_update(client, "INSERT { ?s ?p ?o }\nWHERE {\n  ?s ?p ?o ?x }", auth())
    assert where.status_code == 400 and "line 3, column" in where.text, where.text
    assert client.get("/update").status_code == 405
    assert post_update(client, "  ", auth()).status_code == 400


# -- /update: the dataset parameters, and the preflight ---------------------------------

UPDATE_DATA = """INSERT DATA {
  GRAPH <urn:t:g1> { <urn:t:a> <urn:t:p> 1 . <urn:t:b> <urn:t:p> 2 }
  GRAPH <urn:t:g2> { <urn:t:a> <urn:t:q> <urn:t:b> . <urn:t:c> <urn:t:p> 3 }
  <urn:t:d> <urn:t:p> 4
}"""


@pytest.fixture
def small_writable(empty_kg: KnowledgeGraph) -> Iterator[Flask]:
    """A writable app over :data:`UPDATE_DATA`: two graphs and a default graph."""
    empty_kg.store.update(UPDATE_DATA)
    application = make_app(empty_kg, write_token=TOKEN)
    yield application
    close(application)


def quads_of(app: Flask) -> set[str]:
    """The app's public store as N-Quads lines."""
    out = io.BytesIO()
    app.extensions["l4a"].kg.store.dump(out, by_name("nq"))
    return set(out.getvalue().decode().splitlines())


def after_explicit(before: set[str], update: str) -> set[str]:
    """What Oxigraph makes of ``before`` with ``update``, outside the endpoint."""
    store = ox.Store()
    store.load("\n".join(before).encode(), format=ox.RdfFormat.N_QUADS)
    store.update(update, prefixes=PREFIXES)
    return set(store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())


def post_with_dataset(
    client: FlaskClient, text: str, default: list[str], named: list[str]
) -> TestResponse:
    params = [("using-graph-uri", g) for g in default]
    params += [("using-named-graph-uri", g) for g in named]
    return client.post(
        "/update",
        data=text.encode(),
        query_string=params,
        headers={**auth(), "Content-Type": "application/sparql-update"},
    )


DATASET_CASES = [
    (
        "INSERT { GRAPH <urn:t:out> { ?s ?p ?o } } WHERE { ?s ?p ?o }",
        ["urn:t:g1"],
        [],
        "INSERT { GRAPH <urn:t:out> { ?s ?p ?o } } USING <urn:t:g1> WHERE { ?s ?p ?o }",
    ),
    (
        "INSERT { GRAPH <urn:t:out> { ?s ?p ?o } } WHERE { ?s ?p ?o . ?s <urn:t:q> ?x }",
        ["urn:t:g1", "urn:t:g2"],
        [],
        "INSERT { GRAPH <urn:t:out> { ?s ?p ?o } } USING <urn:t:g1> USING <urn:t:g2> "
        "WHERE { ?s ?p ?o . ?s <urn:t:q> ?x }",
    ),
    (
        "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH <urn:t:out> { ?s ?p ?g } }\n"
        "WHERE { GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s ?p ?x } }",
        ["urn:t:g1"],
        ["urn:t:g2"],
        "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH <urn:t:out> { ?s ?p ?g } }\n"
        "USING <urn:t:g1> USING NAMED <urn:t:g2> "
        "WHERE { GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s ?p ?x } }",
    ),
    (
        "DELETE WHERE { GRAPH ?g { ?s <urn:t:p> ?o } }",
        [],
        ["urn:t:g2"],
        "DELETE { GRAPH ?g { ?s <urn:t:p> ?o } } USING NAMED <urn:t:g2> "
        "WHERE { GRAPH ?g { ?s <urn:t:p> ?o } }",
    ),
    (
        "PREFIX t: <urn:t:> BASE <urn:t:> # a comment with WHERE { and USING\n"
        "INSERT DATA { GRAPH t:out { t:x t:p '} WHERE {' } } ;\n"
        "DELETE { GRAPH t:g1 { ?s t:p ?o } } WHERE { ?s t:p ?o FILTER(?o > 1) } ;\n"
        "INSERT { GRAPH <out> { ?s t:r ?o } } WHERE { ?s <q> ?o } ;",
        ["urn:t:g1", "urn:t:g2"],
        [],
        "PREFIX t: <urn:t:> BASE <urn:t:> INSERT DATA { GRAPH t:out { t:x t:p '} WHERE {' } } ;\n"
        "DELETE { GRAPH t:g1 { ?s t:p ?o } } USING t:g1 USING t:g2 "
        "WHERE { ?s t:p ?o FILTER(?o > 1) } ;\n"
        "INSERT { GRAPH <out> { ?s t:r ?o } } USING t:g1 USING t:g2 WHERE { ?s <q> ?o }",
    ),
]


@pytest.mark.parametrize(("text", "default", "named", "explicit"), DATASET_CASES)
def test_using_graph_uri_parameters_act_as_using_clauses(
    small_writable: Flask, text: str, default: list[str], named: list[str], explicit: str
) -> None:
    client = small_writable.test_client()
    before = quads_of(small_writable)
    expected = after_explicit(before, explicit)
    assert expected != before, "the case should change something"
    response = post_with_dataset(client, text, default, named)
    assert response.status_code == 204, response.text
    assert quads_of(small_writable) == expected


_GRAPHS = ["urn:t:g1", "urn:t:g2", "urn:t:none", "urn:t:out"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shortcut=st.booleans(),
    template=st.sampled_from(
        [
            "INSERT { GRAPH <urn:t:out> { ?s ?p ?o } }",
            "DELETE { GRAPH <urn:t:g1> { ?s ?p ?o } }",
            "DELETE { ?s ?p ?o } INSERT { GRAPH <urn:t:out> { ?o ?p ?s } }",
        ]
    ),
    pattern=st.sampled_from(
        [
            "{ ?s ?p ?o }",
            "{ GRAPH ?g { ?s <urn:t:p> ?o } }",
            "{ GRAPH <urn:t:g2> { ?s ?p ?o } }",
            "{ ?s <urn:t:p> ?o . GRAPH ?g { ?s ?p ?x } }",
        ]
    ),
    default=st.lists(st.sampled_from(_GRAPHS), max_size=2),
    named=st.lists(st.sampled_from(_GRAPHS), max_size=2),
)
def test_dataset_parameters_property(
    small_writable: Flask,
    shortcut: bool,
    template: str,
    pattern: str,
    default: list[str],
    named: list[str],
) -> None:
    """Property: with any parameters, the store ends as with the same USING clauses."""
    using = " ".join([*(f"USING <{g}>" for g in default), *(f"USING NAMED <{g}>" for g in named)])
    if shortcut:
        text, explicit = f"DELETE WHERE {pattern}", f"DELETE {pattern} {using} WHERE {pattern}"
    else:
        text, explicit = f"{template} WHERE {pattern}", f"{template} {using} WHERE {pattern}"
    before = quads_of(small_writable)
    response = post_with_dataset(small_writable.test_client(), text, default, named)
    assert response.status_code == 204, response.text
    assert quads_of(small_writable) == after_explicit(before, explicit)


@pytest.mark.parametrize(
    ("text", "default", "named", "message"),
    [
        ("INSERT { ?s ?p ?o } USING <urn:t:g1> WHERE { ?s ?p ?o }", ["urn:t:g2"], [], "not both"),
        ("WITH <urn:t:g1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [], ["urn:t:g2"], "not both"),
        ("DELETE WHERE { ?s ?p ?o }", ["no iri"], [], "absolute IRI"),
        ("DELETE WHERE { ?s ?p ?o }", ["urn:x> } ; DROP ALL ; INSERT { <urn:x"], [], "IRI"),
        ("DELETE WHERE { ?s ?p ?o }", ["relative"], [], "absolute IRI"),
        ("DELETE WHERE { ?s ?p ?o }", [], ["https://w3id.org/l4a/graph/restricted/x"], "private"),
    ],
)
def test_dataset_parameters_refused(
    small_writable: Flask, text: str, default: list[str], named: list[str], message: str
) -> None:
    before = quads_of(small_writable)
    response = post_with_dataset(small_writable.test_client(), text, default, named)
    assert response.status_code == 400 and message in response.text, response.text
    assert quads_of(small_writable) == before


@pytest.mark.parametrize(
    "text",
    [
        "DELETEWHERE { ?s ?p ?o }",
        "INSERTDATA { <urn:a> <urn:b> <urn:c> }",
        "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o } INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CLEAR ALL INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p ?o } USING NAMEDex:g WHERE { ?s ?p ?o }",
        "PREFIX ex: INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o",
        "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o } }",
    ],
)
def test_updates_whose_operations_cannot_be_read_are_refused(text: str) -> None:
    """An operation the reader missed would escape the preflight: it refuses instead."""
    with pytest.raises(QueryError, match="cannot read the update"):
        read_update(text)


def test_reading_an_update_is_not_fooled_by_strings_iris_and_comments() -> None:
    text = (
        "PREFIX ex: <urn:ex:WHERE;> INSERT DATA { ex:a ex:b '} ; DELETE WHERE { ?s ?p ?o' } ;"
        "# DELETE WHERE { ?s ?p ?o }\n"
        'WITH ex:g DELETE { ?s ex:p """}""" } USING NAMED <urn:WHERE;> WHERE { ?s ?p ?o }'
    )
    [operation] = read_update(text)
    assert operation.with_graph == "ex:g" and not operation.shortcut
    assert [(u.named, u.graph) for u in operation.using] == [(True, "<urn:WHERE;>")]
    assert text[operation.pattern.start : operation.pattern.end] == "{ ?s ?p ?o }"
    assert operation.prologue == "PREFIX ex: <urn:ex:WHERE;>"


@pytest.mark.parametrize(
    "dataset",
    ["", "WITH <urn:t:g1>", "WITH <urn:t:none>", "USING <urn:t:g1>", "USING NAMED <urn:t:g2>"],
)
@pytest.mark.parametrize(
    "pattern",
    [
        "{ ?s ?p ?o }",
        "{ GRAPH ?g { ?s ?p ?o } }",
        "{ BIND(1 AS ?x) }",
        "{ ?s ?p ?o . GRAPH ?g { ?t ?q ?o } }",
        "{ OPTIONAL { ?s ?p ?o } VALUES ?v { 1 2 } }",
    ],
)
def test_the_preflight_counts_what_the_update_matches(
    small_writable: Flask, dataset: str, pattern: str
) -> None:
    """Each solution of the WHERE clause makes one new blank node: their number is the count."""
    store = small_writable.extensions["l4a"].kg.store
    if dataset.startswith("WITH"):
        update = f"{dataset} INSERT {{ GRAPH <urn:t:count> {{ [] <urn:t:n> 1 }} }} WHERE {pattern}"
    else:
        update = f"INSERT {{ GRAPH <urn:t:count> {{ [] <urn:t:n> 1 }} }} {dataset} WHERE {pattern}"
    [operation] = read_update(update)
    result = store.query(count_query(update, operation, store.named_graphs()), as_update=True)
    counted = int(next(iter(result))["n"].value)
    store.update(update)
    assert counted == store.count("urn:t:count")
    store.drop_graph("urn:t:count")


CARTESIAN_UPDATE = (
    "INSERT { GRAPH <urn:test:c> { ?a ?b ?c } } "
    "WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } }"
)


def test_update_time_limit_stops_the_work_and_changes_nothing(kg: KnowledgeGraph) -> None:
    """A cartesian update is counted first on a query worker, killed at the limit: 504,
    the store is as it was, and a small query sent meanwhile is answered at once."""
    app = make_app(kg, write_token=TOKEN, query_timeout=2)
    try:
        client = app.test_client()
        assert asks(client, "ASK { ?s a l4a:Hub }")  # the workers are up
        before = kg.store.count()
        generation = app.extensions["l4a"].service.snapshot.location.generation
        heavy: dict[str, Any] = {}

        def run_heavy() -> None:
            started = time.perf_counter()
            heavy["response"] = post_update(app.test_client(), CARTESIAN_UPDATE, auth())
            heavy["elapsed"] = time.perf_counter() - started

        thread = threading.Thread(target=run_heavy)
        thread.start()
        time.sleep(0.3)
        started = time.perf_counter()
        assert asks(client, "ASK { ?s a l4a:Hub }")
        small = time.perf_counter() - started
        still_running = thread.is_alive()
        thread.join(timeout=30)
        response = heavy["response"]
        assert still_running and small < 1, small
        assert response.status_code == 504 and "2 s limit" in response.text, response.text
        assert 1.9 < heavy["elapsed"] < 6
        assert kg.store.count() == before and kg.store.count("urn:test:c") == 0
        assert app.extensions["l4a"].service.snapshot.location.generation == generation
        assert post_update(client, INSERT, auth()).status_code == 204  # the writer is free
    finally:
        close(app)


def test_update_over_max_update_solutions_is_refused(small_writable: Flask) -> None:
    app = make_app(small_writable.extensions["l4a"].kg, write_token=TOKEN, max_update_solutions=3)
    try:
        client = app.test_client()
        before = quads_of(app)
        copy = "INSERT { GRAPH <urn:t:out> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }"
        response = post_update(client, copy, auth())
        assert response.status_code == 413 and "max_update_solutions" in response.text
        assert quads_of(app) == before
        two = copy.replace("?g", "<urn:t:g1>")
        together = post_update(client, f"{two} ; {two}", auth())  # 2 + 2 solutions
        assert together.status_code == 413 and quads_of(app) == before
        assert post_update(client, two, auth()).status_code == 204
        assert quads_of(app) != before
        description = read_graph(
            client.get("/sparql", headers={"Accept": "text/turtle"}).data, "ttl"
        )
        limit = description.value(
            rdflib.URIRef("http://localhost/sparql"), L4AS.updateSolutionLimit
        )
        assert limit.toPython() == 3
    finally:
        close(app)


# -- writes: /data ----------------------------------------------------------------------

TURTLE = b"@prefix ex: <urn:ex:> . ex:a ex:p 'one' , 'two' ."
GRAPH = "urn:test:graph"


def data_url(graph: str | None = GRAPH) -> str:
    return "/data?default" if graph is None else "/data?" + urllib.parse.urlencode({"graph": graph})


def get_graph(client: FlaskClient, graph: str | None = GRAPH) -> rdflib.Graph | None:
    response = client.get(data_url(graph), headers={"Accept": "application/n-triples"})
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return read_graph(response.data, "nt")


def test_graph_store_put_post_get_delete(writable: Flask) -> None:
    client = writable.test_client()
    put = client.put(data_url(), data=TURTLE, headers=auth(), content_type="text/turtle")
    assert put.status_code == 201
    assert put.headers["Location"] == data_url()
    graph = get_graph(client)
    assert graph is not None and len(graph) == 2
    again = client.put(
        data_url(),
        data=b'<urn:x> <urn:y> "z" .',
        headers=auth(),
        content_type="application/n-triples",
    )
    assert again.status_code == 204
    replaced = get_graph(client)
    assert replaced is not None and len(replaced) == 1
    jsonld = json.dumps({"@id": "urn:x", "urn:q": "w"}).encode()
    merged = client.post(
        data_url(), data=jsonld, headers=auth(), content_type="application/ld+json"
    )
    assert merged.status_code == 204
    after = get_graph(client)
    assert after is not None and len(after) == 2
    assert client.delete(data_url(), headers=auth()).status_code == 204
    assert get_graph(client) is None
    assert client.delete(data_url(), headers=auth()).status_code == 404


@pytest.mark.parametrize("fmt", GRAPHS)
def test_graph_store_get_in_every_format(
    client: FlaskClient, shipped: KnowledgeGraph, fmt: str
) -> None:
    accept, media_type, rdflib_format = GRAPHS[fmt]
    response = client.get(data_url(BILBAO), headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    expected = oxigraph_graph(
        shipped, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BILBAO}> {{ ?s ?p ?o }} }}"
    )
    assert isomorphic(read_graph(response.data, rdflib_format), expected)


def test_graph_store_default_graph_is_the_union(
    client: FlaskClient, shipped: KnowledgeGraph
) -> None:
    graph = get_graph(client, None)
    assert graph is not None
    assert isomorphic(graph, oxigraph_graph(shipped, "CONSTRUCT WHERE { ?s ?p ?o }"))
    put = client.put(data_url(None), data=TURTLE, headers=auth(), content_type="text/turtle")
    assert put.status_code in (403, 405)


@pytest.mark.parametrize(
    "url",
    ["/data", "/data?graph=urn:a&default", "/data?graph=urn:a&graph=urn:b", "/data?graph=nope"],
)
def test_graph_store_needs_one_valid_graph(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 400


def test_graph_store_unknown_graph_is_404(client: FlaskClient) -> None:
    assert client.get(data_url("urn:test:none")).status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type", "headers", "status"),
    [
        (b"<urn:a> <urn:b> .", "application/n-triples", auth(), 400),
        (
            b'{"@context": "http://127.0.0.1:9/ctx", "@id": "urn:a", "p": "v"}',
            "application/ld+json",
            auth(),
            400,
        ),
        (b"<urn:a> <urn:b> <urn:c> .", "text/csv", auth(), 415),
        (b"<urn:a> <urn:b> <urn:c> <urn:g> .", "application/n-quads", auth(), 415),
        (b"<urn:a> <urn:b> <urn:c> .", "application/n-triples", {}, 401),
        (b"<urn:a> <urn:b> <urn:c> .", "application/n-triples", auth("x" * 20), 403),
        (b"<urn:a> <urn:b> <urn:c> .", "application/n-triples", auth(), 204),
    ],
    ids=["syntax", "remote-context", "csv", "quads", "no-token", "wrong-token", "ok"],
)
def test_graph_store_refusals_change_nothing(
    writable: Flask, body: bytes, content_type: str, headers: dict[str, str], status: int
) -> None:
    client = writable.test_client()
    target = data_url(BILBAO)
    before = get_graph(client, BILBAO)
    response = client.put(target, data=body, headers=headers, content_type=content_type)
    assert response.status_code == status, response.text
    after = get_graph(client, BILBAO)
    assert before is not None and after is not None
    if status == 204:
        assert len(after) == 1
    else:
        assert isomorphic(before, after)


def test_graph_store_body_limit(kg: KnowledgeGraph) -> None:
    app = make_app(kg, write_token=TOKEN, max_body_bytes=2000)
    try:
        client = app.test_client()
        body = b"<urn:a> <urn:b> '" + b"x" * 5000 + b"' ."
        response = client.put(
            data_url(), data=body, headers=auth(), content_type="application/n-triples"
        )
        assert response.status_code == 413
        assert get_graph(client) is None
    finally:
        close(app)


# -- health and settings ----------------------------------------------------------------


def test_health(client: FlaskClient, shipped: KnowledgeGraph) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.json is not None
    body = response.json
    assert body["status"] == "ok" and body["writable"] is False
    assert body["store"]["quads"] == shipped.store.count()
    assert body["store"]["named_graphs"] == len(shipped.store.named_graphs())
    assert body["workers"]["size"] >= 2


def test_settings_order_defaults_then_environment_then_config() -> None:
    assert resolve_settings({}, {}).query_timeout == 30
    assert resolve_settings({}, {"L4A_QUERY_TIMEOUT": "5"}).query_timeout == 5
    assert resolve_settings({"query_timeout": "7"}, {"L4A_QUERY_TIMEOUT": "5"}).query_timeout == 7
    assert resolve_settings({}, {"L4A_READ_ONLY": "yes"}).read_only is True
    assert resolve_settings({"allowed_endpoints": "urn:a urn:b"}, {}).allowed_endpoints == (
        "urn:a",
        "urn:b",
    )


@pytest.mark.parametrize(
    "config",
    [
        {"nope": 1},
        {"query_timeout": "soon"},
        {"max_rows": -1},
        {"read_only": "maybe"},
        {"snapshots": "ram"},
    ],
)
def test_bad_settings_are_refused(config: dict[str, Any]) -> None:
    from l4a_graph.errors import InputError

    with pytest.raises(InputError):
        resolve_settings(config, {})


@pytest.mark.parametrize(
    ("config", "in_memory"),
    [
        ({}, False),
        ({"snapshots": "memory"}, True),
        ({"read_only": True}, True),
        ({"read_only": True, "snapshots": "disk"}, False),
    ],
)
def test_workers_of_an_on_disk_store_read_a_copy_in_memory_when_asked(
    tmp_path: Path, config: dict[str, Any], in_memory: bool
) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<urn:x:a> <urn:x:p> 1 .")
    with KnowledgeGraph.open(tmp_path / "store") as kg:
        kg.load_files([data], graph="urn:x:g")
        app = make_app(kg, query_workers=1, write_token=TOKEN, **config)
        try:
            assert app.extensions["l4a"].service.snapshot.location.on_disk is not in_memory
            client = app.test_client()
            ask = {"query": "ASK { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> ?o } }"}
            assert client.get("/sparql", query_string=ask).json["boolean"] is True
            if not config.get("read_only"):
                replaced = client.put(
                    "/data?graph=urn:x:g",
                    data="<urn:x:b> <urn:x:p> 2 .",
                    headers={"Content-Type": "text/turtle", **auth()},
                )
                assert replaced.status_code in (200, 204)
                assert client.get("/sparql", query_string=ask).json["boolean"] is False
        finally:
            close(app)


def test_write_token_from_a_file(tmp_path: Path, kg: KnowledgeGraph) -> None:
    from l4a_graph.errors import InputError

    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    assert resolve_settings({"write_token_file": str(path)}, {}).token() == TOKEN
    path.write_text("short")
    with pytest.raises(InputError, match="too short"):
        create_app(kg, {"write_token_file": str(path)})


def test_settings_command_and_serve_help_list_every_setting() -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["settings", "--format", "json"])
    assert listing.exit_code == 0
    assert [row["name"] for row in json.loads(listing.output)] == [s.name for s in SETTINGS]
    assert TOKEN not in listing.output
    help_text = runner.invoke(cli, ["serve", "--help"]).output
    for setting in SETTINGS:
        assert setting.name in help_text


def test_docs_describe_every_setting() -> None:
    docs = (ROOT / "docs" / "endpoint.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in docs, setting.name


# -- SERVICE and LOAD -------------------------------------------------------------------


TRICKY_FETCHES = [
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE<{u}>{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ sErViCe SILENT <{u}> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{u}> SELECT * WHERE {{ SERVICEex: {{ ?s ?p ?o }} }}",
    "PREFIX : <{u}> SELECT * WHERE {{ SERVICE: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICESILENT<{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o .SERVICE<{u}>{{}} }}",
    "SELECT * WHERE {{ FILTER(1<2)SERVICE<{u}>{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # comment\rSERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{\tSERVICE\t<{u}>\t{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ FILTER(1) SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 'o' SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
]
HARMLESS = [
    "SELECT * WHERE {{ ?s ?p 'SERVICE <{u}> {{ ?s ?p ?o }}' }}",
    'SELECT * WHERE {{ ?s ?p """SERVICE <{u}>\n{{}}""" }}',
    "SELECT * WHERE {{ # SERVICE <{u}> {{}}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ ?s <{u}SERVICE> ?o }}",
    "SELECT ?SERVICE WHERE {{ ?SERVICE ?p ?o }} LIMIT 1",
    "PREFIX ex: <urn:ex:> SELECT * WHERE {{ ?s ex:serviceArea ?o }}",
    "SELECT * FROM <{u}> WHERE {{ ?s ?p ?o }}",
]


def fetches(query: str, recorder: Recorder) -> bool:
    """Whether Oxigraph itself, given ``query``, sends a request to the fake endpoint."""
    before = len(recorder.hits)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    try:
        result = store.query(query)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return len(recorder.hits) > before


@pytest.mark.parametrize("template", TRICKY_FETCHES)
def test_every_fetch_oxigraph_makes_is_refused(recorder: Recorder, template: str) -> None:
    query = template.format(u=recorder.url)
    assert fetches(query, recorder), "the case no longer fetches: keep the list honest"
    with pytest.raises(QueryError):
        check_fetches(query)


@pytest.mark.parametrize("template", HARMLESS)
def test_service_inside_strings_iris_and_comments_is_harmless(
    recorder: Recorder, template: str
) -> None:
    query = template.format(u=recorder.url)
    assert not fetches(query, recorder)
    check_fetches(query)


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <{u}>",
        "LOAD<{u}>",
        "load SILENT <{u}> INTO GRAPH <urn:g>",
        "PREFIX ex: <{u}> LOADex:",
        "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    ],
)
def test_load_is_refused_in_updates(recorder: Recorder, update: str) -> None:
    with pytest.raises(QueryError):
        check_fetches(update.format(u=recorder.url), update=True)


_PIECES = st.sampled_from(
    [
        "SERVICE",
        "service",
        "SeRvIcE",
        "SILENT",
        "<{u}>",
        "ex:",
        ":",
        "ex:x",
        "true",
        "1",
        "'SERVICE'",
        '"a\\"b"',
        "?s",
        "?p",
        "?o",
        "{",
        "}",
        ".",
        ";",
        "(",
        ")",
        "<",
        ">",
        "# c\n",
        "#\r",
        "\n",
        "\t",
        " ",
        "",
        "FILTER",
        "OPTIONAL",
        "@en",
        "a",
        "^^",
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_PIECES, min_size=1, max_size=12))
def test_random_texts_never_fetch_unrefused(recorder: Recorder, pieces: list[str]) -> None:
    """Property: whatever Oxigraph would fetch, the check refuses (false alarms are fine)."""
    body = "".join(pieces).replace("{u}", recorder.url)
    query = f"PREFIX ex: <{recorder.url}> PREFIX : <{recorder.url}> SELECT * WHERE {{ {body} }}"
    try:
        check_fetches(query)
    except QueryError:
        return
    assert not fetches(query, recorder), query


def test_endpoint_refuses_service_and_fetches_nothing(
    client: FlaskClient, recorder: Recorder
) -> None:
    before = len(recorder.hits)
    response = sparql(client, f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?x ?y ?z }} }}")
    assert response.status_code == 400
    assert "does not fetch URLs" in response.text and "line 1, column" in response.text
    assert len(recorder.hits) == before


def test_allowed_endpoint_is_queried(kg: KnowledgeGraph, recorder: Recorder) -> None:
    app = make_app(kg, allowed_endpoints=recorder.url)
    try:
        client = app.test_client()
        response = sparql(client, f"SELECT ?x WHERE {{ SERVICE <{recorder.url}> {{ ?x ?y ?z }} }}")
        assert response.status_code == 200, response.text
        assert {str(r[0]) for r in read_table(response.data, "json")} == {ROW}
        other = recorder.url.replace("/sparql", "/other")
        refused = sparql(client, f"SELECT ?x WHERE {{ SERVICE <{other}> {{ ?x ?y ?z }} }}")
        assert refused.status_code == 400 and "not an endpoint" in refused.text
        variable = sparql(client, "SELECT ?x WHERE { SERVICE ?e { ?x ?y ?z } }")
        assert variable.status_code == 400
    finally:
        close(app)


# -- concurrency within one process ------------------------------------------------------


def test_overload_answers_503_with_retry_after(kg: KnowledgeGraph) -> None:
    app = make_app(kg, query_workers=1, queue_timeout=0.5, query_timeout=5)
    try:
        sparql(app.test_client(), "ASK {}")  # the worker is up
        slow: dict[str, int] = {}
        thread = threading.Thread(
            target=lambda: slow.update(status=sparql(app.test_client(), Q_CARTESIAN).status_code)
        )
        thread.start()
        time.sleep(0.3)
        busy = sparql(app.test_client(), "ASK {}")
        assert busy.status_code == 503 and busy.headers["Retry-After"]
        thread.join()
        assert slow["status"] == 504
    finally:
        close(app)


def test_a_worker_stops_itself_past_the_limit(kg: KnowledgeGraph) -> None:
    """Even with nobody to kill it, a worker ends a runaway query (limit + 2 s)."""
    from l4a_graph.web.pool import _Worker
    from l4a_graph.web.service import QueryService
    from l4a_graph.web.worker import Job, Open, Ready

    service = QueryService(kg, resolve_settings({"query_workers": 1}, {}))
    worker = _Worker(0)
    try:
        worker.connection.send(Open(service.snapshot.location))
        assert isinstance(worker.connection.recv(), Ready)
        worker.connection.send(Job(Q_CARTESIAN, None, None, "json", None, 10, 1.0, "/nonexistent"))
        started = time.monotonic()
        assert worker.process.wait(timeout=20) == -signal.SIGALRM
        assert 2.5 < time.monotonic() - started < 10
    finally:
        worker.kill()
        service.close()


def test_a_query_over_the_memory_limit_ends_its_worker_only(kg: KnowledgeGraph) -> None:
    """The worker's heap is capped: a query that needs more gets a 503 that says so,
    and the next query is answered by the replacement worker."""
    app = make_app(kg, query_workers=1, worker_memory_mb=300, query_timeout=60)
    hungry = (
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
        "BIND (CONCAT(STR(?c), STR(?f), STR(?a)) AS ?x) }"
    )
    try:
        client = app.test_client()
        response = sparql(client, hungry)
        assert response.status_code == 503 and "300 MiB" in response.text
        assert asks(client, "ASK { ?s a l4a:Hub }")
        assert app.extensions["l4a"].service.pool.restarts == 1
    finally:
        close(app)


# -- a real server: waitress in a subprocess --------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    store: Path
    log_reader: threading.Thread

    @property
    def sparql(self) -> str:
        return self.url + "sparql"

    def worker_pids(self) -> set[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return {int(c) for c in children}


DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys; "
    "ctypes.CDLL(None).prctl(1, signal.SIGTERM); "  # PR_SET_PDEATHSIG, kept across exec
    "os.execv(sys.argv[1], sys.argv[1:])"
)
"""Run a command that gets SIGTERM if the test process dies: no server outlives a test run."""


def start_server(store: Path, *settings: str) -> Server:
    """``l4a serve`` on a free port of 127.0.0.1; returns once it prints its URL."""
    pairs = [
        arg
        for name, value in zip(settings[::2], settings[1::2], strict=True)
        for arg in ("-s", name, value)
    ]
    env = {**os.environ, "L4A_WRITE_TOKEN": TOKEN, "L4A_RATE_LIMIT": ""}
    l4a = str(Path(sys.executable).parent / "l4a")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            DIE_WITH_PARENT,
            l4a,
            "--store",
            str(store),
            "serve",
            "--port",
            "0",
            *pairs,
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if match := re.search(r"serving (http://\S+/)sparql", line):
            # Keep reading stderr (the access log) so the server never blocks on it.
            reader = threading.Thread(target=process.stderr.read, daemon=True)
            reader.start()
            return Server(match.group(1), process, store, reader)
    raise RuntimeError(f"l4a serve did not start (exit {process.wait()})")


def stop_server(server: Server) -> int:
    server.process.send_signal(signal.SIGINT)
    status = server.process.wait(timeout=30)
    server.log_reader.join(timeout=10)
    assert server.process.stderr is not None
    server.process.stderr.close()
    return status


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, clean_environment: None) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("served") / "store")
    yield running
    assert stop_server(running) == 0
    leftovers = [p for p in running.store.parent.iterdir() if p.name != "store"]
    assert leftovers == [], "the snapshots were not removed"


def http_get(url: str, accept: str | None = None, timeout: float = 30) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.perf_counter() - started


def query_url(server: Server, query: str) -> str:
    return server.sparql + "?" + urllib.parse.urlencode({"query": query})


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_in_every_format(
    server: Server, shipped: KnowledgeGraph, fmt: str
) -> None:
    from SPARQLWrapper import SPARQLWrapper

    wrapper = SPARQLWrapper(server.sparql)
    wrapper.setQuery(
        "PREFIX l4a: <https://w3id.org/l4a/def#> PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        + Q_SELECT
    )
    wrapper.setReturnFormat(fmt)
    result = wrapper.query()
    assert result.response.headers.get_content_type() == TABULAR[fmt][1]
    converted = result.convert()
    expected = oxigraph_rows(shipped, Q_SELECT)
    if fmt == "json":
        data = json.dumps(converted).encode()
    elif fmt == "xml":
        data = converted.toxml().encode()
    else:
        data = converted
    if fmt == "csv":
        expected = as_csv(expected)
    elif fmt == "tsv":
        expected = as_tsv(expected)
    assert read_table(data, fmt) == expected


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_sparqlwrapper_ask(server: Server, fmt: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    wrapper = SPARQLWrapper(server.sparql)
    wrapper.setQuery("ASK { ?h a <https://w3id.org/l4a/def#Hub> }")
    wrapper.setReturnFormat(fmt)
    converted = wrapper.query().convert()
    data = json.dumps(converted).encode() if fmt == "json" else converted.toxml().encode()
    assert Result.parse(io.BytesIO(data), format=fmt).askAnswer is True


@pytest.mark.parametrize(
    ("fmt", "media_type", "rdflib_format"),
    [
        ("turtle", "text/turtle", "turtle"),
        ("n3", "text/turtle", "turtle"),
        ("rdf+xml", "application/rdf+xml", "xml"),
        ("xml", "application/rdf+xml", "xml"),
        ("json-ld", "application/ld+json", "json-ld"),
    ],
)
def test_sparqlwrapper_construct_in_every_format(
    server: Server, shipped: KnowledgeGraph, fmt: str, media_type: str, rdflib_format: str
) -> None:
    """Read with rdflib directly: SPARQLWrapper's own convert() uses a deprecated rdflib class."""
    from SPARQLWrapper import SPARQLWrapper

    wrapper = SPARQLWrapper(server.sparql)
    wrapper.setQuery("PREFIX l4a: <https://w3id.org/l4a/def#>\n" + Q_CONSTRUCT)
    wrapper.setReturnFormat(fmt)
    result = wrapper.query()
    assert result.response.headers.get_content_type() == media_type
    graph = read_graph(result.response.read(), rdflib_format)
    assert isomorphic(graph, oxigraph_graph(shipped, Q_CONSTRUCT))


def test_sparqlwrapper_update_with_token(server: Server) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper

    wrapper = SPARQLWrapper(server.sparql, updateEndpoint=server.url + "update")
    wrapper.setMethod(POST)
    wrapper.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    wrapper.setQuery("INSERT DATA { GRAPH <urn:test:sw> { <urn:test:sw> <urn:test:p> 1 } }")
    wrapper.query()
    status, body, _ = http_get(query_url(server, "ASK { <urn:test:sw> ?p 1 }"))
    assert status == 200 and json.loads(body)["boolean"] is True
    wrapper.setQuery("DROP GRAPH <urn:test:sw>")
    wrapper.query()


def test_rdflib_sparql_store(server: Server, shipped: KnowledgeGraph) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.sparql)
    graph = rdflib.Graph(store=store)
    hubs_found = {
        str(row[0])
        for row in graph.query("SELECT ?h WHERE { ?h a <https://w3id.org/l4a/def#Hub> }")
    }
    assert len(hubs_found) == 6
    hub = rdflib.URIRef("https://w3id.org/l4a/id/hub/bilbao-city-of-values")
    title = rdflib.URIRef("http://purl.org/dc/terms/title")
    assert list(graph.objects(hub, title)) == [rdflib.Literal("Bilbao - City of Values", lang="en")]
    constructed = graph.query(Q_CONSTRUCT.replace("l4a:Hub", "<https://w3id.org/l4a/def#Hub>"))
    assert constructed.graph is not None
    assert isomorphic(constructed.graph, oxigraph_graph(shipped, Q_CONSTRUCT))
    store.close()


@pytest.mark.parametrize(
    ("args", "fmt"),
    [
        (["-G", "--data-urlencode", f"query={Q_SELECT}"], "json"),
        (
            [
                "--data-urlencode",
                f"query={Q_SELECT}",
                "-H",
                "Accept: application/sparql-results+xml",
            ],
            "xml",
        ),
        (
            [
                "--data-binary",
                Q_SELECT,
                "-H",
                "Content-Type: application/sparql-query",
                "-H",
                "Accept: text/csv",
            ],
            "csv",
        ),
        (["-G", "--data-urlencode", f"query={Q_SELECT}", "--data-urlencode", "format=tsv"], "tsv"),
    ],
)
def test_curl(server: Server, shipped: KnowledgeGraph, args: list[str], fmt: str) -> None:
    out = subprocess.run(
        ["curl", "-sS", "--fail-with-body", *args, server.sparql],
        capture_output=True,
        check=True,
        timeout=60,
    )
    expected = oxigraph_rows(shipped, Q_SELECT)
    if fmt == "csv":
        expected = as_csv(expected)
    elif fmt == "tsv":
        expected = as_tsv(expected)
    assert read_table(out.stdout, fmt) == expected


def test_curl_graph_store_and_head(server: Server) -> None:
    target = server.url + "data?" + urllib.parse.urlencode({"graph": "urn:test:curl"})
    put = subprocess.run(
        [
            "curl",
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-X",
            "PUT",
            "-H",
            f"Authorization: Bearer {TOKEN}",
            "-H",
            "Content-Type: text/turtle",
            "--data-binary",
            "<urn:a> <urn:b> 'c' .",
            target,
        ],
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    )
    assert put.stdout == "201"
    head = subprocess.run(
        ["curl", "-sS", "-I", target], capture_output=True, check=True, text=True, timeout=60
    )
    assert head.stdout.startswith("HTTP/1.1 200") and "text/turtle" in head.stdout
    got = subprocess.run(
        ["curl", "-sS", "-H", "Accept: application/n-triples", target],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert len(read_graph(got.stdout, "nt")) == 1


@pytest.fixture(scope="module")
def slow_server(
    tmp_path_factory: pytest.TempPathFactory, clean_environment: None
) -> Iterator[Server]:
    running = start_server(
        tmp_path_factory.mktemp("slow") / "store", "query_timeout", "2", "query_workers", "2"
    )
    yield running
    assert stop_server(running) == 0


def test_time_limit_stops_the_query_while_others_are_answered(slow_server: Server) -> None:
    """A cartesian query runs out its 2 s and its worker is killed; small ones answer meanwhile."""
    http_get(query_url(slow_server, "ASK {}"))  # both workers have opened the snapshot
    http_get(query_url(slow_server, "ASK {}"))
    workers_before = slow_server.worker_pids()
    heavy: dict[str, Any] = {}

    def run_heavy() -> None:
        heavy["answer"] = http_get(query_url(slow_server, Q_CARTESIAN))

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.5)
    small = [
        http_get(query_url(slow_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")) for _ in range(5)
    ]
    still_running = thread.is_alive()
    thread.join(timeout=30)
    status, body, elapsed = heavy["answer"]
    assert still_running, "the heavy query should still be running while the small ones answer"
    assert all(s == 200 and t < 1.5 for s, _, t in small), small
    assert status == 504 and b"2 s limit" in body and b"Traceback" not in body
    assert 1.9 < elapsed < 6
    killed = workers_before - slow_server.worker_pids()
    assert len(killed) == 1, "the worker running the heavy query was replaced"
    assert not Path(f"/proc/{killed.pop()}").exists()
    status, body, _ = http_get(slow_server.url + "health")
    assert json.loads(body)["workers"]["restarts"] >= 1
    assert http_get(query_url(slow_server, "ASK {}"))[0] == 200
