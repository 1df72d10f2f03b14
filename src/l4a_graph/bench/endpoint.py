"""Load on a SPARQL endpoint: a fixed mix of queries over keep-alive connections.

Used by the ``endpoint`` stage of ``l4a bench`` and by ``benchmarks/bench_endpoint.py``.
The load runs in its own process (``python -m l4a_graph.bench.endpoint URL ...``, see
:func:`load_process`), so that it does not share an interpreter with the server or with
the process that measures. The mix holds twelve queries (lookups, filters, aggregates,
joins, CONSTRUCT, ASK) over the synthetic HUBs; each instance varies its numbers, so no
answer repeats.
"""

from __future__ import annotations

import argparse
import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MIX",
    "Sample",
    "count_rows",
    "free_port",
    "load_process",
    "query_text",
    "run_load",
    "stop",
    "wait_ready",
]

PREFIXES = """PREFIX l4a: <https://w3id.org/l4a/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
STAGE = "<https://w3id.org/l4a/id/lifecycle-stage/implementation>"
ACCEPT = {False: "application/sparql-results+json", True: "application/n-triples"}

# name -> (kind, query with {n} and {m} for varying numbers); CONSTRUCT answers in N-Triples.
MIX: dict[str, tuple[str, str]] = {
    "lookup-hub": (
        "lookup",
        "SELECT ?p ?o WHERE {{ <https://w3id.org/l4a/synthetic/hub/{n}> ?p ?o }}",
    ),
    "lookup-label": (
        "lookup",
        'SELECT ?org WHERE {{ ?org skos:prefLabel "Synthetic municipality {n}"@en }}',
    ),
    "ask-target": (
        "lookup",
        "ASK {{ ?hub l4a:addressesTarget <http://metadata.un.org/sdg/11.{m}> }}",
    ),
    "filter-dates": (
        "filter",
        f"SELECT ?hub ?start WHERE {{{{ ?hub a l4a:Hub ; l4a:startDate ?start ; "
        f'l4a:lifecycleStage {STAGE} FILTER(?start >= "2025-0{{m}}-01"^^xsd:date) }}}} LIMIT 100',
    ),
    "filter-text": (
        "filter",
        "SELECT ?hub ?title WHERE {{ ?hub a l4a:Hub ; dcterms:title ?title "
        'FILTER(CONTAINS(LCASE(?title), "water") && LANG(?title) = "en") }} LIMIT 50',
    ),
    "aggregate-goals": (
        "aggregate",
        "SELECT ?goal (COUNT(DISTINCT ?hub) AS ?n) WHERE {{ ?hub l4a:addressesGoal ?goal }} "
        "GROUP BY ?goal ORDER BY DESC(?n)",
    ),
    "aggregate-countries": (
        "aggregate",
        "SELECT ?country (COUNT(?hub) AS ?n) WHERE {{ ?hub l4a:hasLead ?lead . "
        "?lead l4a:country ?country }} GROUP BY ?country ORDER BY DESC(?n) ?country LIMIT 20",
    ),
    "join-leads": (
        "join",
        "SELECT ?hub ?lead ?section ?place WHERE {{ ?hub a l4a:Hub ; l4a:hasLead ?l ; "
        "l4a:hasTerritory ?t . ?l skos:prefLabel ?lead ; l4a:memberOfSection ?section . "
        "?t skos:prefLabel ?place }} ORDER BY ?hub LIMIT 200 OFFSET {n}",
    ),
    "join-expertise": (
        "join",
        "SELECT ?other ?topic WHERE {{ <https://w3id.org/l4a/synthetic/hub/{n}> "
        "l4a:seeksExpertise ?topic . "
        "?other l4a:offersExpertise ?topic }} LIMIT 100",
    ),
    "join-goal-labels": (
        "join",
        "SELECT ?goal ?label (COUNT(?hub) AS ?n) WHERE {{ ?hub l4a:addressesGoal ?goal . "
        '?goal skos:prefLabel ?label FILTER(LANG(?label) = "en") }} GROUP BY ?goal ?label',
    ),
    "construct-hub": (
        "construct",
        "CONSTRUCT {{ ?hub ?p ?o . ?lead ?lp ?lo }} WHERE {{ "
        "BIND(<https://w3id.org/l4a/synthetic/hub/{n}> AS ?hub) "
        "?hub ?p ?o ; l4a:hasLead ?lead . ?lead ?lp ?lo }}",
    ),
    "construct-stage": (
        "construct",
        f"CONSTRUCT {{{{ ?hub dcterms:title ?t ; l4a:addressesGoal ?g }}}} WHERE {{{{ "
        f"?hub l4a:lifecycleStage {STAGE} ; dcterms:title ?t ; l4a:addressesGoal ?g }}}} "
        # Ordered: a page of an unordered result is whatever slice an engine gives.
        "ORDER BY ?hub ?t ?g LIMIT 500 OFFSET {n}",
    ),
}


def query_text(name: str, i: int, hubs: int) -> str:
    """The ``i``-th instance of query ``name``: its number varies, so no answer repeats."""
    n = (i * 7919) % hubs + 1
    return PREFIXES + MIX[name][1].format(n=n, m=i % 9 + 1)


@dataclass
class Sample:
    """One request of the load: which query instance, how long, the status and rows."""

    name: str
    index: int
    seconds: float
    status: int
    rows: int


def count_rows(body: bytes, content_type: str) -> int:
    """Solutions in SPARQL JSON (1 for ASK), or lines of N-Triples (Turtle: statements)."""
    if "json" in content_type:
        data = json.loads(body)
        return len(data["results"]["bindings"]) if "results" in data else 1
    return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"@"))


def run_load(
    url: str, connections: int, seconds: float, max_requests: int, hubs: int, first: int = 0
) -> dict[str, Any]:
    """Keep ``connections`` connections busy with the mix; return the samples as JSON."""
    parts = urllib.parse.urlsplit(url)
    names = list(MIX)
    lock = threading.Lock()
    counter = iter(range(first, first + 10**9))
    samples: list[Sample] = []
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=120
        )
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter)
            if i >= first + max_requests:
                break
            name = names[i % len(names)]
            accept = ACCEPT[MIX[name][0] == "construct"]
            target = parts.path + "?" + urllib.parse.urlencode({"query": query_text(name, i, hubs)})
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers={"Accept": accept})
                response = connection.getresponse()
                body = response.read()
                status = response.status
                rows = (
                    count_rows(body, response.getheader("Content-Type", "")) if status == 200 else 0
                )
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(
                    parts.hostname or "127.0.0.1", parts.port, timeout=120
                )
                status, rows = 0, 0
            with lock:
                samples.append(Sample(name, i, time.perf_counter() - started, status, rows))
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"elapsed": elapsed, "samples": [s.__dict__ for s in samples]}


def free_port() -> int:
    """A TCP port of 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 600) -> None:
    """Wait until the SPARQL endpoint ``url`` answers ``ASK {}``."""
    deadline = time.monotonic() + timeout
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    parts = urllib.parse.urlsplit(probe)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection(
                parts.hostname or "127.0.0.1", parts.port, timeout=5
            )
            connection.request("GET", parts.path + "?" + parts.query)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Stop a server as Ctrl-C would; kill it if it does not stop within 30 s."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def load_process(
    url: str, hubs: int, seconds: float, requests: int, connections: int, first: int = 0
) -> dict[str, Any]:
    """One run of the load generator, in a second process, from query instance ``first``.

    It stops after ``requests`` requests or ``seconds`` seconds, whichever comes first;
    returns ``{"elapsed": seconds, "samples": [Sample as a dict, ...]}``.
    """
    command = [sys.executable, "-m", "l4a_graph.bench.endpoint", url, "--hubs", str(hubs)]
    command += ["--first", str(first), "--seconds", str(seconds), "--requests", str(requests)]
    out = subprocess.run(
        [*command, "--connections", str(connections)], capture_output=True, check=True
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> None:
    """The load generator's process: run the load, print its samples as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("url")
    parser.add_argument("--hubs", type=int, required=True, help="synthetic HUBs in the store")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args(argv)
    result = run_load(
        args.url, args.connections, args.seconds, args.requests, args.hubs, args.first
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
