"""l4a-graph: the open knowledge graph of UCLG's Local4Action HUBs.

The central object is :class:`~l4a_graph.knowledge_graph.KnowledgeGraph`: the CLI,
the web app and the analyses all receive one and never touch a store directly.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from l4a_graph.knowledge_graph import KnowledgeGraph

try:
    __version__ = version("l4a-graph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["KnowledgeGraph", "__version__"]
