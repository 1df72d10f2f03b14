"""The query service: snapshots of the store, the worker pool, and the write lock.

Reads and writes never wait for each other. Queries run in worker processes on a
*snapshot*: a checkpoint of the on-disk store (hard links, milliseconds) or, for a store
in memory, an N-Quads dump. Writes go to the live store in this process, one at a time,
inside :meth:`QueryService.writing`, which publishes a new snapshot when the write is
done; workers switch to it before their next query, and old snapshots are deleted once
no worker has them open. The counts that ``/health`` and the service description report
are made once per snapshot, on demand.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from l4a_graph.backup import Manifest, backup_stores
from l4a_graph.formats import by_name
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.namespaces import is_private_graph
from l4a_graph.store import EmbeddedStore, Store
from l4a_graph.store.base import copy_graph
from l4a_graph.web import worker
from l4a_graph.web.errors import NotAcceptableError, WebError
from l4a_graph.web.negotiation import GRAPH_FORMATS, TABULAR_FORMATS
from l4a_graph.web.pool import WorkerPool
from l4a_graph.web.settings import Settings

__all__ = ["Answer", "Counts", "QueryService", "Snapshot"]

FORMS = {"solutions": "SELECT", "boolean": "ASK", "triples": "CONSTRUCT and DESCRIBE"}


@dataclass(frozen=True)
class Snapshot:
    """A published snapshot: where it is, and its named graphs."""

    location: worker.Snapshot
    graphs: frozenset[str]
    """The IRIs of the named graphs."""


@dataclass(frozen=True)
class Counts:
    """What a snapshot holds, counted on demand (see :meth:`QueryService.counts`)."""

    generation: int
    quads: int
    """Quads in the store."""
    triples: int
    """Triples in the default graph queries see (the union of all graphs)."""
    graphs: Mapping[str, int]
    """Named graph IRI → triples."""


@dataclass(frozen=True)
class Answer:
    """A query result ready to send: its description and its bytes (or open file)."""

    done: worker.Done
    body: bytes | BinaryIO


class QueryService:
    """Runs the web app's queries in worker processes and serializes its writes.

    Parameters
    ----------
    kg
        The knowledge graph; its store is written in this process and snapshotted.
    settings
        Time limit, queue timeout, row limit and number of workers.

    Notes
    -----
    Nothing starts until the first use (or :meth:`start`); :meth:`close` stops the
    workers and removes the snapshots.
    """

    def __init__(self, kg: KnowledgeGraph, settings: Settings) -> None:
        self.kg = kg
        self.settings = settings
        self._write_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._published_lock = threading.Lock()
        self._pool: WorkerPool | None = None
        self._snapshot: Snapshot | None = None
        self._counts: Counts | None = None
        self._published: dict[int, worker.Snapshot] = {}
        self._pinned: Counter[int] = Counter()
        """Generations a query is about to use (between choosing one and a worker opening it)."""
        self._generation = 0
        self._dirs: list[Path] = []
        self._spool = Path()
        self._snapshots = Path()

    # -- life cycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Publish the first snapshot and start the workers (once; later calls do nothing)."""
        with self._start_lock:
            if self._pool is not None:
                return
            self._spool = self._mkdtemp(None, "l4a-spool-")
            store = self.kg.store
            self._snapshots = self._spool
            if isinstance(store, EmbeddedStore) and store.path is not None:
                # Next to the store, so that the checkpoint's hard links work.
                self._snapshots = self._mkdtemp(store.path.parent, ".l4a-snapshots-")
            with self._write_lock:
                self._publish()
            self._pool = WorkerPool(
                self.settings.workers, self.settings.worker_memory_mb * 1024 * 1024
            )

    def _mkdtemp(self, parent: Path | None, prefix: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self._dirs.append(path)
        return path

    def close(self) -> None:
        """Stop the workers and delete the snapshots and spool files."""
        with self._start_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
            for path in self._dirs:
                shutil.rmtree(path, ignore_errors=True)
            self._dirs.clear()

    @property
    def pool(self) -> WorkerPool:
        """The worker pool (started on first use)."""
        self.start()
        assert self._pool is not None
        return self._pool

    @property
    def snapshot(self) -> Snapshot:
        """The current snapshot (published on first use)."""
        self.start()
        assert self._snapshot is not None
        return self._snapshot

    # -- reading -------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        tabular: str | None,
        graph: str | None,
        default_graph: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
        max_rows: int | None = None,
        time_limit: float | None = None,
        as_update: bool = False,
    ) -> Answer:
        """Run ``sparql`` in a worker and return its serialized result.

        Parameters
        ----------
        tabular, graph
            Result format names for SELECT/ASK and for CONSTRUCT/DESCRIBE; None where
            the client accepts none (the answer is then 406 if the query is of that form).
        default_graph, named_graphs
            The dataset, as :meth:`l4a_graph.store.Store.query` takes it.
        max_rows
            Row limit; the ``max_rows`` setting when None, 0 for no limit.
        time_limit
            Seconds the query may run; the ``query_timeout`` setting when None.
        as_update
            Query the dataset an update's WHERE clause sees, not the union (see
            :meth:`l4a_graph.store.EmbeddedStore.query`).

        Raises
        ------
        WebError
            400 for a query that does not parse or run, 406, 503, 504 (see
            :meth:`~l4a_graph.web.pool.WorkerPool.run`).
        """
        settings = self.settings
        pool = self.pool
        job = worker.Job(
            sparql,
            default_graph,
            named_graphs,
            tabular,
            graph,
            settings.max_rows if max_rows is None else max_rows,
            settings.query_timeout if time_limit is None else time_limit,
            str(self._spool / uuid.uuid4().hex),
            as_update,
        )
        location = self._pin()
        try:
            reply = pool.run(job, location, settings.queue_timeout)
        except WebError:
            Path(job.spool).unlink(missing_ok=True)
            raise
        finally:
            self._unpin(location.generation)
            self._collect()
        if isinstance(reply, worker.Unacceptable):
            offered = TABULAR_FORMATS if reply.kind != "triples" else GRAPH_FORMATS
            types = ", ".join(f.media_type for f in offered)
            raise NotAcceptableError(f"{FORMS[reply.kind]} results are available as {types}")
        if isinstance(reply, worker.Failed):
            raise WebError(reply.message, status=reply.status)
        if reply.body is not None:
            return Answer(reply, reply.body)
        spool = Path(job.spool).open("rb")  # noqa: SIM115 (the response closes it)
        # Unlinked while open: the bytes stay readable and vanish when the file closes.
        Path(job.spool).unlink()
        return Answer(reply, spool)

    def counts(self) -> Counts:
        """Quads, triples and triples per named graph of the current snapshot.

        Counting reads the whole store (about 0.3 s for 200,000 quads), so it is done on
        the first request after a write, not by the write, and kept until the next one.
        """
        current = self.snapshot.location.generation
        counts = self._counts
        if counts is not None and counts.generation == current:
            return counts
        with self._write_lock:  # no write in between: the counts match the snapshot
            assert self._snapshot is not None
            generation = self._snapshot.location.generation
            graphs = {
                row["g"].value: int(row["n"].value)
                for row in self.kg.select(
                    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
                )
            }
            union = self.kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            triples = int(next(iter(union))["n"].value)
            self._counts = Counts(generation, self.kg.store.count(), triples, graphs)
        return self._counts

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """Write to the store alone, then publish a snapshot for the queries to see.

        Every change the web app makes to the store must happen in this block, or
        queries go on seeing the previous snapshot. The block must leave the store
        unchanged when it raises (the store's writes are atomic, so one write per block,
        or a staging graph swapped in last, does).
        """
        self.start()
        with self._write_lock:
            yield self.kg.store
            self._keep_private_graphs_out()
            self._publish()
            self._flush()
        self._collect()

    @contextmanager
    def writing_private(self) -> Iterator[Store]:
        """Write to the private store, one writer at a time; no snapshot is published,
        since the query workers never see the private store."""
        with self._write_lock:
            yield self.kg.private
            self.kg.private.flush()

    def _flush(self) -> None:
        """Move the write from the stores' memory to their files (the caller holds the
        write lock). A checkpoint flushes the public store, but nothing flushed the
        private one: every draft and review stayed in the server's memory (36 KB per
        40-quad write) for as long as it ran."""
        self.kg.store.flush()
        self.kg.private.flush()

    def backup(self, target: Path) -> Manifest:
        """Back both stores up to ``target`` between two writes (see :mod:`l4a_graph.backup`).

        Raises
        ------
        WebError
            409 if the stores are in memory.
        """
        stores = {"public": self.kg.store, "private": self.kg.private}
        on_disk = {
            name: store
            for name, store in stores.items()
            if isinstance(store, EmbeddedStore) and store.path is not None
        }
        if len(on_disk) != len(stores):
            raise WebError(
                "the server's store is in memory: there is nothing to back up", status=409
            )
        with self._write_lock:
            return backup_stores(on_disk, target)

    def _keep_private_graphs_out(self) -> None:
        """Move any private graph a write created in the public store to the private one.

        /update refuses updates that name a private graph, but an update can compute a
        graph IRI; this sweep runs before the snapshot is published, so none is ever seen.
        """
        store = self.kg.store
        for graph in [g for g in store.named_graphs() if is_private_graph(g)]:
            copy_graph(store, graph, self.kg.private, graph)
            store.drop_graph(graph)

    def _publish(self) -> None:
        """Snapshot the store (the caller holds the write lock)."""
        self._generation += 1
        generation = self._generation
        store = self.kg.store
        path = self._snapshots / f"snapshot-{generation}"
        checkpoint = not self.settings.memory_snapshots
        if isinstance(store, EmbeddedStore) and store.path is not None and checkpoint:
            store.backup(path)
            location = worker.Snapshot(generation, str(path), on_disk=True)
        else:
            path = path.with_suffix(".nq")
            with path.open("wb") as out:
                store.dump(out, by_name("nq"))
            location = worker.Snapshot(generation, str(path), on_disk=False)
        snapshot = Snapshot(location, frozenset(store.named_graphs()))
        with self._published_lock:  # current and published change together: see _collect
            self._snapshot = snapshot
            self._published[generation] = location

    def _pin(self) -> worker.Snapshot:
        """The current snapshot, kept from :meth:`_collect` until :meth:`_unpin`.

        A query may wait for a free worker while writes publish newer snapshots; without
        the pin, its snapshot could be deleted before the worker opened it (measured:
        most queries failed with 503 under a steady stream of writes).
        """
        self.start()
        with self._published_lock:
            assert self._snapshot is not None
            location = self._snapshot.location
            self._pinned[location.generation] += 1
            return location

    def _unpin(self, generation: int) -> None:
        with self._published_lock:
            self._pinned[generation] -= 1
            if self._pinned[generation] <= 0:
                del self._pinned[generation]

    def _collect(self) -> None:
        """Delete the snapshots that are neither current, nor open in a worker, nor pinned."""
        if self._pool is None:
            return
        # Chosen under the lock: reading the current snapshot before taking it, a write
        # could publish a newer one in between, which was then deleted as neither
        # current nor pinned, and every query failed until the next write.
        with self._published_lock:
            if self._snapshot is None:
                return
            keep = self._pool.generations() | {self._snapshot.location.generation}
            keep |= set(self._pinned)
            doomed = [self._published.pop(g) for g in list(self._published) if g not in keep]
        for location in doomed:
            if location.on_disk:
                shutil.rmtree(location.path, ignore_errors=True)
            else:
                Path(location.path).unlink(missing_ok=True)
