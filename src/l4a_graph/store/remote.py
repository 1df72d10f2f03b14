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
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from http.client import HTTPResponse
from pathlib import Path
from typing import IO, Final

import pyoxigraph as ox
from SPARQLWrapper import INSERT, JSON, POST, SELECT, SPARQLWrapper

from l4a_graph.errors import InputError, QueryError, StoreError
from l4a_graph.formats import Format
from l4a_graph.namespaces import PREFIXES
from l4a_graph.sparql import Term, tokens, with_bindings
from l4a_graph.store.base import QueryResult, Store

__all__ = ["RemoteStore", "open_remote"]

ACCEPT: Final = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.6, application/rdf+xml;q=0.5"
)
"""What queries accept: results for SELECT and ASK, a graph for CONSTRUCT and DESCRIBE."""
SPOOL_BYTES: Final = 16 * 1024 * 1024
"""Responses and uploads up to this size stay in memory; larger ones go to a temp file."""
ERROR_CHARS: Final = 1000
"""How much of a server's error text is shown."""
PATH_OPERATOR: Final = re.compile(r"[/|^]")
NO_GRAPH: Final = "urn:x-l4a:no-graph"
"""A graph IRI that is never written to: an empty default graph for the protocol."""
TOKEN_VARIABLE: Final = "L4A_ENDPOINT_TOKEN"
TIMEOUT_VARIABLE: Final = "L4A_ENDPOINT_TIMEOUT"


