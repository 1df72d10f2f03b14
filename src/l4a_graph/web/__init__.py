"""The web app: a SPARQL 1.1 endpoint over the knowledge graph, safe to put online.

:func:`create_app` (in :mod:`l4a_graph.web.app`) builds a Flask app around one
:class:`~l4a_graph.knowledge_graph.KnowledgeGraph`. Queries run in worker processes
with a hard time limit (:mod:`l4a_graph.web.pool`); writes are serialized and published
as snapshots (:mod:`l4a_graph.web.service`); ``l4a serve`` runs it under waitress
(:mod:`l4a_graph.web.commands`). See ``docs/endpoint.md``.

Flask is imported on first use of :func:`create_app`, not with this package: the query
workers import modules of it and start faster without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from l4a_graph.web.settings import SETTINGS, Settings, resolve_settings

if TYPE_CHECKING:
    from l4a_graph.web.app import create_app

__all__ = ["SETTINGS", "Settings", "create_app", "resolve_settings"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from l4a_graph.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
