"""Related HUBs from the matchmaking analysis, for HUB pages and the map's lines.

The analysis is optional for the site: :data:`AVAILABLE` says, once at import, whether
``l4a_graph.analyses`` offers :func:`match_in`; without it the pages simply leave the
"related HUBs" section and the map's lines out. Results are cached per data generation
because one ranking reads the whole graph.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Final

from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.web.site.state import generation, site

__all__ = ["AVAILABLE", "Related", "related"]

AVAILABLE: Final = importlib.util.find_spec("l4a_graph.analyses.combine") is not None
if AVAILABLE:
    from l4a_graph.analyses.combine import match_in
    from l4a_graph.analyses.exceptions import MatchError
TOP: Final = 5


@dataclass(frozen=True)
class Related:
    """One suggested HUB: its IRI, label, score and the analysis's reason."""

    hub: str
    label: str
    score: float
    why: str


def _rank(kg: KnowledgeGraph, hub: str, lang: str) -> tuple[Related, ...]:
    try:
        _, result = match_in(kg, hub=hub, top=TOP, lang=lang, version=generation())
    except MatchError:
        return ()  # too few HUBs or an unknown one: nothing to suggest
    return tuple(
        Related(c.hub, c.label, c.score, c.explanation.text(lang)) for c in result.candidates
    )


def related(kg: KnowledgeGraph, hub: str, lang: str) -> tuple[Related, ...] | None:
    """The best candidates for ``hub``; None when the analysis is not installed."""
    if not AVAILABLE:
        return None
    return site().cached(("related", hub, lang), lambda: _rank(kg, hub, lang))
