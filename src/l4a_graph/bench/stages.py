"""The stages of the benchmark; each runs in its own process (see ``python -m l4a_graph.bench``).

A stage takes the size (triples of the synthetic graph) and the working folder, makes
what it needs that an earlier stage did not leave there (untimed), times its own work
and returns the seconds (None when skipped at this size) with details worth reporting.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final, TypeAlias

from pyoxigraph import QueryBoolean

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError
from l4a_graph.formats import by_name
from l4a_graph.queries import load_library
from l4a_graph.sparql import Term, with_bindings
from l4a_graph.store import Store
from l4a_graph.synthetic import generate, hubs_for_triples

Detail: TypeAlias = dict[str, float | str]
StageResult: TypeAlias = tuple[float | None, Detail]

SEED: Final = 2020
"""The synthetic world of every benchmark (the year the programme began)."""
QUERY_MAX: Final = 200_000
"""The query mix is timed up to this size: it holds pairwise questions (HUBs sharing a
target), quadratic by nature, which take hours at 1M triples on any engine."""
RDFLIB_MAX: Final = 20_000
"""rdflib's engine is timed up to this size only: beyond, its mix takes hours."""


def synthetic_file(size: int, workdir: Path) -> Path:
    return workdir / f"synthetic-{size}.nt"


def store_dir(size: int, workdir: Path) -> Path:
    return workdir / f"store-{size}"


def dataset_file(size: int, workdir: Path) -> Path:
    return workdir / f"dataset-{size}.nq"


def run_generate(size: int, workdir: Path) -> StageResult:
    """Write the synthetic graph as N-Triples."""
    started = time.perf_counter()
    summary = generate(hubs_for_triples(size), SEED, synthetic_file(size, workdir), quads=False)
    seconds = time.perf_counter() - started
    return seconds, {"hubs": summary.hubs, "triples": summary.triples}


def run_load(size: int, workdir: Path) -> StageResult:
    """Load the shipped data, then bulk-load the synthetic graph (as ``l4a generate``
    does), into a new on-disk store."""
    source = _needs(synthetic_file(size, workdir), run_generate, size, workdir)
    folder = store_dir(size, workdir)
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    with KnowledgeGraph.open(folder) as kg:
        kg.load_shipped()
        shipped = time.perf_counter() - started
        kg.store.bulk_load(source, by_name("nt"), ns.GRAPH_SYNTHETIC)
        quads = kg.store.count()
    return time.perf_counter() - started, {"quads": quads, "shipped_seconds": round(shipped, 3)}


def run_export(size: int, workdir: Path) -> StageResult:
    """Write the whole dataset as N-Quads."""
    _needs(store_dir(size, workdir), run_load, size, workdir)
    with KnowledgeGraph.open(store_dir(size, workdir), read_only=True) as kg:
        started = time.perf_counter()
        with dataset_file(size, workdir).open("wb") as out:
            kg.export(out, by_name("nq"))
        seconds = time.perf_counter() - started
    return seconds, {"mb": round(dataset_file(size, workdir).stat().st_size / 2**20, 1)}


def run_query(size: int, workdir: Path) -> StageResult:
    """The named-query library on the embedded store."""
    if size > QUERY_MAX:
        return None, {"skipped": f"above {QUERY_MAX} triples"}
    _needs(store_dir(size, workdir), run_load, size, workdir)
    with KnowledgeGraph.open(store_dir(size, workdir), read_only=True) as kg:
        return _run_mix(kg.store)


def run_query_server(size: int, workdir: Path) -> StageResult:
    """The named-query library through ``oxigraph serve`` (in memory, on 127.0.0.1)."""
    from l4a_graph.store.remote import RemoteStore

    if size > QUERY_MAX:
        return None, {"skipped": f"above {QUERY_MAX} triples"}
    data = _needs(dataset_file(size, workdir), run_export, size, workdir)
    with _oxigraph_server() as (url, pid):
        store = RemoteStore(f"{url}/query", f"{url}/update", f"{url}/store", timeout=3600)
        started = time.perf_counter()
        store.load(data, by_name("nq"))
        loaded = time.perf_counter() - started
        seconds, detail = _run_mix(store)
        detail |= {"load_seconds": round(loaded, 3), "server_peak_mb": _peak_mb_of(pid)}
    return seconds, detail


def run_query_rdflib(size: int, workdir: Path) -> StageResult:
    """The named-query library on rdflib's own engine (up to ``RDFLIB_MAX`` triples)."""
    if size > RDFLIB_MAX:
        return None, {"skipped": f"above {RDFLIB_MAX} triples"}
    import rdflib

    from l4a_graph.store.remote import with_prefixes

    data = _needs(dataset_file(size, workdir), run_export, size, workdir)
    dataset = rdflib.Dataset(default_union=True)
    started = time.perf_counter()
    dataset.parse(data, format="nquads")
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    for _, text, bindings in _mix():
        for _row in dataset.query(with_prefixes(with_bindings(text, bindings))):
            pass
    seconds = time.perf_counter() - started
    return seconds, {"parse_seconds": round(parsed, 3), "queries": len(_mix())}


STAGES: Final[dict[str, Callable[[int, Path], StageResult]]] = {
    "generate": run_generate,
    "load": run_load,
    "export": run_export,
    "query": run_query,
    "query-server": run_query_server,
    "query-rdflib": run_query_rdflib,
}
"""Every stage, in the order the suite runs them."""


def _needs(path: Path, maker: Callable[[int, Path], StageResult], size: int, workdir: Path) -> Path:
    """``path``, made first by ``maker`` (untimed) when an earlier stage did not leave it."""
    if not path.exists():
        maker(size, workdir)
    return path


def _mix() -> list[tuple[str, str, dict[str, Term]]]:
    """The library's queries that run without arguments, with their default bindings."""
    mix = []
    for query in load_library().values():
        try:
            mix.append((query.name, query.text, query.bindings({})))
        except InputError:  # a required parameter without a default
            continue
    return mix


def _run_mix(store: Store) -> StageResult:
    """Run every query of the mix to its last row; report the total and the slowest."""
    times: dict[str, float] = {}
    for name, text, bindings in _mix():
        started = time.perf_counter()
        result = store.query(text, bindings=bindings)
        if not isinstance(result, QueryBoolean):
            for _row in result:
                pass
        times[name] = time.perf_counter() - started
    slowest = max(times, key=times.__getitem__)
    return sum(times.values()), {"queries": len(times), "slowest": slowest}


@contextmanager
def _oxigraph_server() -> Iterator[tuple[str, int]]:
    """An in-memory ``oxigraph serve`` on a free port of 127.0.0.1: (its URL, its pid)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = Path(sys.executable).parent / "oxigraph"
    command = [str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, server)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("oxigraph serve did not start") from None
            time.sleep(0.05)


def _peak_mb_of(pid: int) -> float:
    """Peak resident memory of a running process (Linux; 0 where /proc is missing)."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return 0.0
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0
