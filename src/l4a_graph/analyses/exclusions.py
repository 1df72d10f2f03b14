"""Stakeholders excluded from matchmaking at their request.

An organisation may ask not to be proposed as a connection or as a broker. The request
is personal-data-adjacent (who opted out of what), so it lives in a restricted graph of
the private store (``graph/restricted/matchmaking-exclusions``), never published. It
is read at every ranking, like the Secretariat's decisions, so it takes effect at once.

An excluded stakeholder is removed from the HUB x stakeholder projection: it brings no
shared-stakeholder or PathSim score and is never named as a broker. Its HUBs stay
candidates (a HUB is a public initiative), and it cannot be the subject of a query.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import TYPE_CHECKING, Final

import numpy as np
from pyoxigraph import NamedNode
from scipy import sparse

from l4a_graph import namespaces as ns
from l4a_graph.analyses.graphs import HubViews, Incidence

if TYPE_CHECKING:
    from l4a_graph.knowledge_graph import KnowledgeGraph

__all__ = ["GRAPH_EXCLUSIONS", "excluded", "set_excluded", "without"]

GRAPH_EXCLUSIONS: Final = ns.GRAPH_RESTRICTED + "matchmaking-exclusions"
_EXCLUDED: Final = f"<{ns.L4A}excludedFromMatchmaking>"


def excluded(kg: KnowledgeGraph) -> frozenset[str]:
    """The IRIs of the stakeholders excluded from matchmaking."""
    rows = kg.private.query(
        f"SELECT ?s WHERE {{ GRAPH <{GRAPH_EXCLUSIONS}> {{ ?s {_EXCLUDED} true }} }}"
    )
    return frozenset(row["s"].value for row in rows)  # type: ignore[union-attr]


def set_excluded(kg: KnowledgeGraph, stakeholder: str, exclude: bool = True) -> None:
    """Exclude ``stakeholder`` from matchmaking (or, with ``exclude=False``, take it back)."""
    node = NamedNode(stakeholder)
    statement = f"GRAPH <{GRAPH_EXCLUSIONS}> {{ {node} {_EXCLUDED} true }}"
    kg.private.update(f"{'INSERT' if exclude else 'DELETE'} DATA {{ {statement} }}")


def without(views: HubViews, stakeholders: Collection[str]) -> HubViews:
    """``views`` with the columns of ``stakeholders`` emptied in the stakeholder projection.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges, hub_views
    >>> V = hub_views(graph_from_edges([("a", "has_stakeholder", "s"),
    ...                                 ("b", "has_stakeholder", "s")]))
    >>> int(V.stakeholders.matrix.sum()), int(without(V, {"s"}).stakeholders.matrix.sum())
    (2, 0)
    """
    incidence = views.stakeholders
    gone = [j for j, col in enumerate(incidence.cols) if col in stakeholders]
    if not gone:
        return views
    keep = np.ones(len(incidence.cols), dtype=incidence.matrix.dtype)
    keep[gone] = 0
    matrix = sparse.csr_array(incidence.matrix @ sparse.diags_array(keep))
    matrix.eliminate_zeros()
    emptied = Incidence(incidence.rows, incidence.cols, matrix)
    return dataclasses.replace(views, stakeholders=emptied)
