"""Validation benchmark: one submission while the store holds 10,000 synthetic HUBs.

Not a test: run it by hand and it rewrites the "Validation" section of BENCHMARKS.md.

    python benchmarks/bench_validate.py            # full run, writes BENCHMARKS.md
    python benchmarks/bench_validate.py --quick    # 1,000 HUBs, prints only

What is measured. An on-disk store holds the shipped data and N synthetic HUBs (the
project's generator, namespace https://w3id.org/l4a/synthetic/). Then:

- ``kg.validate`` of examples/submission.ttl at stage 2, as ``l4a validate`` and the web
  intake run it: the submission plus the reference facts it cites, two pyshacl passes
  over small in-memory Oxigraph stores. The first call of a process also reads the
  shapes and the reference files; later calls reuse them.
- ``kg.submit`` of the same file: validation plus the one atomic update that stores a
  new version and its provenance in the big store.
- Plain pyshacl over the whole graph, the naive alternative: the union of every graph
  of the store (reference data, synthetic HUBs, the submitted versions) loaded into
  rdflib, validated with all the shapes; then the same over the shipped data alone.
  Each runs in a child process with a time budget.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from l4a_graph import KnowledgeGraph
from l4a_graph.bench.report import cpu_model, replace_section
from l4a_graph.bench.validation import plain_pyshacl, summary, timed
from l4a_graph.formats import by_name
from l4a_graph.store import EmbeddedStore
from l4a_graph.synthetic import generate
from l4a_graph.validator.intake import read_submission

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"
SUBMISSION = ROOT / "examples" / "submission.ttl"
START, END = "<!-- bench:validation start -->", "<!-- bench:validation end -->"


def build_store(directory: Path, hubs: int, seed: int) -> tuple[KnowledgeGraph, float]:
    """An on-disk store with the shipped data and ``hubs`` synthetic HUBs."""
    started = time.perf_counter()
    kg = KnowledgeGraph.open(directory / "store")
    kg.load_shipped()
    synthetic = directory / "synthetic.nq"
    generate(hubs, seed, synthetic)
    kg.load_files([synthetic])
    return kg, time.perf_counter() - started


def whole_graph(kg: KnowledgeGraph, path: Path, budget: int) -> str:
    """Plain pyshacl over the union of the store, in a child process with ``budget`` seconds."""
    with path.open("wb") as out:
        kg.export(out, by_name("nt"))  # a triple format: the union of all graphs
    command = [sys.executable, __file__, "--whole-graph-worker", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=budget, check=True)
    except subprocess.TimeoutExpired:
        return f"did not finish in {budget} s"
    return done.stdout.strip()


def whole_graph_worker(path: Path) -> None:
    """Load ``path`` into rdflib and validate it with every shape (the naive way)."""
    from rdflib import Graph

    started = time.perf_counter()
    data = Graph().parse(path, format="nt")
    loaded = time.perf_counter()
    count = plain_pyshacl(data)
    done = time.perf_counter()
    print(
        f"{done - started:.1f} s ({loaded - started:.1f} s to parse {len(data):,} triples into "
        f"rdflib, {done - loaded:.1f} s to validate; {count:,} results)"
    )


def run(hubs: int, seed: int, repeat: int, budget: int) -> dict[str, str]:
    measured: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        kg, build = build_store(directory, hubs, seed)
        store = kg.store
        assert isinstance(store, EmbeddedStore)
        measured["store"] = (
            f"{store.count():,} quads ({hubs:,} synthetic HUBs and the shipped data), "
            f"built in {build:.0f} s"
        )
        submission = read_submission(SUBMISSION)
        first = timed(lambda: kg.validate(submission))
        measured["validate, first call of the process"] = (
            f"{first[0] * 1000:.0f} ms (reads the shapes and the reference files)"
        )
        samples = [timed(lambda: kg.validate(submission)) for _ in range(repeat)]
        measured["validate, later calls"] = summary(samples)
        submits = [timed(lambda: kg.submit(submission, by="benchmark")) for _ in range(10)]
        measured["submit (validate + atomic write of a new version)"] = summary(submits)
        measured[f"plain pyshacl over the whole graph ({hubs:,} HUBs)"] = whole_graph(
            kg, directory / "union.nt", budget
        )
        kg.close()
        with KnowledgeGraph() as shipped:
            shipped.load_shipped()
            measured["plain pyshacl over the shipped data alone (no synthetic HUB)"] = whole_graph(
                shipped, directory / "shipped.nt", budget
            )
    return measured


def section(measured: dict[str, str], args: str) -> str:
    versions = ", ".join(
        f"{p} {version(p)}" for p in ("l4a-graph", "pyshacl", "rdflib", "pyoxigraph")
    )
    rows = "\n".join(f"| {key} | {value} |" for key, value in measured.items())
    return "\n".join(
        [
            START,
            "## Validation",
            "",
            f"Measured {datetime.now(UTC).date().isoformat()} by `python "
            f"benchmarks/bench_validate.py{args}` on {os.cpu_count()} cores ({cpu_model()}), "
            f"Python {platform.python_version()}, {versions}. The machine was shared with",
            f"other work (load average {_load()} at the end): wall times vary from run to",
            "run, CPU times less.",
            "",
            "One submission (examples/submission.ttl, stage 2) is validated with the",
            "reference facts it cites, never with the store: the target is under 200 ms",
            "while the store holds 10,000 HUBs. The naive alternative, pyshacl over the",
            "whole graph, also flags every reference resource and synthetic HUB, and its",
            "cost grows with the store.",
            "",
            "| what | measured |",
            "|---|---|",
            rows,
            END,
        ]
    )


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="1,000 HUBs; print, do not write")
    parser.add_argument("--hubs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30, help="validations to time")
    parser.add_argument("--budget", type=int, default=900, help="seconds for the whole graph")
    parser.add_argument("--whole-graph-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.whole_graph_worker:
        whole_graph_worker(args.whole_graph_worker)
        return 0
    if args.quick:
        args.hubs, args.budget = 1000, 120
    measured = run(args.hubs, args.seed, args.repeat, args.budget)
    for key, value in measured.items():
        print(f"{key}: {value}")
    if not args.quick:
        given = sys.argv[1:] if argv is None else argv
        replace_section(
            BENCHMARKS, START, END, section(measured, "".join(" " + arg for arg in given))
        )
        print(f"wrote the Validation section of {BENCHMARKS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
