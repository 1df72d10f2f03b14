"""The stages of the benchmark; each runs in its own process (see ``python -m l4a_graph.bench``).

A stage takes the size (triples of the synthetic graph) and the working folder, has
what it needs that an earlier stage did not leave there made by another process
(untimed, and outside its peak memory), times its own work and returns the seconds
(None when skipped at this size) with details worth reporting.

Stages in memory (``reason``, ``matchmaking``, ``pipeline-memory``) read the synthetic
graph into an in-memory store first; that load is part of their peak memory, not of
their time (except the pipeline's, which times everything).
"""

from __future__ import annotations

import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Final, TypeAlias

from pyoxigraph import QueryBoolean

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError
from l4a_graph.formats import by_name
from l4a_graph.queries import load_library
from l4a_graph.sparql import Term, with_bindings
from l4a_graph.store import Store
from l4a_graph.synthetic import generate, hubs_for_triples

if TYPE_CHECKING:
    from l4a_graph.validator.intake import Submission

Detail: TypeAlias = dict[str, float | str]
StageResult: TypeAlias = tuple[float | None, Detail]

SEED: Final = 2020
"""The synthetic world of every benchmark (the year the programme began)."""
PAIRWISE: Final = frozenset({"shared-target-pairs"})
"""Questions about pairs of HUBs (sharing targets), quadratic by nature (the answer grows
with the square of the number of HUBs: 61,298 pairs at 200k triples), so they are timed
apart (``query-pairwise``)."""
QUERY_MAX: Final = 200_000
"""The pairwise questions are timed up to this size."""
RDFLIB_MAX: Final = 20_000
"""rdflib's engine is timed up to this size only: beyond, its mix takes hours."""
OWLRL_MAX: Final = 20_000
"""owlrl's closure is timed up to this size (about 30 s; 200k triples take 5 minutes)."""
OWLRL_CPU_LIMIT: Final = 900
"""CPU seconds owlrl may take before it is stopped (and reported as not finished)."""
VALIDATE_EVERY: Final = 100
"""The validation batch: every 100th synthetic HUB, as a submission of its own
(about 4, 36 and 180 submissions at 20k, 200k and 1M triples)."""
PYSHACL_MAX: Final = 200_000
"""Plain pyshacl validates the batch up to this size (about 3 s a submission)."""
ENDPOINT_REQUESTS: Final = 120
"""The endpoint's load: this many requests (ten of each query of the mix)."""
ENDPOINT_CONNECTIONS: Final = 4
"""Keep-alive connections the load keeps busy at once."""
MATCH_WORKERS: Final = 2
"""Threads ranking the candidates (numpy and BLAS release the GIL)."""


def synthetic_file(size: int, workdir: Path) -> Path:
    return workdir / f"synthetic-{size}.nt"


def store_dir(size: int, workdir: Path) -> Path:
    return workdir / f"store-{size}"


def dataset_file(size: int, workdir: Path) -> Path:
    return workdir / f"dataset-{size}.nq"


def submissions_dir(size: int, workdir: Path) -> Path:
    return workdir / f"submissions-{size}"


def run_generate(size: int, workdir: Path) -> StageResult:
    """Write the synthetic graph as N-Triples."""
    started = time.perf_counter()
    summary = generate(hubs_for_triples(size), SEED, synthetic_file(size, workdir), quads=False)
    seconds = time.perf_counter() - started
    return seconds, {"hubs": summary.hubs, "triples": summary.triples}


def run_load(size: int, workdir: Path) -> StageResult:
    """Load the shipped data, then bulk-load the synthetic graph (as ``l4a generate``
    does), into a new on-disk store."""
    source = _needs(synthetic_file(size, workdir), "generate", size, workdir)
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
    _needs(store_dir(size, workdir), "load", size, workdir)
    with KnowledgeGraph.open(store_dir(size, workdir), read_only=True) as kg:
        started = time.perf_counter()
        with dataset_file(size, workdir).open("wb") as out:
            kg.export(out, by_name("nq"))
        seconds = time.perf_counter() - started
    return seconds, {"mb": round(dataset_file(size, workdir).stat().st_size / 2**20, 1)}


def run_query(size: int, workdir: Path) -> StageResult:
    """The named-query library on the embedded store (the pairwise questions apart)."""
    _needs(store_dir(size, workdir), "load", size, workdir)
    with KnowledgeGraph.open(store_dir(size, workdir), read_only=True) as kg:
        return _run_mix(kg.store)


def run_query_pairwise(size: int, workdir: Path) -> StageResult:
    """The pairwise questions of the library on the embedded store, up to ``QUERY_MAX``."""
    if size > QUERY_MAX:
        return None, {"skipped": f"above {QUERY_MAX} triples"}
    _needs(store_dir(size, workdir), "load", size, workdir)
    with KnowledgeGraph.open(store_dir(size, workdir), read_only=True) as kg:
        return _run_mix(kg.store, pairwise=True)


