"""``/update``: SPARQL 1.1 Update, for the holder of the operator's token only.

An update runs in the server process on the live store (the workers only read
snapshots), as one transaction, then a new snapshot is published. The protocol's
``using-graph-uri`` and ``using-named-graph-uri`` are written into the update as USING
and USING NAMED clauses (see :mod:`l4a_graph.web.operations`).

Oxigraph cannot stop an update once it runs, so an update is bounded by a *preflight*:
first, under the write lock, the WHERE clause of each of its operations (with its
dataset) is counted as ``SELECT (COUNT(*) AS ?n)`` on a query worker, within the query
time limit (``query_timeout`` for all of them together). The worker's snapshot is then
the live store itself, since every write publishes one. Past the limit the worker is
killed and the answer is 504; over ``max_update_solutions`` it is 413; either way the
store is unchanged. Only then does the update run. This bounds the evaluation of the
WHERE clauses on the data as it is, and so the changes made (solutions times template).
It does not bound what a later operation of the same update finds after an earlier one
changed the data (``INSERT {...} WHERE {...} ; DELETE {...} WHERE {...}`` is counted on
the data before the insert); operations without a WHERE clause (``INSERT DATA``, ``CLEAR``,
``COPY``...) are bounded by their text or by the graphs they copy. An update that
passes costs its WHERE clauses twice.
"""

from __future__ import annotations

import json
import time
from typing import Final

from flask import Blueprint, Response

from l4a_graph.errors import QueryError
from l4a_graph.namespaces import is_private_graph
from l4a_graph.sparql import tokens
from l4a_graph.web.access_log import note
from l4a_graph.web.auth import require_token
from l4a_graph.web.errors import (
    BadRequestError,
    ForbiddenError,
    PayloadTooLargeError,
    QueryTimeoutError,
)
from l4a_graph.web.operations import Matching, count_query, read_update, with_dataset
from l4a_graph.web.protocol import graph_iris, sparql_text
from l4a_graph.web.responses import empty
from l4a_graph.web.safety import check_complexity, check_fetches
from l4a_graph.web.service import Answer
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
    note(query=text)
    check_fetches(text, state.settings.allowed_endpoints, update=True)
    operations = read_update(text)
    default, named = graph_iris("using-graph-uri"), graph_iris("using-named-graph-uri")
    if default or named:
        text = with_dataset(text, operations, default, named)
        operations = read_update(text)
    check_complexity(text, update=True)
    _check_public(text)
    try:
        with state.service.writing() as store:
            _preflight(text, operations)
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


def _preflight(text: str, operations: list[Matching]) -> None:
    """Count the solutions of the WHERE clauses of ``text`` on a query worker.

    The caller holds the write lock, so the snapshot the worker reads is the live store.

    Raises
    ------
    QueryTimeoutError
        If counting took longer than ``query_timeout`` (504).
    PayloadTooLargeError
        If they match more than ``max_update_solutions`` solutions together (413).
    WebError
        As :meth:`~l4a_graph.web.service.QueryService.query` (400 for a WHERE clause
        that does not parse, 503).
    """
    state = web()
    settings, service = state.settings, state.service
    deadline = time.monotonic() + settings.query_timeout
    total = 0
    for operation in operations:
        query = count_query(text, operation, service.snapshot.graphs)
        left = max(deadline - time.monotonic(), 0.0)
        try:
            answer = service.query(
                query, tabular="json", graph=None, time_limit=left, as_update=True
            )
        except QueryTimeoutError as error:
            raise QueryTimeoutError(
                f"the WHERE clauses of the update ran longer than the "
                f"{settings.query_timeout:g} s limit and were stopped; nothing was changed: "
                "make them more selective, or split the update"
            ) from error
        total += _count(answer)
        limit = settings.max_update_solutions
        if limit and total > limit:
            raise PayloadTooLargeError(
                f"the WHERE clauses of the update match at least {total:,} solutions, over "
                f"the {limit:,} an update may use (max_update_solutions); nothing was "
                "changed: split the update into smaller ones"
            )


def _count(answer: Answer) -> int:
    """The ``?n`` of a one-row SPARQL JSON result (small, so it came inline)."""
    assert isinstance(answer.body, bytes)
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])
