"""``/data``: the SPARQL 1.1 Graph Store HTTP Protocol, one named graph at a time.

``?graph=IRI`` names a graph; ``?default`` the default graph, which here is the union
of all named graphs, so it can be read but not written. GET and HEAD are public; PUT
(replace), POST (merge) and DELETE need the operator's token. Private graphs
(``graph/restricted/...`` and the others of :data:`~l4a_graph.namespaces.PRIVATE_GRAPH_PREFIXES`)
live in the private store: reading them needs the token too. A PUT is parsed into a
staging graph first and swapped in atomically; a body is parsed whole before anything
is written, so one that does not parse changes nothing.
"""

from __future__ import annotations

import io
import urllib.parse
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Final, TypeAlias

from flask import Blueprint, Response, request, url_for
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple, parse

from l4a_graph.errors import NotFoundError
from l4a_graph.formats import Format, by_name, for_media_type
from l4a_graph.namespaces import GRAPH_STAGING, is_private_graph
from l4a_graph.sparql import Term
from l4a_graph.store import Store
from l4a_graph.validator.intake import prepare_source
from l4a_graph.web.auth import require_token
from l4a_graph.web.cors import cross_origin
from l4a_graph.web.errors import (
    BadRequestError,
    MethodNotAllowedError,
    NotAcceptableError,
    UnsupportedMediaTypeError,
)
from l4a_graph.web.negotiation import GRAPH_FORMATS, MediaFormat
from l4a_graph.web.protocol import format_choice, graph_iris
from l4a_graph.web.responses import empty, send_answer
from l4a_graph.web.state import web

__all__ = ["bp"]

bp = Blueprint("graph_store", __name__)

READ_METHODS: Final = "GET, HEAD, OPTIONS"
BODY_FORMATS: Final = ("ttl", "nt", "xml", "jsonld")
"""Formats of :mod:`l4a_graph.formats` a graph may be sent in."""

Subject: TypeAlias = NamedNode | BlankNode | Triple


@bp.route("/data", methods=["GET", "PUT", "POST", "DELETE"])
@cross_origin("GET", "HEAD")
def data() -> Response:
    """Read, replace, merge into or delete a graph."""
    graph = _target()
    private = graph is not None and is_private_graph(graph)
    if request.method in ("GET", "HEAD"):
        return _read_private(graph) if graph and private else _read(graph)
    state = web()
    if state.settings.read_only:
        raise MethodNotAllowedError("this server is read-only", READ_METHODS)
    require_token()
    if graph is None:
        raise MethodNotAllowedError(
            "the default graph is the union of the named graphs and cannot be written; "
            "name a graph with ?graph=IRI",
            READ_METHODS,
        )
    writing = state.service.writing_private if private else state.service.writing
    if request.method == "DELETE":
        return _delete(graph, writing)
    fmt = _body_format()
    triples = _parse_body(request.get_data(), fmt, state.settings.max_body_bytes)
    with writing() as store:
        existed = graph in store.named_graphs()
        if request.method == "PUT":
            staging = f"{GRAPH_STAGING}{uuid.uuid4()}"
            try:
                store.add(Quad(*t, NamedNode(staging)) for t in triples)
                store.replace_graph(graph, staging)
            finally:
                store.drop_graph(staging)
        else:
            store.add(Quad(*t, NamedNode(graph)) for t in triples)
    if existed:
        return empty()
    location = url_for("graph_store.data") + "?" + urllib.parse.urlencode({"graph": graph})
    return empty(201, {"Location": location})


def _target() -> str | None:
    """The graph named by ``?graph=``, or None for ``?default``."""
    graphs = graph_iris("graph")
    default = "default" in request.args
    if len(graphs) + default != 1:
        raise BadRequestError("name one graph: ?graph=IRI, or ?default for the default graph")
    return graphs[0] if graphs else None


def _read(graph: str | None) -> Response:
    state = web()
    fmt = _graph_format()
    if graph is not None and graph not in state.service.snapshot.graphs:
        raise NotFoundError(f"there is no graph <{graph}>")
    # The graph is the query's dataset: its IRI is never pasted into query text.
    answer = state.service.query(
        "CONSTRUCT WHERE { ?s ?p ?o }",
        tabular=None,
        graph=fmt.name,
        default_graph=(graph,) if graph else None,
        max_rows=0,
    )
    return send_answer(answer, 0)


def _read_private(graph: str) -> Response:
    """A private graph, for the token holder only, dumped by this process."""
    require_token("read of a restricted graph")
    fmt = _graph_format()
    out = io.BytesIO()
    with web().service.writing_private() as private:
        if graph not in private.named_graphs():
            raise NotFoundError(f"there is no graph <{graph}>")
        private.dump(out, by_name(fmt.rdf_name or "ttl"), graph)
    response = Response(out.getvalue(), content_type=fmt.content_type)
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Accept")
    response.vary.add("Authorization")
    return response


def _graph_format() -> MediaFormat:
    fmt = format_choice(GRAPH_FORMATS)
    if fmt is None:
        types = ", ".join(f.media_type for f in GRAPH_FORMATS)
        raise NotAcceptableError(f"graphs are available as {types}")
    return fmt


def _delete(graph: str, writing: Callable[[], AbstractContextManager[Store]]) -> Response:
    with writing() as store:
        if graph not in store.named_graphs():
            raise NotFoundError(f"there is no graph <{graph}>")
        store.drop_graph(graph)
    return empty()


def _body_format() -> Format:
    fmt = for_media_type(request.content_type or "")
    if fmt is None or fmt.name not in BODY_FORMATS:
        types = "text/turtle, application/n-triples, application/rdf+xml, application/ld+json"
        raise UnsupportedMediaTypeError(
            f"send the graph as one of {types}, not {request.mimetype or 'no Content-Type'}"
        )
    return fmt


def _parse_body(body: bytes, fmt: Format, max_bytes: int) -> list[tuple[Subject, NamedNode, Term]]:
    """The triples of ``body``, parsed whole before anything is written.

    JSON-LD and RDF/XML get a submission's checks first
    (:func:`~l4a_graph.validator.intake.prepare_source`): no remote context (the
    project's is read locally), bounded nesting, no external or expanding XML entities
    (a few hundred bytes of nested entities expand to gigabytes in Oxigraph's parser).

    Raises
    ------
    BadRequestError
        If the body does not parse, names graphs of its own, or needs a remote JSON-LD
        context (never fetched).
    InputError
        (also a 400) If it is refused by those checks.
    """
    if fmt.name in ("jsonld", "xml"):
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BadRequestError(f"the body is not UTF-8 text: {error.reason}") from error
        body = prepare_source(text, fmt, "the body", max_bytes)[0].encode()
    try:
        quads = list(parse(body, fmt.rdf_format))
    except SyntaxError as error:
        raise BadRequestError(f"the body is not valid {fmt.media_type}: {error}") from error
    if any(not isinstance(q.graph_name, DefaultGraph) for q in quads):
        raise BadRequestError("the body names graphs of its own; send one graph")
    return [(q.subject, q.predicate, q.object) for q in quads]
