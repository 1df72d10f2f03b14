"""Load test: a real ``l4a serve`` on 127.0.0.1 under mixed reads and concurrent writes.

Not a test of the suite (``tests/test_load.py`` runs a small version in CI): run it by
hand and it rewrites the "Load" section of BENCHMARKS.md.

    python benchmarks/load_test.py                    # 100,000 requests, writes BENCHMARKS.md
    python benchmarks/load_test.py --requests 2000 --no-write

The server runs as ``l4a serve`` in a subprocess, on an on-disk store in a temporary
folder (the shipped data, loaded at the first start), with a write token, the rate
limit off and the access log in a file. Only 127.0.0.1 is ever contacted.

The load is bounded twice, by a fixed number of requests and a maximum duration, and
is a fixed mix (a seeded shuffle): SPARQL queries (lookup, aggregate, CONSTRUCT, ASK),
pages (home, a HUB, an SDG goal, an organisation), ``/api/hubs`` and ``/health``, and,
concurrently with them, writes: a HUB graph PUT to ``/data`` (each to a graph of its
own), a SPARQL update through ``/update``, and a draft application through the public
form ``/workspace/apply``. ``--clients`` threads each keep one HTTP/1.1 connection.

Checked afterwards: no error (every answer has the status its kind expects, no
connection failed); no write lost (every acknowledged write is read back: the graph
with all its triples, the update's triple, the draft at its link); the token never in
the access log. Reported: throughput, p50/p95/p99 latency overall and per kind, and the
resident memory of the server and its query workers, sampled as the run goes (after a
warm-up) to show whether it stays flat.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from l4a_graph.bench.endpoint import stop
from l4a_graph.bench.report import machine, replace_section

ROOT: Final = Path(__file__).resolve().parent.parent
BENCHMARKS: Final = ROOT / "BENCHMARKS.md"
START, END = "<!-- load start -->", "<!-- load end -->"
BIN: Final = Path(sys.executable).parent
TOKEN: Final = "load-test-write-token-" + "0123456789abcdef"
HUB: Final = "https://w3id.org/l4a/id/hub/example-city-green-corridors"
EXAMPLE: Final = (ROOT / "examples" / "submission.ttl").read_text(encoding="utf-8")

QUERIES: Final = {
    "sparql-lookup": "SELECT ?p ?o WHERE { hub:xian-youth-education-dialogue ?p ?o }",
    "sparql-aggregate": (
        "SELECT ?goal (COUNT(DISTINCT ?hub) AS ?n) WHERE { ?hub l4a:addressesGoal ?goal } "
        "GROUP BY ?goal ORDER BY DESC(?n)"
    ),
    "sparql-construct": (
        "CONSTRUCT { ?h dcterms:title ?t } WHERE { ?h a l4a:Hub ; dcterms:title ?t }"
    ),
    "sparql-ask": "ASK { ?h l4a:addressesTarget sdg:4.7 }",
}
PAGES: Final = {
    "page-home": "/?lang=fr",
    "page-hub": "/id/hub/xian-youth-education-dialogue",
    "page-goal": "/sdg/4",
    "page-org": "/id/org/city-of-xian?lang=es",
    "api-hubs": "/api/hubs?limit=3",
    "health": "/health",
}
MIX: Final = {
    **dict.fromkeys(QUERIES, 16),
    "page-home": 6,
    "page-hub": 6,
    "page-goal": 5,
    "page-org": 5,
    "api-hubs": 6,
    "health": 5,
    "write-data": 1,
    "write-update": 1,
    "write-apply": 1,
}
"""Kind -> weight (out of 100): 97% reads, 3% writes."""
EXPECTED: Final = {"write-data": (201, 204), "write-update": (204,), "write-apply": (303,)}
"""The status each write answers with when it is acknowledged; reads answer 200."""


@dataclass
class Server:
    """A running ``l4a serve``: its URL, process, store folder and access log."""

    host: str
    port: int
    process: subprocess.Popen[str]
    work: Path
    log: Path
    stderr: list[str] = field(default_factory=list)

    def rss_mb(self) -> tuple[float, float]:
        """Resident memory (MB) of the server process and of its children (the workers)."""
        pid = self.process.pid
        children = _children(pid)
        return _rss_kb(pid) / 1024, sum(_rss_kb(c) for c in children) / 1024


def _children(pid: int) -> list[int]:
    """The descendants of ``pid``: the children of each of its threads (a worker that a
    request thread restarted is that thread's child, not the main thread's)."""
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            direct = children.read_text().split()
        except OSError:
            continue
        for child in map(int, direct):
            found += [child, *_children(child)]
    return found


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


DIE_WITH_PARENT: Final = (
    "import ctypes, os, signal, sys; "
    "ctypes.CDLL(None).prctl(1, signal.SIGTERM); "  # PR_SET_PDEATHSIG, kept across exec
    "os.execv(sys.argv[1], sys.argv[1:])"
)


@contextmanager
def serve(work: Path, *settings: str, threads: int = 8) -> Iterator[Server]:
    """``l4a serve`` on a free port of 127.0.0.1 for the duration of the block."""
    log = work / "access.log"
    pairs = ["-s", "rate_limit", "", "-s", "access_log", str(log), *settings]
    env = {**os.environ, "L4A_WRITE_TOKEN": TOKEN, "L4A_DUMPS_DIR": str(work / "dumps")}
    command = [str(BIN / "l4a"), "--store", str(work / "store"), "serve", "--port", "0"]
    command += ["--threads", str(threads), *pairs]
    process = subprocess.Popen(
        [sys.executable, "-c", DIE_WITH_PARENT, *command],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    lines: list[str] = []
    for line in process.stderr:
        lines.append(line)
        if match := re.search(r"serving http://127\.0\.0\.1:(\d+)/sparql", line):
            break
    else:
        raise RuntimeError(f"l4a serve did not start: {''.join(lines)[-2000:]}")
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or ()), daemon=True)
    reader.start()
    server = Server("127.0.0.1", int(match.group(1)), process, work, log, lines)
    try:
        yield server
    finally:
        stop(process)
        reader.join(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


# -- one client -------------------------------------------------------------------------


@dataclass
class Ack:
    """An acknowledged write, to read back at the end."""

    kind: str
    key: str
    """The graph IRI, the update's value, or the draft's link."""
    expected: int
    """Triples in the graph (write-data); otherwise unused."""
    marker: str = ""
    """Text only this write put there (write-data), to tell it from an earlier one."""


@dataclass
class Tally:
    """What one client saw."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)