def run_query_server(size: int, workdir: Path) -> StageResult:
    """The named-query library through ``oxigraph serve`` on 127.0.0.1.

    Its store is on disk, as the embedded one of ``query`` is: ``oxigraph load`` of the
    exported dataset first (untimed, in ``load_seconds``).
    """
    from l4a_graph.store.remote import RemoteStore

    data = _needs(dataset_file(size, workdir), "export", size, workdir)
    location = workdir / f"oxigraph-{size}"
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    binary = str(Path(sys.executable).parent / "oxigraph")
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(data)],
        check=True,
        capture_output=True,
    )
    loaded = time.perf_counter() - started
    with _oxigraph_server(location) as (url, pid):
        store = RemoteStore(f"{url}/query", f"{url}/update", f"{url}/store", timeout=3600)
        seconds, detail = _run_mix(store)
        detail |= {"load_seconds": round(loaded, 3), "server_peak_mb": tree_peak_mb(pid)}
    shutil.rmtree(location, ignore_errors=True)
    return seconds, detail


def run_query_rdflib(size: int, workdir: Path) -> StageResult:
    """The named-query library on rdflib's own engine (up to ``RDFLIB_MAX`` triples)."""
    if size > RDFLIB_MAX:
        return None, {"skipped": f"above {RDFLIB_MAX} triples"}
    import rdflib

    from l4a_graph.store.remote import with_prefixes

    data = _needs(dataset_file(size, workdir), "export", size, workdir)
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


def run_reason(size: int, workdir: Path) -> StageResult:
    """The fast reasoner (``l4a reason``) in memory; the consistency check in the details."""
    from l4a_graph.bench.reasoning import measure_fast

    kg = _memory_kg(size, workdir)
    found = measure_fast(kg)
    return found["wall"], {
        "cpu_seconds": round(found["cpu"], 3),
        "inferred": found["inferred"],
        "rounds": found["rounds"],
        "check_seconds": round(found["check"], 3),
        "violations": found["violations"],
    }


def run_reason_owlrl(size: int, workdir: Path) -> StageResult:
    """owlrl's closure of the same data (up to ``OWLRL_MAX``), compared with the fast one."""
    from l4a_graph.bench.reasoning import limit_cpu, measure_owlrl

    if size > OWLRL_MAX:
        return None, {"skipped": f"above {OWLRL_MAX} triples"}
    kg = _memory_kg(size, workdir)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError

    signal.signal(signal.SIGXCPU, stop)
    limit_cpu(time.process_time() + OWLRL_CPU_LIMIT)
    try:
        found = measure_owlrl(kg)
    except TimeoutError:
        return None, {"skipped": f"stopped after {OWLRL_CPU_LIMIT} CPU s"}
    return found["wall"], {
        "cpu_seconds": round(found["cpu"], 3),
        "inferred": found["inferred"],
        "same_closure": "yes" if found["identical"] else f"no: {found['differences']} differ",
    }


def run_submissions(size: int, workdir: Path) -> StageResult:
    """Write the validation batch: every ``VALIDATE_EVERY``-th HUB as a submission file."""
    from l4a_graph.bench.validation import submissions

    source = _needs(synthetic_file(size, workdir), "generate", size, workdir)
    folder = submissions_dir(size, workdir)
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    batch = submissions(source, VALIDATE_EVERY)
    seconds = time.perf_counter() - started
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    for submission in batch:
        (partial / submission.name).write_bytes(submission.data)
    partial.rename(folder)  # complete or absent: a later stage never sees half a batch
    return seconds, {"submissions": len(batch)}


def run_validate(size: int, workdir: Path) -> StageResult:
    """The batch through the project's validator (``l4a validate``, stage 2), one by one."""
    from l4a_graph.bench.validation import validate_batch

    found = validate_batch(_batch(size, workdir))
    return found["wall"], {
        "cpu_seconds": round(found["cpu"], 3),
        "submissions": found["submissions"],
        "conforming": found["conforming"],
        "median_ms": round(found["median_ms"], 1),
        "first_call_seconds": round(found["first_call_s"], 3),
    }


def run_validate_pyshacl(size: int, workdir: Path) -> StageResult:
    """The same batch through plain pyshacl (up to ``PYSHACL_MAX``)."""
    from l4a_graph.bench.validation import pyshacl_batch

    if size > PYSHACL_MAX:
        return None, {"skipped": f"above {PYSHACL_MAX} triples"}
    found = pyshacl_batch(_batch(size, workdir))
    return found["wall"], {
        "cpu_seconds": round(found["cpu"], 3),
        "submissions": found["submissions"],
        "results": found["results"],
        "per_submission_seconds": round(found["wall"] / max(1, found["submissions"]), 3),
    }


