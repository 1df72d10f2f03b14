"""The store interface every backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TypeAlias

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
)

from l4a_graph.formats import Format
from l4a_graph.sparql import Term

QueryResult: TypeAlias = QuerySolutions | QueryTriples | QueryBoolean


class Store(ABC):
    """A quad store that speaks SPARQL 1.1.

    Queries see the union of all named graphs as their default graph. Every write is
    atomic: it happens whole or not at all.
    """

    writers: int = 1
    """How many updates are worth sending at once (the reasoner runs that many)."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; ``bindings`` pre-bind variables by name, never by text pasting.

        ``default_graph`` and ``named_graphs`` (graph IRIs) give the dataset as the SPARQL
        Protocol's ``default-graph-uri`` and ``named-graph-uri`` do: when either is given,
        the default graph is the merge of ``default_graph`` (empty if None), ``GRAPH`` sees
        only ``named_graphs`` (none if None), and the query's FROM clauses are overridden.
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction."""

    @abstractmethod
    def load(
        self, source: Path | bytes, fmt: Format, graph: str | None = None, *, lenient: bool = False
    ) -> None:
        """Parse and add ``source`` in one transaction (into ``graph`` for triple formats).

        ``lenient`` skips the validation of IRIs and language tags where the parser can:
        for a caller that checks the same source strictly (and removes what it loaded if
        that check fails). A backend may ignore it.
        """

    @abstractmethod
    def bulk_load(
        self, path: Path, fmt: Format, graph: str | None = None, *, lenient: bool = False
    ) -> None:
        """Add a large file fast; not atomic, so callers load into a staging graph first."""

    @abstractmethod
    def add(self, quads: Iterable[Quad]) -> None:
        """Add ``quads`` in one transaction."""

    @abstractmethod
    def dump(self, out: IO[bytes], fmt: Format, graph: str | None = None) -> None:
        """Serialize the whole dataset (or one graph) to ``out``."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """The IRIs of the non-empty named graphs, sorted."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the store."""

    def flush(self) -> None:  # noqa: B027 (a no-op unless the backend buffers writes)
        """Move what the store keeps of its recent writes in memory to disk (no-op here).

        A long-running writer calls it after each write: without it, an on-disk Oxigraph
        keeps the writes in its RocksDB memtables, in the writer's memory (measured: 36 KB
        per 40-quad write, 108 MB after 3,000 of them; one flush gives it all back).
        """

    def insert_where(self, template: str, where: str, graph: str) -> None:
        """Add to ``graph``, in one transaction, the triples ``template`` makes of each
        solution of the group pattern ``where`` (as ``INSERT { GRAPH <graph> { template } }
        WHERE { where }``)."""
        self.update(f"INSERT {{ GRAPH <{graph}> {{ {template} }} }} WHERE {{ {where} }}")

    def replace_graph(self, graph: str, staging: str) -> None:
        """Swap ``staging`` in as ``graph`` atomically and drop ``staging``."""
        self.update(f"DROP SILENT GRAPH <{graph}> ; MOVE SILENT GRAPH <{staging}> TO <{graph}>")

    def drop_graph(self, graph: str) -> None:
        """Remove ``graph`` and its triples; nothing happens if it does not exist."""
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def count(self, graph: str | None = None) -> int:
        """Number of triples in ``graph``, or quads in the whole store."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "{ GRAPH ?g { ?s ?p ?o } }"
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        assert isinstance(result, QuerySolutions)
        return int(next(iter(result))["n"].value)

    def is_empty(self) -> bool:
        """True when no named graph holds a triple."""
        return not self.named_graphs()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def copy_graph(source: Store, graph: str, target: Store, into: str) -> None:
    """Copy named graph ``graph`` of ``source`` into ``target`` as ``into``, replacing it.

    Two stores cannot share a transaction: the copy is idempotent instead, so an
    interrupted one is simply made again.
    """
    triples = source.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(triples, QueryTriples)
    write_graph(target, into, [Quad(t.subject, t.predicate, t.object) for t in triples])


def write_graph(store: Store, graph: str, quads: Iterable[Quad]) -> None:
    """Replace ``graph`` of ``store`` by ``quads`` (whatever graph they name)."""
    target = NamedNode(graph)
    store.drop_graph(graph)
    store.add(Quad(q.subject, q.predicate, q.object, target) for q in quads)
