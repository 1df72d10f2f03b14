"""A SPARQL 1.1 server as the store: Query, Update and Graph Store protocols over HTTP.

Requests are built with SPARQLWrapper where it has a call for them (query and update)
and sent with ``urllib`` so the server's own error text reaches the user; uploads go
through the Graph Store protocol when the server has one, else through ``INSERT DATA``.
Results are parsed by pyoxigraph, so callers get the same ``QuerySolutions``,
``QueryTriples`` and ``QueryBoolean`` as from :class:`~l4a_graph.store.EmbeddedStore`.

The server must query the union of its graphs as the default graph (``oxigraph serve
--union-default-graph``, Fuseki's ``tdb2:unionDefaultGraph``, Virtuoso by default): see
``docs/remote-backends.md``. Each write is one HTTP request, which Oxigraph and Fuseki
apply atomically.
"""

from __future__ import annotations

import base64
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from http.client import HTTPResponse
from pathlib import Path
from typing import IO, Final

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, SELECT, SPARQLWrapper, UPDATE

from l4a_graph.errors import InputError, QueryError, StoreError
from l4a_graph.formats import Format
from l4a_graph.namespaces import PREFIXES
from l4a_graph.sparql import Term, tokens, with_bindings
from l4a_graph.store.base import QueryResult, Store

__all__ = ["RemoteStore"]

ACCEPT: Final = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.6, application/rdf+xml;q=0.5"
)
"""What queries accept: results for SELECT and ASK, a graph for CONSTRUCT and DESCRIBE."""
SPOOL_BYTES: Final = 16 * 1024 * 1024
"""Responses and uploads up to this size stay in memory; larger ones go to a temp file."""
ERROR_CHARS: Final = 1000
"""How much of a server's error text is shown."""


class _Request(SPARQLWrapper):  # type: ignore[misc]
    """SPARQLWrapper that trusts us on whether a text is a query or an update.

    Its own guess is a regular expression that warns on valid queries it cannot read.
    """

    def __init__(self, endpoint: str, kind: str) -> None:
        self._kind = kind
        super().__init__(endpoint, updateEndpoint=endpoint)

    def _parseQueryType(self, query: str) -> str:  # noqa: N802 (SPARQLWrapper's name)
        return self._kind


