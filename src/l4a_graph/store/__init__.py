"""Where the triples live: one interface, an embedded and (later) a remote implementation.

Callers use :class:`Store` only, so switching from the embedded Oxigraph to a SPARQL 1.1
server changes no caller.
"""

from __future__ import annotations

from l4a_graph.store.base import QueryResult, Store
from l4a_graph.store.embedded import EmbeddedStore

__all__ = ["EmbeddedStore", "QueryResult", "Store"]
