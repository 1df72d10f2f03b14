"""``/update``: SPARQL 1.1 Update, for the holder of the operator's token only.

An update runs in the server process on the live store (the workers only read
snapshots), as one transaction, then a new snapshot is published. It has no hard time
limit: only the token holder can send one.
"""

from __future__ import annotations

from typing import Final

from flask import Blueprint, Response, request

from l4a_graph.errors import QueryError
from l4a_graph.namespaces import is_private_graph
from l4a_graph.sparql import tokens
from l4a_graph.web.access_log import note
from l4a_graph.web.auth import require_token
from l4a_graph.web.errors import BadRequestError, ForbiddenError
from l4a_graph.web.protocol import sparql_text
from l4a_graph.web.responses import empty
from l4a_graph.web.safety import check_complexity, check_fetches
from l4a_graph.web.state import web
from l4a_graph.web.worker import syntax_message

__all__ = ["bp"]

bp = Blueprint("update", __name__)

UPDATE_TYPE: Final = "application/sparql-update"


@bp.route("/update", methods=["POST"])
def update() -> Response:
    """Apply a SPARQL update; 204 when done."""
    state = web()
    if state.settings.read_only:
        raise ForbiddenError("this server is read-only: updates are disabled")
    require_token()
    text = sparql_text("update", UPDATE_TYPE, state.settings.max_query_chars)
    if text is None:
        raise BadRequestError(f"no update: POST it as update=... or as {UPDATE_TYPE}")
    if "using-graph-uri" in request.values or "using-named-graph-uri" in request.values:
        raise BadRequestError(
            "using-graph-uri and using-named-graph-uri are not supported; "
            "write USING, USING NAMED or WITH in the update"
        )
    note(query=text)
    check_fetches(text, state.settings.allowed_endpoints, update=True)
    check_complexity(text, update=True)
    _check_public(text)
    try:
        with state.service.writing() as store:
            store.update(text)
    except QueryError as error:
        raise BadRequestError(syntax_message(error)) from error
    return empty()


def _check_public(text: str) -> None:
    """Refuse an update that names a private graph: it would write it into the public
    store. (One that computes such an IRI is caught by the service before publishing.)"""
    for token in tokens(text):
        iri = token.text[1:-1]
        if token.kind == "iri" and is_private_graph(iri):
            raise BadRequestError(
                f"<{iri}> is a private graph, kept out of the public dataset: "
                "write it with PUT or POST /data?graph=IRI"
            )