class _Request(SPARQLWrapper):
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
    >>> store.count()  # doctest: +ELLIPSIS
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

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        dataset = protocol_dataset(default_graph, named_graphs)
        with self._send_query(with_bindings(sparql, bindings), dataset) as response:
            media_type = response.headers.get_content_type()
            body = response.read()
        return _parse_result(body, media_type, self.query_endpoint)

    def update(self, sparql: str) -> None:
        endpoint = self._update_endpoint()
        request = self._sparql_request(endpoint, INSERT, with_prefixes(sparql))
        self._open(request, endpoint).close()

    def load(
        self, source: Path | bytes, fmt: Format, graph: str | None = None, *, lenient: bool = False
    ) -> None:
        target = None if fmt.names_own_graphs else graph
        # Parsed here, whole, first: a syntax error is found before anything is sent, and
        # every backend parses (and refuses remote JSON-LD contexts) the same way.
        with _parse(source, fmt) as quads:
            # JSON-LD may mix default-graph triples (for ``graph``) with named graphs of its
            # own, which one Graph Store request cannot express: it goes as INSERT DATA.
            mixed = fmt.has_graphs and not fmt.names_own_graphs
            if self.graph_store_endpoint is None or mixed:
                self._insert_data(ox.parse(quads, ox.RdfFormat.N_QUADS), target)
            else:
                self._post_graph(quads, target, fmt.names_own_graphs)

    def bulk_load(
        self, path: Path, fmt: Format, graph: str | None = None, *, lenient: bool = False
    ) -> None:
        self.load(path, fmt, graph)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self._insert_data(quads, None)

    def dump(self, out: IO[bytes], fmt: Format, graph: str | None = None) -> None:
        if graph is None and fmt.has_graphs:
            sparql = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        else:
            # A triple format cannot say which graph a triple came from: write the union.
            where = f"GRAPH {ox.NamedNode(graph)}" if graph else "GRAPH ?g"
            sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} {{ ?s ?p ?o }} }}"
        # Streamed from the socket to ``out``: an export never sits in memory whole.
        with self._send_query(sparql) as response:
            quads = _stream_quads(response, self.query_endpoint)
            ox.serialize(quads, out, fmt.rdf_format)

    def named_graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, ox.QuerySolutions)
        return sorted(row["g"].value for row in result if isinstance(row["g"], ox.NamedNode))

    def is_empty(self) -> bool:
        result = self.query("ASK { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, ox.QueryBoolean)
        return not result

    def replace_graph(self, graph: str, staging: str) -> None:
        # Plain DELETE and INSERT rather than DROP and MOVE: QLever has no graph management
        # operations, and one request is still one transaction on Oxigraph and Fuseki.
        target, source = ox.NamedNode(graph), ox.NamedNode(staging)
        self.update(
            f"DELETE WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }} ;\n"
            f"INSERT {{ GRAPH {target} {{ ?s ?p ?o }} }}\n"
            f"WHERE {{ GRAPH {source} {{ ?s ?p ?o }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {source} {{ ?s ?p ?o }} }}"
        )

    def drop_graph(self, graph: str) -> None:
        self.update(f"DELETE WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")

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

    def _send_query(self, sparql: str, dataset: Sequence[tuple[str, str]] = ()) -> HTTPResponse:
        request = self._sparql_request(self.query_endpoint, SELECT, with_prefixes(sparql), dataset)
        request.add_header("Accept", ACCEPT)
        return self._open(request, self.query_endpoint)

    def _sparql_request(
        self, endpoint: str, kind: str, text: str, parameters: Sequence[tuple[str, str]] = ()
    ) -> urllib.request.Request:
        self._check_open()
        wrapper = _Request(endpoint, kind)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setQuery(text)
        for name, value in parameters:
            wrapper.addParameter(name, value)
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
        self._upload(url, quads, "application/n-quads" if has_graphs else "application/n-triples")

    def _insert_data(self, quads: Iterable[ox.Quad], graph: str | None) -> None:
        """Upload as one ``INSERT DATA`` request: atomic, streamed from a spool file."""
        endpoint = self._update_endpoint()
        self._check_open()
        with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as body:
            body.write(b"INSERT DATA {\n")
            _write_groups(body, quads, graph)
            body.write(b"}\n")
            self._upload(endpoint, body, "application/sparql-update")


def open_remote(
    query_endpoint: str, update_endpoint: str | None = None, graph_store_endpoint: str | None = None
) -> RemoteStore:
    """A :class:`RemoteStore` with its token and timeout from the environment, checked.

    The token comes from ``$L4A_ENDPOINT_TOKEN`` (never a command-line option, which
    other users could read in the process list), the timeout in seconds from
    ``$L4A_ENDPOINT_TIMEOUT`` (60 by default).

    Raises
    ------
    StoreError
        If the server cannot be reached or does not query the union of its graphs.
    """
    store = RemoteStore(
        query_endpoint,
        update_endpoint,
        graph_store_endpoint,
        timeout=float(os.environ.get(TIMEOUT_VARIABLE) or 60),
        token=os.environ.get(TOKEN_VARIABLE) or None,
    )
    store.check_union_default_graph()
    return store


# -- helpers that do no I/O -------------------------------------------------------------


def protocol_dataset(
    default_graph: Sequence[str] | None, named_graphs: Sequence[str] | None
) -> list[tuple[str, str]]:
    """The SPARQL Protocol parameters that give a query this dataset (none: the union).

    The protocol cannot say "an empty default graph and no named graphs": a graph that
    no one writes to stands for it.

    Examples
    --------
    >>> protocol_dataset(["urn:a"], None)
    [('default-graph-uri', 'urn:a')]
    >>> protocol_dataset([], [])
    [('default-graph-uri', 'urn:x-l4a:no-graph')]
    """
    if default_graph is None and named_graphs is None:
        return []
    pairs = [("default-graph-uri", g) for g in default_graph or ()]
    pairs += [("named-graph-uri", g) for g in named_graphs or ()]
    return pairs or [("default-graph-uri", NO_GRAPH)]


def with_prefixes(sparql: str) -> str:
    """Declare the project's prefixes that ``sparql`` uses but does not declare.

    The declarations go on the query's first line, so the server's line numbers stay
    right (its columns on line 1 shift when a declaration is added).

    Examples
    --------
    >>> with_prefixes("SELECT * { ?h a l4a:Hub }")
    'PREFIX l4a: <https://w3id.org/l4a/def#> SELECT * { ?h a l4a:Hub }'
    >>> with_prefixes("ASK { ?h l4a:addressesTarget/skos:broader ?g }").count("PREFIX")
    2
    >>> with_prefixes("PREFIX l4a: <urn:x#> ASK { ?h a l4a:Hub }")
    'PREFIX l4a: <urn:x#> ASK { ?h a l4a:Hub }'
    """
    used: set[str] = set()
    declared: set[str] = set()
    previous = ""
    for token in tokens(sparql):
        if token.kind == "word" and ":" in token.text:
            # A property path is one token: l4a:addressesTarget/skos:broader.
            names = {
                part.split(":", 1)[0] for part in PATH_OPERATOR.split(token.text) if ":" in part
            }
            (declared if previous == "PREFIX" else used).update(names)
        previous = token.text.upper()
    missing = sorted(name for name in used - declared if name in PREFIXES)
    header = "".join(f"PREFIX {name}: <{PREFIXES[name]}> " for name in missing)
    return header + sparql


def _parse(source: Path | bytes, fmt: Format) -> IO[bytes]:
    """Parse ``source`` whole into an N-Quads spool file (rewound), or raise SyntaxError."""
    spool = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
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


def _write_groups(body: IO[bytes], quads: Iterable[ox.Quad], graph: str | None) -> None:
    """Write ``quads`` as SPARQL triple blocks, one ``GRAPH`` block per run of a graph."""
    current: str | None = None
    lines: list[str] = []
    for quad in quads:
        # As in Oxigraph's own loader: ``graph`` receives only the default-graph triples.
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else graph
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


def _stream_quads(response: HTTPResponse, endpoint: str) -> Iterator[ox.Quad]:
    """The quads of a CONSTRUCT answer, or of a SELECT answer binding ?s ?p ?o ?g."""
    media_type = response.headers.get_content_type()
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        rows = ox.parse_query_results(response, results_format)
        assert isinstance(rows, ox.QuerySolutions)
        return (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)
    return ox.parse(response, _rdf_format(media_type, endpoint))


def _rdf_format(media_type: str, endpoint: str) -> ox.RdfFormat:
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise StoreError(f"{endpoint} answered with an unexpected media type {media_type!r}")
    return rdf_format


def _parse_result(body: bytes, media_type: str, endpoint: str) -> QueryResult:
    """Read a query response as pyoxigraph's result types."""
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        try:
            return ox.parse_query_results(body, results_format)
        except SyntaxError as error:
            raise StoreError(f"{endpoint} sent malformed results: {error}") from error
    rdf_format = _rdf_format(media_type, endpoint)
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
