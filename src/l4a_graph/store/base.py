"""The store interface every backend implements."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, TypeAlias

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Triple,
)

from l4a_graph.errors import QueryError
from l4a_graph.formats import Format

Term: TypeAlias = NamedNode | BlankNode | Literal | Triple
QueryResult: TypeAlias = QuerySolutions | QueryTriples | QueryBoolean
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def with_bindings(sparql: str, bindings: Mapping[str, Term] | None) -> str:
    """Bind variables of ``sparql`` to RDF terms with a trailing ``VALUES`` clause.

    The terms are written by the RDF library in N-Triples syntax, so a value can never
    change the query's structure; every SPARQL 1.1 engine understands the result.

    Examples
    --------
    >>> print(with_bindings("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('a" }')}))
    SELECT ?s WHERE { ?s ?p ?o }
    VALUES (?o) { ("a\\" }") }
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not VARIABLE_NAME.fullmatch(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    # A newline first, in case the query ends inside a comment.
    return f"{sparql}\nVALUES ({names}) {{ ({values}) }}"


class Store(ABC):
    """A quad store that speaks SPARQL 1.1.

    Queries see the union of all named graphs as their default graph. Every write is
    atomic: it happens whole or not at all.
    """

    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a SPARQL query; ``bindings`` pre-bind variables by name, never by text pasting."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction."""

    @abstractmethod
    def load(self, source: Path | bytes, fmt: Format, graph: str | None = None) -> None:
        """Parse and add ``source`` in one transaction (into ``graph`` for triple formats)."""

    @abstractmethod
    def bulk_load(self, path: Path, fmt: Format, graph: str | None = None) -> None:
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
