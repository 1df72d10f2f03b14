"""``/sparql``: the SPARQL 1.1 Query Protocol, and the service description.

GET with ``query=``, POST form-encoded, or POST ``application/sparql-query``; the dataset
from ``default-graph-uri`` and ``named-graph-uri`` (else from the query's FROM clauses,
else the union of all graphs); the result format from ``format`` (or ``output``), else
Accept. Without a query, GET answers with the service description in RDF, or with a
page for browsers.
"""

from __future__ import annotations

from typing import Final

from flask import Blueprint, Response, request
from pyoxigraph import serialize

from l4a_graph.formats import by_name as rdf_format
from l4a_graph.web.access_log import note
from l4a_graph.web.cors import cross_origin
from l4a_graph.web.errors import BadRequestError, NotAcceptableError
from l4a_graph.web.negotiation import ALL_FORMATS, GRAPH_FORMATS, TABULAR_FORMATS
from l4a_graph.web.protocol import format_choice, graph_iris, sparql_text
from l4a_graph.web.responses import send_answer
from l4a_graph.web.safety import check_complexity, check_fetches, dataset_clause
from l4a_graph.web.service_description import SD_PREFIXES, describe
from l4a_graph.web.site.conneg import HTML
from l4a_graph.web.site.query_ui import query_page
from l4a_graph.web.state import web

__all__ = ["bp"]

bp = Blueprint("sparql", __name__)

QUERY_TYPE: Final = "application/sparql-query"


@bp.route("/sparql", methods=["GET", "POST"])
@cross_origin("GET", "HEAD", "POST")
def query() -> Response:
    """Answer a query, or describe the service when there is none."""
    state = web()
    settings = state.settings
    if "update" in request.values:
        raise BadRequestError("updates go to /update, with POST")
    text = sparql_text("query", QUERY_TYPE, settings.max_query_chars)
    if text is None:
        if request.method == "POST":
            raise BadRequestError(f"no query: POST it as query=... or as {QUERY_TYPE}")
        return _describe()
    note(query=text)
    check_fetches(text, settings.allowed_endpoints)
    check_complexity(text)
    default_graph = graph_iris("default-graph-uri")
    named_graphs = graph_iris("named-graph-uri")
    dataset = (default_graph, named_graphs) if default_graph or named_graphs else None
    if dataset is None and (clause := dataset_clause(text)) is not None:
        dataset = (tuple(clause[0]), tuple(clause[1]))
    tabular = format_choice(TABULAR_FORMATS)
    graph = format_choice(GRAPH_FORMATS)
    if tabular is None and graph is None:
        types = ", ".join(f.media_type for f in ALL_FORMATS)
        raise NotAcceptableError(f"no result format matches the request; available: {types}")
    answer = state.service.query(
        text,
        tabular=tabular.name if tabular else None,
        graph=graph.name if graph else None,
        default_graph=dataset[0] if dataset else None,
        named_graphs=dataset[1] if dataset else None,
    )
    return send_answer(answer, settings.max_rows)


def _describe() -> Response:
    state = web()
    fmt = format_choice((*GRAPH_FORMATS, HTML))
    if fmt is None:
        types = ", ".join(f.media_type for f in (*GRAPH_FORMATS, HTML))
        raise NotAcceptableError(f"the service description is available as {types}")
    counts = state.service.counts()
    if fmt is HTML:
        response = query_page(counts.triples, len(counts.graphs))
    else:
        writable = bool(state.write_token) and not state.settings.read_only
        triples = describe(request.url_root, counts, state.settings, writable=writable)
        assert fmt.rdf_name is not None
        body = serialize(triples, None, rdf_format(fmt.rdf_name).rdf_format, prefixes=SD_PREFIXES)
        response = Response(body, content_type=fmt.content_type)
        response.headers["Link"] = f'<{request.url_root}.well-known/void>; rel="describedby"'
    response.vary.add("Accept")
    return response