class RemoteStore(Store):
    """A store behind SPARQL 1.1 protocol endpoints.

    Parameters
    ----------
    query_endpoint
        URL of the SPARQL query service.
    update_endpoint
        URL of the SPARQL update service; None makes the store read-only.
    graph_store_endpoint
        URL of the Graph Store protocol service, used for fast uploads; when None,
        uploads are ``INSERT DATA`` requests to ``update_endpoint``.
    timeout
        Seconds to wait for the server on each request.
    token
        Sent as ``Authorization: Bearer <token>``.
    auth
        ``(user, password)`` for HTTP Basic authentication.

    Examples
    --------
    >>> store = RemoteStore("http://127.0.0.1:9/query", timeout=1)
    >>> store.count()
    Traceback (most recent call last):
    ...
    l4a_graph.errors.StoreError: cannot reach the SPARQL endpoint http://127.0.0.1:9/query: ...
    """

    def __init__(
        self,
        query_endpoint: str,
        update_endpoint: str | None = None,
        graph_store_endpoint: str | None = None,
        *,
        timeout: float = 60.0,
        token: str | None = None,
        auth: tuple[str, str] | None = None,
    ) -> None:
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint
        self.graph_store_endpoint = graph_store_endpoint
        self.timeout = timeout
        self._headers: dict[str, str] = {}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        elif auth:
            pair = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {pair}"
        self._closed = False

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_endpoint})"

    # -- the protocol --------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        request = self._sparql_request(
            self.query_endpoint, SELECT, with_prefixes(with_bindings(sparql, bindings))
        )
        request.add_header("Accept", ACCEPT)
        with self._open(request, self.query_endpoint) as response:
            media_type = response.headers.get_content_type()
            body = _spool(response)
        return _parse_result(body, media_type, self.query_endpoint)

    def update(self, sparql: str) -> None:
        endpoint = self._update_endpoint()
        request = self._sparql_request(endpoint, UPDATE, with_prefixes(sparql))
        self._open(request, endpoint).close()

    def load(self, source: Path | bytes, fmt: Format, graph: str | None = None) -> None:
        quads = _parse(source, fmt)
        # Parsed here first, whole, so a syntax error is found before anything is sent.
        if self.graph_store_endpoint is None:
            self._insert_data(quads, None if fmt.has_graphs else graph)
        else:
            self._post_graph(quads, None if fmt.has_graphs else graph, fmt.has_graphs)

    def bulk_load(self, path: Path, fmt: Format, graph: str | None = None) -> None:
        self.load(path, fmt, graph)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self._insert_data(quads, None)

    def dump(self, out: IO[bytes], fmt: Format, graph: str | None = None) -> None:
        if graph is None and fmt.has_graphs:
            quads = self._select_quads()
            ox.serialize(quads, out, fmt.rdf_format)
            return
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        # A triple format cannot say which graph a triple came from: write the union.
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
        assert isinstance(triples, ox.QueryTriples)
        triples.serialize(out, fmt.rdf_format)

    def named_graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, ox.QuerySolutions)
        return sorted(row["g"].value for row in result if isinstance(row["g"], ox.NamedNode))

    def is_empty(self) -> bool:
        result = self.query("ASK { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, ox.QueryBoolean)
        return not result

    def close(self) -> None:
        self._closed = True

    def check_union_default_graph(self) -> None:
        """Raise unless the server's default graph holds the triples of its named graphs.

        Raises
        ------
        StoreError
            If named graphs hold triples that a query without ``GRAPH`` does not see.
        """
        named = self.query("ASK { GRAPH ?g { ?s ?p ?o } }")
        default = self.query("ASK { ?s ?p ?o }")
        if bool(named) and not bool(default):
            raise StoreError(
                f"{self.query_endpoint} does not query the union of its graphs by default; "
                "configure the server for it (oxigraph serve --union-default-graph, Fuseki "
                "tdb2:unionDefaultGraph true): see docs/remote-backends.md"
            )

    # -- HTTP ----------------------------------------------------------------------

    def _sparql_request(self, endpoint: str, kind: str, text: str) -> urllib.request.Request:
        self._check_open()
        wrapper = _Request(endpoint, kind)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
        wrapper.setReturnFormat(JSON)
        wrapper.setQuery(text)
        for name, value in self._headers.items():
            wrapper.addCustomHttpHeader(name, value)
        request: urllib.request.Request = wrapper._createRequest()
        return request

    def _update_endpoint(self) -> str:
        if self.update_endpoint is None:
            raise StoreError(
                f"{self.query_endpoint} is read-only here: give an update endpoint "
                "(l4a --update-endpoint URL) to write"
            )
        return self.update_endpoint

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self!r} is closed")

    def _open(self, request: urllib.request.Request, endpoint: str) -> HTTPResponse:
        """Send ``request``; turn every failure into a QueryError or StoreError that says why."""
        try:
            response: HTTPResponse = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raise _http_error(error, endpoint) from error
        except urllib.error.URLError as error:
            raise StoreError(
                f"cannot reach the SPARQL endpoint {endpoint}: {error.reason}; "
                "is the server running, and is the URL right?"
            ) from error
        except TimeoutError as error:
            raise StoreError(f"{endpoint} did not answer within {self.timeout} s") from error
        return response

    def _upload(self, url: str, body: IO[bytes], media_type: str) -> None:
        size = body.seek(0, 2)
        body.seek(0)
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={**self._headers, "Content-Type": media_type, "Content-Length": str(size)},
        )
        self._open(request, url).close()

    def _post_graph(self, quads: IO[bytes], graph: str | None, has_graphs: bool) -> None:
        """Upload through the Graph Store protocol: to ``graph``, or quads to the dataset."""
        self._check_open()
        assert self.graph_store_endpoint is not None
        url = self.graph_store_endpoint
        if not has_graphs:
            query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        with quads:
            self._upload(url, quads, "application/n-quads" if has_graphs else "application/n-triples")

    def _insert_data(self, quads: IO[bytes] | Iterable[ox.Quad], graph: str | None) -> None:
        """Upload as one ``INSERT DATA`` request: atomic, streamed from a spool file."""
        endpoint = self._update_endpoint()
        self._check_open()
        source = ox.parse(quads, ox.RdfFormat.N_QUADS) if _is_stream(quads) else quads
        with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as body:
            body.write(_update_prologue())
            body.write(b"INSERT DATA {\n")
            _write_groups(body, source, graph)
            body.write(b"}\n")
            self._upload(endpoint, body, "application/sparql-update")

    def _select_quads(self) -> list[ox.Quad]:
        result = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, ox.QuerySolutions)
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in result]