class Client:
    """One keep-alive connection to the server; reconnects when the server closes it."""

    def __init__(self, server: Server, name: str, ring: int = 0) -> None:
        self.server, self.name, self.ring = server, name, ring
        self.connection: http.client.HTTPConnection | None = None
        self.cookie = ""
        self.csrf = ""
        self.serial = 0
        self.last_body = b""
        """The last answer's body, so that an error can say what the server said."""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.server.host, self.server.port, timeout=120
                )
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                data = self.last_body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, data, response
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed between two requests.
                self.connection.close()
                self.connection = None
                if attempt == 2 or method not in ("GET", "HEAD"):
                    raise
            except (OSError, http.client.HTTPException):
                self.connection.close()  # a timeout: the connection is in no state to reuse
                self.connection = None
                raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def sign_up(self) -> None:
        """Open a session on the application form: its cookie and CSRF token."""
        status, data, response = self.request("GET", "/workspace/apply")
        if status != 200:
            raise RuntimeError(f"/workspace/apply answered {status}")
        self.cookie = "; ".join(
            c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []
        )
        match = re.search(rb'name="csrf_token" value="([^"]+)"', data)
        if match is None:
            raise RuntimeError("the application form has no CSRF token")
        self.csrf = match.group(1).decode()

    def one(self, kind: str) -> tuple[int, Ack | None]:
        """Send one request of ``kind``; its status and, for a write, what to read back."""
        self.serial += 1
        if kind in QUERIES:
            query = urllib.parse.urlencode({"query": QUERIES[kind]})
            accept = (
                "text/turtle" if kind == "sparql-construct" else "application/sparql-results+json"
            )
            return self.request("GET", f"/sparql?{query}", headers={"Accept": accept})[0], None
        if kind in PAGES:
            return self.request("GET", PAGES[kind], headers={"Accept": "text/html"})[0], None
        slug = f"load-{self.name}-{self.serial}"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        if kind == "write-data":
            # A new HUB with its own lead, partners and place (as a new submission is).
            turtle = EXAMPLE.replace("example-", f"{slug}-")
            # Append-only by default; with a ring, each client cycles through ``ring``
            # graphs of its own, so the data stays the same size over a long run.
            slot = f"{self.name}-slot-{self.serial % self.ring}" if self.ring else slug
            graph = f"urn:load:{slot}"
            status = self.request(
                "PUT",
                "/data?" + urllib.parse.urlencode({"graph": graph}),
                turtle.encode(),
                {**auth, "Content-Type": "text/turtle"},
            )[0]
            return status, Ack(kind, graph, _triples(turtle), f"{slug}-city-green-corridors")
        if kind == "write-update":
            value = f"urn:load:{slug}"
            triple = f"<{value}> <urn:load:n> {self.serial}"
            update = f"INSERT DATA {{ GRAPH <urn:load:updates> {{ {triple} }} }}"
            status = self.request(
                "POST",
                "/update",
                update.encode(),
                {**auth, "Content-Type": "application/sparql-update"},
            )[0]
            return status, Ack(kind, value, 1)
        if kind == "write-apply":
            if not self.csrf:
                self.sign_up()
            form = urllib.parse.urlencode(
                {"csrf_token": self.csrf, "title": f"Load test {slug}", "action": "save"}
            )
            status, _, response = self.request(
                "POST",
                "/workspace/apply?lang=en",
                form.encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie},
            )
            return status, Ack(kind, response.getheader("Location", ""), 0)
        raise ValueError(kind)