def run_endpoint(size: int, workdir: Path) -> StageResult:
    """``l4a serve`` on the loaded store, under a fixed load from a second process.

    The load generator (:mod:`l4a_graph.bench.endpoint`) keeps ``ENDPOINT_CONNECTIONS``
    keep-alive connections busy until ``ENDPOINT_REQUESTS`` requests are answered,
    after a warm-up of one instance of each query; the server runs with its defaults
    except the rate limit (off). The seconds are those of the load.
    """
    from l4a_graph.bench.endpoint import MIX, free_port, load_process, stop, wait_ready

    store = _needs(store_dir(size, workdir), "load", size, workdir)
    port = free_port()
    command = [str(Path(sys.executable).parent / "l4a"), "--store", str(store), "serve"]
    command += ["--port", str(port), "--read-only", "-s", "rate_limit", ""]
    command += ["-s", "access_log", str(workdir / f"access-{size}.log")]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    hubs = hubs_for_triples(size)
    try:
        wait_ready(url, server)
        load_process(url, hubs, 3600, len(MIX), 1)  # warm-up
        found = load_process(url, hubs, 3600, ENDPOINT_REQUESTS, ENDPOINT_CONNECTIONS, len(MIX))
        server_peak = tree_peak_mb(server.pid)
    finally:
        stop(server)
    samples = found["samples"]
    times = sorted(s["seconds"] for s in samples if s["status"] == 200)
    elapsed = float(found["elapsed"])
    return elapsed, {
        "requests": len(samples),
        "errors": sum(1 for s in samples if s["status"] != 200),
        "requests_per_second": round(len(samples) / elapsed, 2),
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else "",
        "p95_ms": round(times[round(0.95 * (len(times) - 1))] * 1000, 1) if times else "",
        "server_peak_mb": server_peak,
    }


def run_matchmaking(size: int, workdir: Path) -> StageResult:
    """Top-10 candidates for every HUB, from the reasoned store in memory.

    The path ``l4a match`` and the API take: the store read straight into the HUB
    projections (``read_views``), then every HUB ranked (``rank_all``, no explanations).
    """
    from l4a_graph.analyses.combine import rank_all
    from l4a_graph.analyses.store_views import read_views

    kg = _memory_kg(size, workdir)
    kg.reason(check=False)  # what `l4a load` leaves: matchmaking reads the entailments
    started, cpu = time.perf_counter(), time.process_time()
    views = read_views(kg).views
    read = time.perf_counter()
    ranking = rank_all(views, top=10, workers=MATCH_WORKERS)
    seconds = time.perf_counter() - started
    return seconds, {
        "hubs": len(views.hubs),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "read_seconds": round(read - started, 3),
        "rank_seconds": round(time.perf_counter() - read, 3),
        "candidates": sum(len(row) for row in ranking),
    }


def run_pipeline_memory(size: int, workdir: Path) -> StageResult:
    """Load, reason, validate, ready to query: an in-memory store (``l4a --memory``)."""
    return _pipeline(size, workdir, None)


def run_pipeline_disk(size: int, workdir: Path) -> StageResult:
    """Load, reason, validate, ready to query: a new on-disk store (``l4a --store DIR``)."""
    return _pipeline(size, workdir, workdir / f"pipeline-{size}")


READY_QUERY: Final = (
    "SELECT ?goal (COUNT(DISTINCT ?hub) AS ?hubs) "
    "WHERE { ?hub a l4a:Hub ; l4a:hasStakeholder ?who ; l4a:addressesGoal ?goal } GROUP BY ?goal"
)
"""The first question the pipeline answers: it reads inferred triples (``a l4a:Hub``
from the domain of ``l4a:hasLead``, ``l4a:hasStakeholder`` from the property chain)."""


def _pipeline(size: int, workdir: Path, folder: Path | None) -> StageResult:
    """What ``l4a load`` of the shipped data and of the synthetic file, then ``l4a reason``
    (which checks consistency) and a first query do, through :class:`KnowledgeGraph`.

    "Validate" is the consistency check: the one validation that reads the whole store
    (the SHACL shapes check submissions one by one, see the ``validate`` stage).
    """
    from l4a_graph.reasoner.consistency import check

    source = _needs(synthetic_file(size, workdir), "generate", size, workdir)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    marks: list[tuple[float, float]] = [(time.perf_counter(), time.process_time())]

    def mark() -> None:
        marks.append((time.perf_counter(), time.process_time()))

    kg = KnowledgeGraph.open(folder)
    kg.load_shipped()
    kg.load_files([source], graph=ns.GRAPH_SYNTHETIC)
    mark()
    report = kg.reason(check=False)
    mark()
    violations = check(kg.store)
    mark()
    rows = sum(1 for _ in kg.select(READY_QUERY))
    mark()
    quads = kg.store.count()
    kg.close()
    mark()
    steps = ("load", "reason", "validate", "query", "close")
    detail: Detail = {"quads": quads, "inferred": report.inferred, "violations": len(violations)}
    for name, (before, after) in zip(steps, pairwise(marks), strict=True):
        detail[f"{name}_seconds"] = round(after[0] - before[0], 3)
        detail[f"{name}_cpu_seconds"] = round(after[1] - before[1], 3)
    detail["rows"] = rows
    # Ready to query once the first answer is in; closing (flushing) comes after.
    return marks[4][0] - marks[0][0], detail


