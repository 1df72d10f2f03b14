"""A query worker: a child process that answers queries from a snapshot of the store.

Oxigraph's query call cannot be interrupted, so each query runs in one of these
processes; a query over its time limit is stopped by killing the process (see
:mod:`l4a_graph.web.pool`). A worker reads a snapshot (a checkpoint of the on-disk store,
or an N-Quads dump of a store in memory), never the live store, so it is never in the
way of a writer, and it is told to switch when a write publishes a new snapshot.

The parent talks to it over a socket pair with :mod:`multiprocessing.connection`
messages, one request and one reply at a time: :class:`Open` → :class:`Ready`, and
:class:`Job` → :class:`Done`, :class:`Failed` or :class:`Unacceptable`. A result up
to :data:`INLINE_BYTES` comes back in the reply; a larger one is written to the job's
spool file, which the parent streams to the client, so the worker is free again as
soon as the result is written, however slowly the client reads.

Started as ``python -c "from l4a_graph.web.worker import main; main()" FD``: not with
``-m``, which would make this module ``__main__`` and its messages unpicklable by the parent.
"""

from __future__ import annotations

import re
import resource
import signal
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import BinaryIO, Final

from pyoxigraph import QueryBoolean, QuerySolutions

from l4a_graph.errors import L4AError, QueryError
from l4a_graph.formats import by_name
from l4a_graph.store import EmbeddedStore
from l4a_graph.web.results import write_result

__all__ = ["Done", "Failed", "Job", "Open", "Ready", "Snapshot", "Unacceptable", "serve"]

INLINE_BYTES: Final = 1 << 20
"""Results up to this size travel in the reply; larger ones through a spool file."""
GRACE_SECONDS: Final = 2.0
"""A worker kills itself this long after a job's time limit, should its parent be gone."""
_POSITION: Final = re.compile(r"(?::\s*)?error at (\d+):(\d+):\s*")


@dataclass(frozen=True)
class Snapshot:
    """Where a snapshot of the store is."""

    generation: int
    path: str
    on_disk: bool
    """A checkpoint directory of the on-disk store; else an N-Quads file."""


@dataclass(frozen=True)
class Open:
    """Switch to ``snapshot``."""

    snapshot: Snapshot


@dataclass(frozen=True)
class Ready:
    """The snapshot is open."""


@dataclass(frozen=True)
class Job:
    """Run a query and write its result."""

    sparql: str
    default_graph: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    tabular: str | None
    """Result format for SELECT and ASK; None if the client accepts none."""
    graph: str | None
    """Result format for CONSTRUCT and DESCRIBE; None if the client accepts none."""
    max_rows: int
    time_limit: float
    spool: str
    """File for a result larger than :data:`INLINE_BYTES` (created by the worker)."""
    as_update: bool = False
    """Query the dataset an update's WHERE clause sees (see :meth:`EmbeddedStore.query`)."""


@dataclass(frozen=True)
class Done:
    """The result is written."""

    kind: str
    """``solutions``, ``boolean`` or ``triples``."""
    fmt: str
    rows: int
    truncated: bool
    body: bytes | None
    """The result, or None when it is in the job's spool file."""
    size: int


@dataclass(frozen=True)
class Failed:
    """The query could not be answered; ``status`` is the HTTP status to report."""

    status: int
    message: str


@dataclass(frozen=True)
class Unacceptable:
    """The query's form (``kind``) has no result format the client accepts."""

    kind: str


class Spool:
    """Bytes kept in memory up to :data:`INLINE_BYTES`, then written to ``path``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.size = 0
        self._parts: list[bytes] = []
        self._file: BinaryIO | None = None

    def write(self, data: bytes, /) -> int:
        self.size += len(data)
        if self._file is None and self.size > INLINE_BYTES:
            # Exclusive creation: the parent chose a fresh name, nothing may be there.
            self._file = Path(self.path).open("xb")  # noqa: SIM115 (closed in finish/discard)
            self._file.writelines(self._parts)
            self._parts.clear()
        if self._file is not None:
            self._file.write(data)
        else:
            self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to do: the parent reads the file only after :meth:`finish`."""

    def finish(self) -> bytes | None:
        """The bytes written, or None if they are in the file (now closed)."""
        if self._file is None:
            return b"".join(self._parts)
        self._file.close()
        return None

    def discard(self) -> None:
        """Forget what was written and remove the file."""
        if self._file is not None:
            self._file.close()
        Path(self.path).unlink(missing_ok=True)


