"""The journal: operations that span two writes, recorded before they start.

Most writes are one transaction and need no journal. Two are not: a submission writes
the private store (contact details, the archived previous version) and then the public
one; rebuilding the inferred graph drops it and writes it anew. Each records an entry
first and removes it when done, so a process killed in between leaves an entry that
:meth:`~l4a_graph.knowledge_graph.KnowledgeGraph.recover` finds and repairs the next
time the store is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from uuid import uuid4

from pyoxigraph import Literal, NamedNode, QuerySolutions

from l4a_graph import namespaces as ns
from l4a_graph.store import Store

__all__ = ["Entry", "begin", "end", "pending"]

_JOURNAL: Final = f"<{ns.GRAPH_JOURNAL}>"
_OPERATION: Final = f"<{ns.L4A}operation>"
_SUBJECT: Final = f"<{ns.L4A}operationSubject>"
_VERSION: Final = f"<{ns.L4A}versionNumber>"


@dataclass(frozen=True)
class Entry:
    """An operation begun: its kind, what it is about, and the version it would make."""

    iri: str
    operation: str
    subject: str
    version: int


def begin(store: Store, operation: str, subject: str, version: int = 0) -> Entry:
    """Record that ``operation`` on ``subject`` starts; return the entry to :func:`end`."""
    entry = Entry(f"urn:uuid:{uuid4()}", operation, subject, version)
    store.update(
        f"INSERT DATA {{ GRAPH {_JOURNAL} {{ <{entry.iri}> {_OPERATION} {Literal(operation)} ; "
        f"{_SUBJECT} {NamedNode(subject)} ; {_VERSION} {version} }} }}"
    )
    return entry


def end(store: Store, entry: Entry) -> None:
    """Record that ``entry``'s operation finished (or was repaired)."""
    store.update(f"DELETE WHERE {{ GRAPH {_JOURNAL} {{ <{entry.iri}> ?p ?o }} }}")


def pending(store: Store) -> list[Entry]:
    """The operations begun and never finished, oldest IRI first."""
    result = store.query(
        f"SELECT ?e ?op ?s ?v WHERE {{ GRAPH {_JOURNAL} {{ "
        f"?e {_OPERATION} ?op ; {_SUBJECT} ?s ; {_VERSION} ?v }} }} ORDER BY ?e"
    )
    assert isinstance(result, QuerySolutions)
    return [
        Entry(row["e"].value, row["op"].value, row["s"].value, int(row["v"].value))
        for row in result
    ]