STAGES: Final[dict[str, Callable[[int, Path], StageResult]]] = {
    "generate": run_generate,
    "load": run_load,
    "export": run_export,
    "reason": run_reason,
    "reason-owlrl": run_reason_owlrl,
    "validate": run_validate,
    "validate-pyshacl": run_validate_pyshacl,
    "query": run_query,
    "query-server": run_query_server,
    "query-rdflib": run_query_rdflib,
    "query-pairwise": run_query_pairwise,
    "endpoint": run_endpoint,
    "matchmaking": run_matchmaking,
    "pipeline-memory": run_pipeline_memory,
    "pipeline-disk": run_pipeline_disk,
}
"""Every stage, in the order the suite runs them."""

HELPERS: Final[dict[str, Callable[[int, Path], StageResult]]] = {
    "submissions": run_submissions,
}
"""Steps that make what stages need, run like a stage but not reported."""


def _needs(path: Path, maker: str, size: int, workdir: Path) -> Path:
    """``path``, made first by stage ``maker`` (in a process of its own, untimed) when an
    earlier stage did not leave it."""
    if not path.exists():
        from l4a_graph.bench import measure

        measure(maker, size, workdir, timeout=3600)
    return path


def _memory_kg(size: int, workdir: Path) -> KnowledgeGraph:
    """An in-memory store with the shipped data and the synthetic graph of ``size``."""
    source = _needs(synthetic_file(size, workdir), "generate", size, workdir)
    kg = KnowledgeGraph()
    kg.load_shipped()
    kg.store.load(source, by_name("nt"), ns.GRAPH_SYNTHETIC)
    return kg


def _batch(size: int, workdir: Path) -> list[Submission]:
    """The validation batch of ``size``, read as ``l4a validate`` reads a file."""
    from l4a_graph.validator.intake import read_submission

    folder = _needs(submissions_dir(size, workdir), "submissions", size, workdir)
    return [read_submission(path) for path in sorted(folder.glob("*.nt"))]


def _mix(*, pairwise: bool = False) -> list[tuple[str, str, dict[str, Term]]]:
    """The library's queries that run without arguments, with their default bindings:
    those of ``PAIRWISE``, or (by default) all the others."""
    mix = []
    for query in load_library().values():
        if (query.name in PAIRWISE) != pairwise:
            continue
        try:
            mix.append((query.name, query.text, query.bindings({})))
        except InputError:  # a required parameter without a default
            continue
    return mix


def _run_mix(store: Store, *, pairwise: bool = False) -> StageResult:
    """Run every query of the mix to its last row; report the total and the slowest."""
    times: dict[str, float] = {}
    for name, text, bindings in _mix(pairwise=pairwise):
        started = time.perf_counter()
        result = store.query(text, bindings=bindings)
        if not isinstance(result, QueryBoolean):
            for _row in result:
                pass
        times[name] = time.perf_counter() - started
    slowest = max(times, key=times.__getitem__)
    return sum(times.values()), {
        "queries": len(times),
        "slowest": slowest,
        "slowest_seconds": round(times[slowest], 3),
    }


@contextmanager
def _oxigraph_server(location: Path | None = None) -> Iterator[tuple[str, int]]:
    """``oxigraph serve`` on a free port of 127.0.0.1, on the store at ``location`` (in
    memory when None): (its URL, its pid)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = Path(sys.executable).parent / "oxigraph"
    command = [str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if location is not None:
        command += ["--location", str(location)]
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


def peak_mb_of(pid: int | str) -> float:
    """Peak resident memory (``VmHWM``) of a running process, ``"self"`` for this one.

    Linux only; elsewhere this process's ``ru_maxrss`` (0 for another process).
    """
    status = Path(f"/proc/{pid}/status")
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    if pid != "self":
        return 0.0
    import resource

    # ru_maxrss is in KiB on Linux, in bytes on macOS; this fallback is for the others.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def tree_peak_mb(pid: int) -> float:
    """The peaks of a process and of all its descendants, added up (an upper bound of
    their memory together: pages they share count once per process)."""
    parents: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:"):
                parents.setdefault(int(line.split()[1]), []).append(int(status.parent.name))
                break
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += peak_mb_of(current)
        todo += parents.get(current, [])
    return round(total, 1)