# -- helpers that do no I/O -------------------------------------------------------------


def with_prefixes(sparql: str) -> str:
    """Declare the project's prefixes that ``sparql`` uses but does not declare.

    The declarations go on the query's first line, so the server's line numbers stay
    right (its columns on line 1 shift when a declaration is added).

    Examples
    --------
    >>> with_prefixes("SELECT * { ?h a l4a:Hub }")
    'PREFIX l4a: <https://w3id.org/l4a/def#> SELECT * { ?h a l4a:Hub }'
    >>> with_prefixes("PREFIX l4a: <urn:x#> ASK { ?h a l4a:Hub }")
    'PREFIX l4a: <urn:x#> ASK { ?h a l4a:Hub }'
    """
    used: set[str] = set()
    declared: set[str] = set()
    previous = ""
    for token in tokens(sparql):
        if token.kind == "word" and ":" in token.text:
            name = token.text.split(":", 1)[0]
            (declared if previous == "PREFIX" else used).add(name)
        previous = token.text.upper()
    missing = sorted(name for name in used - declared if name in PREFIXES)
    header = "".join(f"PREFIX {name}: <{PREFIXES[name]}> " for name in missing)
    return header + sparql


def _update_prologue() -> bytes:
    return b""


def _parse(source: Path | bytes, fmt: Format) -> IO[bytes]:
    """Parse ``source`` whole into an N-Quads spool file (rewound), or raise SyntaxError."""
    spool = tempfile.SpooledTemporaryFile(SPOOL_BYTES)
    try:
        if isinstance(source, Path):
            quads = ox.parse(path=str(source), format=fmt.rdf_format)
        else:
            quads = ox.parse(source, format=fmt.rdf_format)
        ox.serialize(quads, spool, ox.RdfFormat.N_QUADS)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def _is_stream(value: object) -> bool:
    return hasattr(value, "read")


def _write_groups(body: IO[bytes], quads: Iterable[ox.Quad], graph: str | None) -> None:
    """Write ``quads`` as SPARQL triple blocks, one ``GRAPH`` block per run of a graph."""
    current: str | None = None
    lines: list[str] = []
    for quad in quads:
        name = graph or (
            quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        )
        if name != current:
            if current is not None:
                lines.append("}\n")
            if name is not None:
                lines.append(f"GRAPH <{name}> {{\n")
            current = name
        lines.append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
        if len(lines) >= 10_000:
            body.write("".join(lines).encode("utf-8"))
            lines.clear()
    if current is not None:
        lines.append("}\n")
    body.write("".join(lines).encode("utf-8"))


def _spool(response: HTTPResponse) -> IO[bytes]:
    """Copy a response body to a spool file (memory first, disk when large), rewound."""
    spool = tempfile.SpooledTemporaryFile(SPOOL_BYTES)
    while chunk := response.read(1 << 16):
        spool.write(chunk)
    spool.seek(0)
    return spool


def _parse_result(body: IO[bytes], media_type: str, endpoint: str) -> QueryResult:
    """Read a query response as pyoxigraph's result types."""
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        try:
            return ox.parse_query_results(body, results_format)
        except SyntaxError as error:
            raise StoreError(f"{endpoint} sent malformed results: {error}") from error
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise StoreError(f"{endpoint} answered with an unexpected media type {media_type!r}")
    # QueryTriples cannot be built from Python: load the graph into a scratch store.
    scratch = ox.Store()
    try:
        scratch.load(body, rdf_format)
    except SyntaxError as error:
        raise StoreError(f"{endpoint} sent a malformed graph: {error}") from error
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _http_error(error: urllib.error.HTTPError, endpoint: str) -> Exception:
    """A QueryError for a request the server refused as bad, else a StoreError."""
    text = error.read().decode("utf-8", "replace").strip()[:ERROR_CHARS]
    if error.code == 400:
        return QueryError(f"the SPARQL server refused the request: {text}")
    if error.code in (401, 403):
        return StoreError(
            f"{endpoint} refused access (HTTP {error.code}): give a token "
            "(L4A_ENDPOINT_TOKEN) or check its permissions"
        )
    if error.code == 404:
        return StoreError(f"no SPARQL service at {endpoint} (HTTP 404): check the URL")
    if error.code == 413:
        return InputError(f"{endpoint} refused the upload as too large (HTTP 413)")
    return StoreError(f"{endpoint} failed (HTTP {error.code}): {text}")
