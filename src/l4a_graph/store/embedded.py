"""The default backend: an embedded Oxigraph, in memory or in a directory."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

from pyoxigraph import NamedNode, Quad, QuerySolutions, QueryTriples, RdfFormat, parse
from pyoxigraph import Store as OxStore

from l4a_graph.errors import QueryError, StoreError
from l4a_graph.formats import Format
from l4a_graph.namespaces import PREFIXES
from l4a_graph.sparql import Term, with_bindings
from l4a_graph.store.base import QueryResult, Store


class EmbeddedStore(Store):
    """An Oxigraph store in this process.

    Parameters
    ----------
    path
        Directory of an on-disk store (created if missing), or None for memory.
    read_only
        Open an existing on-disk store without write access.

    Examples
    --------
    >>> from l4a_graph.formats import by_name
    >>> store = EmbeddedStore()
    >>> store.load(b"<urn:a> <urn:b> <urn:c> .", by_name("nt"), graph="urn:g")
    >>> store.count("urn:g")
    1
    """

    writers = min(4, os.cpu_count() or 1)
    # Queries and loads release the GIL (see insert_where): two reasoner threads on 1M
    # triples, BENCHMARKS.md "Pipeline".

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._ox: OxStore | None
        try:
            if path is None:
                self._ox = OxStore()
            elif read_only:
                self._ox = OxStore.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._ox = OxStore(str(path))
                _remove_bulk_leftovers(path)
        except OSError as error:
            raise StoreError(f"cannot open the store at {path}: {error}") from error

    @property
    def _db(self) -> OxStore:
        if self._ox is None:
            raise StoreError(f"{self!r} is closed")
        return self._ox

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path) if self.path else 'memory'})"

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        as_update: bool = False,
    ) -> QueryResult:
        """Run a SPARQL query (see :meth:`Store.query`).

        With ``as_update`` and no ``default_graph`` nor ``named_graphs``, the dataset is
        the one the WHERE clause of an update sees: the store's own default graph (not
        the union), every named graph, or what the query's FROM clauses give.
        """
        own = default_graph is None and named_graphs is None
        try:
            return self._db.query(
                with_bindings(sparql, bindings),
                prefixes=PREFIXES,
                use_default_graph_as_union=own and not as_update,
                default_graph=None if own else [NamedNode(g) for g in default_graph or ()],
                named_graphs=None if own else [NamedNode(g) for g in named_graphs or ()],
            )
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except RuntimeError as error:
            raise QueryError(f"the query cannot run: {error}") from error
        except OSError as error:
            raise StoreError(f"the store failed to answer: {error}") from error

    def update(self, sparql: str) -> None:
        try:
            self._db.update(sparql, prefixes=PREFIXES)
        except SyntaxError as error:
            raise QueryError(f"SPARQL update syntax error: {error}") from error
        except RuntimeError as error:
            raise QueryError(f"the update cannot run: {error}") from error
        except OSError as error:
            raise StoreError(f"the store failed to write: {error}") from error

    def insert_where(self, template: str, where: str, graph: str) -> None:
        # The same triples written as a CONSTRUCT's N-Triples, loaded without the checks
        # Oxigraph's own output needs no more. Alone it is no faster than INSERT ... WHERE
        # (reasoning 1M triples: 4.5-6.7 s against 4.7-5.2 s), but pyoxigraph holds the
        # GIL through an update and not through a query or a load, so two of these run
        # at once (3.3-4.0 s; #10).
        constructed = self.query(f"CONSTRUCT {{ {template} }} WHERE {{ {where} }}")
        assert isinstance(constructed, QueryTriples)
        target = NamedNode(graph)
        try:
            data = constructed.serialize(format=RdfFormat.N_TRIPLES) or b""
            if b"_:" in data:
                # A load gives blank nodes new ids (each document its own): keep them.
                triples = parse(data, format=RdfFormat.N_TRIPLES)
                self._db.extend(Quad(t.subject, t.predicate, t.object, target) for t in triples)
            else:
                self._db.load(data, format=RdfFormat.N_TRIPLES, to_graph=target, lenient=True)
        except RuntimeError as error:
            raise QueryError(f"the update cannot run: {error}") from error
        except OSError as error:
            raise StoreError(f"the store failed to write: {error}") from error

    def load(
        self, source: Path | bytes, fmt: Format, graph: str | None = None, *, lenient: bool = False
    ) -> None:
        target = NamedNode(graph) if graph and not fmt.names_own_graphs else None
        if isinstance(source, Path):
            self._db.load(path=str(source), format=fmt.rdf_format, to_graph=target, lenient=lenient)
        else:
            self._db.load(source, format=fmt.rdf_format, to_graph=target, lenient=lenient)

    def bulk_load(
        self, path: Path, fmt: Format, graph: str | None = None, *, lenient: bool = False
    ) -> None:
        if self.path is None:
            # In memory a bulk load is no faster, and the store it builds is slower to
            # query: reasoning over 1M triples took 1.7-2x longer (`l4a bench`, #10).
            self.load(path, fmt, graph, lenient=lenient)
            return
        target = NamedNode(graph) if graph and not fmt.names_own_graphs else None
        self._db.bulk_load(path=str(path), format=fmt.rdf_format, to_graph=target, lenient=lenient)

    def add(self, quads: Iterable[Quad]) -> None:
        self._db.extend(quads)

    def dump(self, out: IO[bytes], fmt: Format, graph: str | None = None) -> None:
        if graph is not None:
            self._db.dump(out, format=fmt.rdf_format, from_graph=NamedNode(graph))
        elif fmt.has_graphs:
            self._db.dump(out, format=fmt.rdf_format)
        else:
            # A triple format cannot say which graph a triple came from: write the union.
            union = self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            assert isinstance(union, QueryTriples)
            union.serialize(out, format=fmt.rdf_format)

    def backup(self, directory: Path) -> None:
        """Write a consistent copy of this on-disk store into the new ``directory``.

        Files are hard-linked when ``directory`` is on the same file system, so the copy
        is fast and small; it opens as an ordinary store, also while this one is written.

        Raises
        ------
        StoreError
            If the store is in memory, or the copy cannot be written.
        """
        if self.path is None:
            raise StoreError("an in-memory store cannot be backed up; dump it instead")
        try:
            self._db.backup(str(directory))
        except OSError as error:
            raise StoreError(f"cannot back up the store to {directory}: {error}") from error

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._db.named_graphs() if isinstance(g, NamedNode))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._db)
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert isinstance(result, QuerySolutions)
        return int(next(iter(result))["n"].value)

    def is_empty(self) -> bool:
        return len(self._db) == 0

    def flush(self) -> None:
        if self._ox is not None and not self.read_only and self.path is not None:
            self._ox.flush()

    def close(self) -> None:
        if self._ox is None:
            return
        self.flush()
        # Oxigraph releases the directory lock only when its store object is freed.
        self._ox = None


def _remove_bulk_leftovers(path: Path) -> None:
    """Delete the files a bulk load killed before its end left in ``path``.

    A bulk load writes ``bulk-*.sst`` files, then has the database take them in; a
    process killed in between leaves them, unused, for ever. Only the process holding
    the store's lock (this one, just opened) can be loading, so none is in use.
    """
    for leftover in path.glob("bulk-*.sst"):
        leftover.unlink(missing_ok=True)
