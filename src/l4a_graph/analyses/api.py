"""The matchmaking JSON API: ``/api/match`` and ``/api/match/feedback``.

``GET /api/match?hub=IRI&top=K&lang=en`` (or ``lrg=IRI``, ``territory=CODE``; optional
``weights=name=value,...``) answers the candidates as ``l4a match --format json`` does.
``POST /api/match/feedback`` (form or JSON: ``pair``, ``decision`` = accept or reject,
``comment``, ``lang``) records the Secretariat's decision; like every write it needs the
operator's bearer token. Errors are the project's own (unknown HUB: 404, bad weights:
400), answered by the app's error handlers.

The projections matching ranks on are read from the store once per published snapshot
(keyed by its generation: every write through the app publishes a new one), so only the
first request after a change reads the store; the Secretariat's decisions are read on
every request.
"""

from __future__ import annotations

from typing import Any, Final

from flask import Blueprint, Response, jsonify, request

from l4a_graph.analyses.combine import Weights, match_in
from l4a_graph.analyses.feedback import DECISIONS, record_feedback
from l4a_graph.analyses.graphs import LANGUAGES
from l4a_graph.errors import InputError
from l4a_graph.web.auth import require_token
from l4a_graph.web.cors import cross_origin
from l4a_graph.web.errors import ForbiddenError
from l4a_graph.web.state import web

__all__ = ["bp"]

bp = Blueprint("matchmaking", __name__)

MAX_TOP: Final = 100


@bp.route("/api/match")
@cross_origin("GET", "HEAD")
def candidates() -> Response:
    """The best candidates for a HUB, an LRG or a territory, each explained."""
    args = request.args
    hub, lrg, territory = (args.get(name) or None for name in ("hub", "lrg", "territory"))
    if sum(x is not None for x in (hub, lrg, territory)) != 1:
        raise InputError("give exactly one of hub, lrg or territory")
    state = web()
    top, weights, lang = (
        _top(args.get("top", "10")),
        Weights.parse(args.get("weights")),
        _lang(args.get("lang", "en")),
    )
    _, result = match_in(
        state.kg,
        hub=hub,
        lrg=lrg,
        territory=territory,
        top=top,
        weights=weights,
        lang=lang,
        version=state.service.snapshot.location.generation,
    )
    return jsonify(result.as_dict())


@bp.route("/api/match/feedback", methods=["POST"])
def feedback() -> tuple[Response, int]:
    """Accept or reject a candidate pair; 201 with the IRI of the stored decision."""
    state = web()
    if state.settings.read_only:
        raise ForbiddenError("this server is read-only: feedback is disabled")
    require_token()
    data: dict[str, Any] = request.get_json(silent=True) or request.form.to_dict()
    pair, decision = str(data.get("pair", "")), str(data.get("decision", ""))
    if not pair or decision not in DECISIONS:
        raise InputError("give pair (HUB,CANDIDATE or a candidate IRI) and decision")
    with state.service.writing():
        iri = record_feedback(
            state.kg,
            pair,
            decision,
            str(data.get("comment", "")),
            lang=_lang(str(data.get("lang", "en"))),
        )
    return jsonify(feedback=iri, decision=DECISIONS[decision]), 201


def _top(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_TOP:
        raise InputError(f"top: a whole number from 1 to {MAX_TOP}")
    return int(text)


def _lang(text: str) -> str:
    if text not in LANGUAGES:
        raise InputError(f"lang: one of {', '.join(LANGUAGES)}")
    return text
