"""The pool of query worker processes, and the time limit that really stops a query.

Why processes: Oxigraph's ``query`` has no timeout and cannot be interrupted, and a
Python thread cannot be killed, so a query that must stop has to run in a process
that can be. Starting a process per query costs a Python start-up (about 0.3 s, and
the snapshot to open); a pool of long-lived workers costs it once. Each worker runs one
query at a time; a request waits for a free worker (up to the queue timeout, then
503), sends the query, and waits for the reply up to the time limit. Past it the
worker is killed with SIGKILL (the work stops at once, memory is returned) and a fresh
one is started in its place, while the other workers go on answering other clients.

Workers are plain subprocesses (see :mod:`~l4a_graph.web.worker`) joined by a socket
pair, not ``multiprocessing`` children: nothing of the server (its threads, sockets,
``__main__`` module) is copied or re-imported, and they run in a session of their own
so a Ctrl-C at the terminal reaches only the server, which then closes them.
"""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from typing import Final

from l4a_graph.web.errors import OverloadedError, QueryTimeoutError, WorkerFailedError
from l4a_graph.web.worker import Done, Failed, Job, Open, Ready, Snapshot, Unacceptable

__all__ = ["WorkerPool"]

OPEN_TIMEOUT: Final = 600.0
"""Seconds a worker may take to start and open a snapshot (not part of a query's time)."""
RETRY_AFTER: Final = 5
WORKER_MAIN: Final = "from l4a_graph.web.worker import main; main()"


class _Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self, memory_bytes: int) -> None:
        parent, child = socket.socketpair()
        with child:
            self.process = subprocess.Popen(
                [sys.executable, "-c", WORKER_MAIN, str(child.fileno()), str(memory_bytes)],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.connection = Connection(parent.detach())
        self.generation = -1
        """The snapshot this worker has open, or was last asked to open."""

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.connection.close()

    def stop(self, timeout: float) -> None:
        """Let the worker end on its own (it exits when its socket closes), else kill it."""
        self.connection.close()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()


class WorkerPool:
    """``size`` query worker processes, each running one query at a time.

    Parameters
    ----------
    size
        The number of workers, which is the number of queries run at once.
    memory_bytes
        The most memory each worker may allocate (0: no limit); a query that needs more
        ends its worker, which is replaced.
    """

    def __init__(self, size: int, memory_bytes: int = 0) -> None:
        self.size = size
        self.memory_bytes = memory_bytes
        self.restarts = 0
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._busy = 0
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.memory_bytes)
        with self._lock:
            self._workers.add(worker)
        self._idle.put(worker)

    def _obituary(self, worker: _Worker) -> str:
        """Why ``worker`` died while answering, as far as its exit status tells."""
        try:
            status = worker.process.wait(5)
        except subprocess.TimeoutExpired:
            status = None
        if self.memory_bytes and status == -signal.SIGABRT:
            return (
                f"the query needed more than the {self.memory_bytes // 2**20} MiB of memory "
                "a query may use (worker_memory_mb); make it lighter (a LIMIT, fewer "
                "unbound patterns, no ORDER BY on a large result)"
            )
        return "the query worker died while answering; retry, or make the query lighter"

    @property
    def busy(self) -> int:
        """Workers running a query now."""
        return self._busy

    def pids(self) -> list[int]:
        """Process ids of the workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers)

    def generations(self) -> set[int]:
        """The snapshots the workers have open (or are opening)."""
        with self._lock:
            return {w.generation for w in self._workers}

    def run(
        self, job: Job, snapshot: Snapshot, queue_timeout: float
    ) -> Done | Failed | Unacceptable:
        """Run ``job`` on a free worker that has ``snapshot`` open.

        Raises
        ------
        OverloadedError
            If no worker became free within ``queue_timeout`` seconds.
        QueryTimeoutError
            If the query ran over ``job.time_limit``; its worker was killed and replaced.
        WorkerFailedError
            If the worker died or could not open the snapshot; it was replaced.
        """
        try:
            worker = self._idle.get(timeout=queue_timeout)
        except queue.Empty:
            raise OverloadedError(
                f"all {self.size} query workers stayed busy for {queue_timeout:g} s; "
                f"retry in a few seconds",
                RETRY_AFTER,
            ) from None
        healthy = False
        with self._lock:
            self._busy += 1
        try:
            if worker.generation != snapshot.generation:
                self._open(worker, snapshot)
            worker.connection.send(job)
            if not worker.connection.poll(job.time_limit):
                raise QueryTimeoutError(
                    f"the query ran longer than the {job.time_limit:g} s limit and was "
                    "stopped; make it more selective (fewer unbound patterns, a LIMIT)"
                )
            reply = worker.connection.recv()
            if not isinstance(reply, Done | Failed | Unacceptable):
                raise WorkerFailedError(f"the query worker sent {type(reply).__name__}")
            healthy = True
            return reply
        except (EOFError, OSError) as error:
            raise WorkerFailedError(self._obituary(worker)) from error
        finally:
            with self._lock:
                self._busy -= 1
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def _open(self, worker: _Worker, snapshot: Snapshot) -> None:
        with self._lock:
            # Claimed before it is sent, so the snapshot is not deleted meanwhile.
            worker.generation = snapshot.generation
        worker.connection.send(Open(snapshot))
        if not worker.connection.poll(OPEN_TIMEOUT):
            raise WorkerFailedError(f"a query worker did not open the store in {OPEN_TIMEOUT:g} s")
        reply = worker.connection.recv()
        if not isinstance(reply, Ready):
            message = reply.message if isinstance(reply, Failed) else repr(reply)
            raise WorkerFailedError(f"a query worker could not open the store: {message}")

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)
            self.restarts += 1
        if not self._closed:
            self._add()

    def close(self, timeout: float = 5.0) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop(timeout)