def _triples(turtle: str) -> int:
    import pyoxigraph

    return sum(1 for _ in pyoxigraph.parse(turtle.encode(), pyoxigraph.RdfFormat.TURTLE))


# -- the run ----------------------------------------------------------------------------


@dataclass
class Result:
    requests: int
    elapsed: float
    errors: list[str]
    lost: list[str]
    writes: int
    latencies: dict[str, list[float]]
    memory: list[tuple[int, float, float]]
    """(requests done, server MB, workers MB), sampled during the run."""
    token_in_log: bool
    stopped_by: str

    @property
    def throughput(self) -> float:
        return self.requests / self.elapsed

    def percentile(self, p: float, kind: str | None = None) -> float:
        values = sorted(v for k, vs in self.latencies.items() if kind in (None, k) for v in vs)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000

    def memory_after_warmup(self) -> tuple[float, float, float]:
        """Total MB after the warm-up (the first tenth), at the end, and the most seen."""
        total = [(done, server + workers) for done, server, workers in self.memory]
        if not total:
            return float("nan"), float("nan"), float("nan")
        warm = [mb for done, mb in total if done >= self.requests // 10] or [total[-1][1]]
        return warm[0], total[-1][1], max(mb for _, mb in total)


def weights(writes: int = 3) -> dict[str, float]:
    """Kind -> percent of the requests, ``writes`` percent of them writes (the reads keep
    the proportions of ``MIX``)."""
    reads = {k: w for k, w in MIX.items() if k not in EXPECTED}
    shares = {k: w * (100 - writes) / sum(reads.values()) for k, w in reads.items()}
    return shares | dict.fromkeys(EXPECTED, writes / len(EXPECTED))


def plan(requests: int, seed: int, writes: int = 3) -> list[str]:
    """The kinds of the ``requests`` requests, in a fixed (seeded) order."""
    shares = weights(writes)
    rng = random.Random(seed)
    return rng.choices(list(shares), list(shares.values()), k=requests)


def run(
    server: Server,
    requests: int,
    *,
    clients: int = 8,
    max_seconds: float = 600,
    seed: int = 0,
    ring: int = 0,
    writes: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Send ``requests`` requests (or as many as fit in ``max_seconds``); check and measure."""
    kinds = plan(requests, seed, writes)
    cursor = iter(range(requests))
    lock = threading.Lock()
    done = 0
    deadline = time.monotonic() + max_seconds
    tallies = [Tally() for _ in range(clients)]
    memory: list[tuple[int, float, float]] = []
    finished = threading.Event()

    def work(index: int) -> None:
        client, tally = Client(server, str(index), ring), tallies[index]
        try:
            serve_requests(client, tally)
        finally:
            client.close()

    def serve_requests(client: Client, tally: Tally) -> None:
        nonlocal done
        while time.monotonic() < deadline:
            with lock:
                n = next(cursor, None)
            if n is None:
                break
            kind = kinds[n]
            started = time.perf_counter()
            try:
                status, ack = client.one(kind)
            except (OSError, http.client.HTTPException, RuntimeError) as error:
                tally.errors.append(f"{kind}: {type(error).__name__}: {error}")
                continue
            tally.latencies.setdefault(kind, []).append(time.perf_counter() - started)
            tally.statuses[(kind, status)] += 1
            if status not in EXPECTED.get(kind, (200,)):
                said = client.last_body[:300].decode("utf-8", "replace").splitlines()[:1]
                tally.errors.append(f"{kind}: status {status}: {''.join(said)}")
            elif ack is not None:
                tally.acks.append(ack)
            with lock:
                done += 1

    def sample() -> None:
        while not finished.wait(1.0):
            memory.append((done, *server.rss_mb()))
            if progress is not None:
                progress(done, requests)

    sampler = threading.Thread(target=sample, daemon=True)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    sampler.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    finished.set()
    sampler.join()
    memory.append((done, *server.rss_mb()))
    latencies: dict[str, list[float]] = {}
    for tally in tallies:
        for kind, values in tally.latencies.items():
            latencies.setdefault(kind, []).extend(values)
    acks = [ack for tally in tallies for ack in tally.acks]
    errors = [error for tally in tallies for error in tally.errors]
    lost = verify(server, acks)
    log = server.log.read_text(encoding="utf-8", errors="replace") if server.log.exists() else ""
    return Result(
        requests=done,
        elapsed=elapsed,
        errors=errors,
        lost=lost,
        writes=len(acks),
        latencies=latencies,
        memory=memory,
        token_in_log=TOKEN in log or TOKEN in "".join(server.stderr),
        stopped_by="count" if done >= requests else "duration",
    )


def verify(server: Server, acks: list[Ack]) -> list[str]:
    """The acknowledged writes that cannot be read back (none, if nothing was lost)."""
    client = Client(server, "verify")
    try:
        return _verify(client, acks)
    finally:
        client.close()


def _verify(client: Client, acks: list[Ack]) -> list[str]:
    lost: list[str] = []
    updates: set[str] = set()
    if any(ack.kind == "write-update" for ack in acks):
        query = "SELECT ?s WHERE { GRAPH <urn:load:updates> { ?s <urn:load:n> ?n } }"
        status, data, _ = client.request(
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": query, "format": "csv"}),
        )
        if status != 200:
            return [f"cannot read the updates back: {status}"]
        updates = set(data.decode().split("\r\n")[1:])
    last = {ack.key: ack for ack in acks if ack.kind == "write-data"}  # acks are in order
    for ack in acks:
        if ack.kind == "write-data" and last[ack.key] is not ack:
            continue  # replaced by a later acknowledged write to the same graph
        if ack.kind == "write-data":
            status, data, _ = client.request(
                "GET",
                "/data?" + urllib.parse.urlencode({"graph": ack.key}),
                headers={"Accept": "application/n-triples"},
            )
            count = len([line for line in data.splitlines() if line.strip()])
            if status != 200 or count != ack.expected or ack.marker.encode() not in data:
                lost.append(f"{ack.key}: {status}, {count} of {ack.expected} triples")
        elif ack.kind == "write-update":
            if ack.key not in updates:
                lost.append(f"update {ack.key}")
        elif ack.kind == "write-apply":
            status, data, _ = client.request("GET", ack.key)
            slug = re.search(r"load-[\w-]+", urllib.parse.unquote(ack.key))
            if status != 200 or b"Load test " not in data:
                lost.append(f"draft {ack.key}: {status} {slug}")
    return lost


# -- the report -------------------------------------------------------------------------


def table(result: Result) -> str:
    kinds = sorted(result.latencies, key=lambda k: (k.split("-")[0], k))
    lines = [
        "| kind | requests | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in [*kinds, None]:
        count = len(result.latencies.get(kind, [])) if kind else result.requests
        name = kind or "**all**"
        cells = [f"{result.percentile(p, kind):.1f}" for p in (50, 95, 99)]
        lines.append(f"| {name} | {count:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def memory_table(result: Result, points: int = 11) -> str:
    """RSS at about every tenth of the run."""
    if not result.memory:
        return ""
    chosen: list[tuple[int, float, float]] = []
    for i in range(points):
        target = result.requests * i // (points - 1)
        chosen.append(min(result.memory, key=lambda m: abs(m[0] - target)))
    head = "| requests done | " + " | ".join(f"{m[0]:,}" for m in chosen) + " |"
    rule = "|---|" + "---:|" * len(chosen)
    server = "| server MB | " + " | ".join(f"{m[1]:.0f}" for m in chosen) + " |"
    workers = "| workers MB | " + " | ".join(f"{m[2]:.0f}" for m in chosen) + " |"
    return "\n".join([head, rule, server, workers])


def summary(result: Result) -> str:
    warm, end, peak = result.memory_after_warmup()
    return (
        f"{result.requests:,} requests in {result.elapsed:.1f} s "
        f"({result.throughput:.0f}/s), {result.writes:,} acknowledged writes; "
        f"errors {len(result.errors)}, writes lost {len(result.lost)}; "
        f"p95 {result.percentile(95):.1f} ms; memory (server + workers) "
        f"{warm:.0f} MB after warm-up, {end:.0f} MB at the end, {peak:.0f} MB at most; "
        f"token in the log: {'yes' if result.token_in_log else 'no'}; "
        f"stopped by {result.stopped_by}"
    )


def section(result: Result, clients: int, threads: int, ring: int, writes: int) -> str:
    warm, end, peak = result.memory_after_warmup()
    growth = end - warm
    shares = weights(writes)

    def share(kinds: dict[str, str]) -> float:
        return sum(shares[k] for k in kinds)

    after = [m for m in result.memory if m[0] >= result.requests // 10] or result.memory
    first_server, first_workers = after[0][1], after[0][2]
    last_server, last_workers = result.memory[-1][1], result.memory[-1][2]
    return "\n".join(
        [
            START,
            "## Load",
            "",
            "Written by `python benchmarks/load_test.py` (a small version runs in CI: "
            "`tests/test_load.py`). A real `l4a serve` (waitress, "
            f"{threads} threads, default query workers) on an on-disk store with the "
            "shipped data, on 127.0.0.1; "
            f"{clients} client threads in a second process, each with one keep-alive "
            f"connection, send a fixed seeded mix: {share(QUERIES):.0f}% SPARQL "
            "queries (lookup, aggregate, CONSTRUCT, ASK), "
            f"{share(PAGES):.0f}% pages and APIs (home, HUB, SDG goal, "
            f"organisation, `/api/hubs`, `/health`) and {writes}% writes at the same time: "
            "a new HUB (its own "
            "lead, partners and place) PUT to `/data`"
            + (
                f", each client cycling through {ring} graphs of its own so that the data "
                "stays the same size over the run (the last write to each graph must be "
                "there, whole)"
                if ring
                else ", each to a graph of its own"
            )
            + "; an `/update` adding a triple; a draft through the public form "
            "`/workspace/apply`. Every acknowledged write is read back afterwards.",
            "",
            f"**{result.requests:,} requests** in {result.elapsed:.0f} s "
            f"({result.throughput:.0f} requests/s), of which {result.writes:,} acknowledged "
            f"writes. **Errors: {len(result.errors)}. Writes lost: {len(result.lost)}.** "
            f"Token in the access log: {'yes' if result.token_in_log else 'no'}.",
            "",
            table(result),
            "",
            "Resident memory of the server process and of its query worker processes "
            "(sampled every second):",
            "",
            memory_table(result),
            "",
            f"From the end of the warm-up (the first tenth) to the end: {warm:.0f} MB to "
            f"{end:.0f} MB in all ({growth:+.0f} MB; at most {peak:.0f} MB): "
            f"the workers {first_workers:.0f} to {last_workers:.0f} MB, the server "
            f"{first_server:.0f} to {last_server:.0f} MB. "
            + (
                "The public data stayed the same size (each client rewrites its graphs); "
                "each `/update` added a triple and each form a draft."
                if ring
                else "The data grew with every write."
            )
            + " How to read the server's figure: it includes Oxigraph's read caches "
            "(RocksDB block caches in the server process: per store, 128 MB for the "
            "strings and 32 MB for the rest), which fill as newly written data is read "
            "and then stay full, so the server grows until they are full, up to 320 MB "
            "over its starting size for the two stores, and then levels off (measured on "
            "one store whose HUB graphs were rewritten and read back: +161 MB after 3,200 "
            "writes, the same after 4,400). No write stays in memory (each is flushed to "
            "disk), and the server's threads share two malloc arenas (`l4a serve` sets "
            "it: with glibc's default of eight per CPU, memory freed by one thread stayed "
            "with its arena, 85-100 MB of it after 10,000 requests).",
            "",
            f"Machine: {machine()}.",
            END,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8, help="threads of l4a serve")
    parser.add_argument("--max-seconds", type=float, default=1800)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--ring",
        type=int,
        default=10,
        help="graphs each client cycles through with /data PUT (0: a new graph per write)",
    )
    parser.add_argument("--writes", type=int, default=3, help="writes in 100 requests")
    parser.add_argument("--no-write", action="store_true", help="print, leave BENCHMARKS.md")
    args = parser.parse_args()

    def progress(done: int, total: int) -> None:
        if done and done % 5000 < 500:
            print(f"  {done:,} / {total:,}", file=sys.stderr, flush=True)

    with (
        tempfile.TemporaryDirectory(prefix="l4a-load-") as folder,
        serve(Path(folder), threads=args.threads) as server,
    ):
        run(server, 200, clients=2, seed=args.seed + 1)  # warm the caches and workers
        result = run(
            server,
            args.requests,
            clients=args.clients,
            max_seconds=args.max_seconds,
            seed=args.seed,
            ring=args.ring,
            writes=args.writes,
            progress=progress,
        )
    print(summary(result))
    print(table(result))
    print(memory_table(result))
    for line in (result.errors + result.lost)[:20]:
        print("  ", line)
    if not args.no_write:
        text = section(result, args.clients, args.threads, args.ring, args.writes)
        replace_section(BENCHMARKS, START, END, text)
        print(f"wrote the Load section of {BENCHMARKS}")
    if result.errors or result.lost or result.token_in_log:
        sys.exit(1)


if __name__ == "__main__":
    main()
