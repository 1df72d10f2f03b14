"""What every view works with: the app's knowledge graph, settings and query service."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.web.service import QueryService
from l4a_graph.web.settings import Settings

__all__ = ["WebState", "web"]

EXTENSION = "l4a"


@dataclass(frozen=True)
class WebState:
    """The app's one knowledge graph, its resolved settings and its query service."""

    kg: KnowledgeGraph
    settings: Settings
    service: QueryService
    write_token: str
    """The bearer token for writes; empty when writes are refused."""


def web(app: Flask | None = None) -> WebState:
    """The :class:`WebState` of ``app`` (the current app when None)."""
    state: WebState = (app or current_app).extensions[EXTENSION]
    return state
