"""The app factory: one Flask app around one knowledge graph.

Each concern is a blueprint (``/sparql``, ``/update``, ``/data``, ``/health``) or
registers itself with ``init_app`` (errors, CORS, access log, rate limits).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from flask import Flask

from l4a_graph.analyses import api as matchmaking_api
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.web import (
    access_log,
    admin,
    cors,
    errors,
    graph_store,
    health,
    rate_limits,
    site,
    sparql,
    update,
    workspace,
)
from l4a_graph.web.service import QueryService
from l4a_graph.web.settings import resolve_settings
from l4a_graph.web.state import EXTENSION, WebState

__all__ = ["create_app"]


def create_app(kg: KnowledgeGraph | None = None, config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web app.

    Parameters
    ----------
    kg
        The knowledge graph to serve; when None, a new one in memory holding the
        shipped data.
    config
        Settings by name (see :data:`~l4a_graph.web.settings.SETTINGS`); they override
        the ``L4A_*`` environment variables, which override the defaults.

    Returns
    -------
    Flask
        The app; ``app.extensions["l4a"]`` is its :class:`~l4a_graph.web.state.WebState`.
        Its query workers start on the first query (or ``state.service.start()``) and
        stop with ``state.service.close()``, or when the app is garbage-collected.

    Raises
    ------
    InputError
        If a setting is unknown or invalid, or the write token is unreadable or short.

    Examples
    --------
    >>> from l4a_graph.web import create_app
    >>> app = create_app(config={"rate_limit": ""})
    >>> app.test_client().get("/sparql", query_string={"query": "ASK {}"}).json
    {'head': {}, 'boolean': True}
    >>> app.extensions["l4a"].service.close()
    """
    settings = resolve_settings(config)
    if kg is None:
        kg = KnowledgeGraph()
        kg.ensure_loaded()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    service = QueryService(kg, settings)
    token = "" if settings.read_only else settings.token()
    app.extensions[EXTENSION] = WebState(kg, settings, service, token)
    weakref.finalize(app, service.close)
    errors.init_app(app)
    cors.init_app(app, settings.cors_origins)
    access_log.init_app(app)
    limiter = rate_limits.init_app(app, settings.rate_limit)
    limiter.exempt(health.bp)
    for blueprint in (sparql.bp, update.bp, graph_store.bp, health.bp, admin.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(matchmaking_api.bp)
    site.init_app(app)
    workspace.init_app(app)
    return app