def open_snapshot(snapshot: Snapshot) -> EmbeddedStore:
    """Open a snapshot: the checkpoint read-only, or the dump loaded into memory."""
    if snapshot.on_disk:
        return EmbeddedStore(Path(snapshot.path), read_only=True)
    store = EmbeddedStore()
    store.bulk_load(Path(snapshot.path), by_name("nq"))
    return store


def syntax_message(error: L4AError) -> str:
    """``error``'s message with Oxigraph's ``error at 3:14:`` spelled out as line and column.

    Examples
    --------
    >>> syntax_message(QueryError("SPARQL syntax error: error at 2:9: expected SERVICE"))
    'SPARQL syntax error at line 2, column 9: expected SERVICE'
    """
    return _POSITION.sub(lambda m: f" at line {m[1]}, column {m[2]}: ", str(error)).strip()


def run(store: EmbeddedStore, job: Job) -> Done | Failed | Unacceptable:
    """Answer ``job`` from ``store``."""
    spool = Spool(job.spool)
    try:
        result = store.query(
            job.sparql,
            default_graph=job.default_graph,
            named_graphs=job.named_graphs,
            as_update=job.as_update,
        )
        if isinstance(result, QueryBoolean):
            kind, fmt = "boolean", job.tabular
        elif isinstance(result, QuerySolutions):
            kind, fmt = "solutions", job.tabular
        else:
            kind, fmt = "triples", job.graph
        if fmt is None:
            return Unacceptable(kind)
        rows, truncated = write_result(result, fmt, spool, job.max_rows)
        return Done(kind, fmt, rows, truncated, spool.finish(), spool.size)
    except QueryError as error:
        spool.discard()
        return Failed(400, syntax_message(error))
    except L4AError as error:
        spool.discard()
        return Failed(error.http_status, str(error))
    except (SyntaxError, RuntimeError, ValueError) as error:
        # Raised while results are computed, after the store call returned.
        spool.discard()
        return Failed(400, f"the query cannot run: {error}")
    except OSError as error:
        spool.discard()
        return Failed(502, f"the query failed while reading data: {error}")
    except Exception:
        spool.discard()
        traceback.print_exc()
        return Failed(500, "internal error in the query worker")


def _run_timed(store: EmbeddedStore | None, job: Job) -> Done | Failed | Unacceptable:
    if store is None:
        return Failed(503, "no store snapshot is open")
    # The parent kills us at the time limit; this alarm (whose default action ends the
    # process) stops a runaway query even if the parent is gone.
    signal.setitimer(signal.ITIMER_REAL, job.time_limit + GRACE_SECONDS)
    try:
        return run(store, job)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def serve(connection: Connection) -> None:
    """Answer the parent's messages until it closes the connection."""
    store: EmbeddedStore | None = None
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if isinstance(message, Open):
            store = None  # frees the previous snapshot before the next one opens
            try:
                store = open_snapshot(message.snapshot)
                connection.send(Ready())
            except (L4AError, OSError, SyntaxError, RuntimeError) as error:
                # RuntimeError: what Oxigraph raises for a RocksDB error (a missing file).
                connection.send(Failed(503, f"cannot open the store snapshot: {error}"))
        elif isinstance(message, Job):
            connection.send(_run_timed(store, message))
        else:
            connection.send(Failed(500, f"unexpected message {type(message).__name__}"))


def main() -> None:
    """Entry point: serve on the socket whose file descriptor is the first argument,
    within the memory limit in bytes of the second (0: none)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    limit_memory(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    serve(Connection(int(sys.argv[1])))


def limit_memory(limit: int) -> None:
    """Cap the heap of this process at ``limit`` bytes (0: no cap).

    RLIMIT_DATA, not RLIMIT_AS: the store's files are memory-mapped and count in the
    address space, not in the data segment. An allocation over the cap fails, and
    Oxigraph aborts the process: the parent sees the worker die and replaces it.
    """
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
