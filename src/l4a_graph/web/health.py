"""``/health``: liveness, and what the store holds (from the current snapshot, so cheap)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from l4a_graph import __version__
from l4a_graph.web.cors import cross_origin
from l4a_graph.web.state import web

__all__ = ["bp"]

bp = Blueprint("health", __name__)


@bp.route("/health")
@cross_origin("GET", "HEAD")
def health() -> Response:
    """Status, version, store counts and the state of the query workers, as JSON."""
    state = web()
    counts = state.service.counts()
    pool = state.service.pool
    return jsonify(
        status="ok",
        version=__version__,
        writable=bool(state.write_token) and not state.settings.read_only,
        store={
            "quads": counts.quads,
            "triples": counts.triples,
            "named_graphs": len(counts.graphs),
            "snapshot": counts.generation,
        },
        workers={"size": pool.size, "busy": pool.busy, "restarts": pool.restarts},
    )
