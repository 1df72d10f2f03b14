"""Benchmark: the fast reasoner against owlrl, side by side, with peak memory.

Each measurement runs in a fresh process (so its peak resident memory is its own):
the shipped data (ontology, reference data, real HUBs) plus synthetic HUBs from
``l4a_graph.synthetic`` up to the size asked for, in an in-memory store.

- fast: ``l4a_graph.reasoner.reason`` (compile the ontology, materialize
  ``graph/inferred``; the consistency check is timed apart);
- owlrl: ``owlrl.DeductiveClosure(OWLRL_Semantics).expand`` on an rdflib graph of the
  same asserted triples (building that graph is not timed); then the fast engine runs
  too and both closures are compared after the documented normalisation
  (:mod:`l4a_graph.reasoner.owlrl_reference`): "identical" means no difference at all.

owlrl runs only up to ``--owlrl-max`` triples and is stopped after
``--owlrl-cpu-limit`` seconds of CPU time. Not a test: run it by hand; it prints a
Markdown table and rewrites the "Reasoning" section of BENCHMARKS.md (nothing else).

Usage::

    python benchmarks/bench_reasoner.py            # 20k, 200k, 1M triples; writes
    python benchmarks/bench_reasoner.py --quick    # 20k only; prints, does not write
    python benchmarks/bench_reasoner.py --sizes 20000 200000 --owlrl-cpu-limit 600
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

from l4a_graph.bench.reasoning import build, limit_cpu, measure_fast, measure_owlrl
from l4a_graph.bench.report import cpu_model, replace_section

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
START, END = "<!-- reasoning start -->", "<!-- reasoning end -->"


def child(engine: str, triples: int, seed: int, cpu_limit: float | None) -> None:
    """Measure one engine at one size; print the result as JSON.

    ``cpu_limit`` stops the process after that many CPU seconds: a limit in CPU time
    means the same on an idle machine and on a shared, busy one.
    """
    if cpu_limit is not None:
        limit_cpu(cpu_limit)
    result = (measure_fast if engine == "fast" else measure_owlrl)(build(triples, seed))
    # ru_maxrss is in KiB on Linux: the peak of this process, data loading included.
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run(engine: str, triples: int, seed: int, cpu_limit: float | None) -> dict[str, Any] | None:
    """The measurement of a child process, or None if it hit ``cpu_limit``."""
    command = [sys.executable, __file__, "--child", engine, str(triples), "--seed", str(seed)]
    if cpu_limit is not None:
        command += ["--cpu-limit", str(cpu_limit)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode < 0 and cpu_limit is not None:
        return None  # killed by SIGXCPU (or SIGKILL past the hard limit)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def machine() -> str:
    model = cpu_model()
    packages = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "rdflib", "owlrl"))
    return (
        f"{date.today().isoformat()}; {os.cpu_count()} cores ({model}); "
        f"Python {platform.python_version()}; {packages}; "
        f"load average {os.getloadavg()[0]:.1f} at the end (the machine is shared)"
    )


def table(rows: list[tuple[int, dict[str, Any], dict[str, Any] | None, str]]) -> str:
    lines = [
        "| triples | fast: s (CPU s) | inferred | peak RSS | check: s | owlrl: s (CPU s) "
        "| peak RSS | speed-up (CPU) | same closure |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for _, fast, owl, note in rows:
        if owl is None:
            owl_cells = [note, "", "", ""]
        else:
            same = "yes" if owl["identical"] else f"no ({owl['differences']} differences)"
            owl_cells = [
                f"{owl['wall']:.1f} ({owl['cpu']:.1f})",
                f"{owl['peak_mb']:.0f} MB",
                f"{owl['cpu'] / fast['cpu']:.0f}x",
                f"{same}: {owl['normalised']:,} normalised inferences",
            ]
        cells = [
            f"{fast['triples']:,}",
            f"{fast['wall']:.2f} ({fast['cpu']:.2f})",
            f"{fast['inferred']:,}",
            f"{fast['peak_mb']:.0f} MB",
            f"{fast['check']:.2f}",
            *owl_cells,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def section(results: str, command: str) -> str:
    return f"""{START}
## Reasoning

`l4a reason` (the fast engine: the ontology compiled into SPARQL updates run to a
fixpoint inside Oxigraph) against owlrl's `OWLRL_Semantics` (the reference), on the
shipped data plus synthetic HUBs (`l4a_graph.synthetic`, seed 1), in-memory store.
Times in seconds: wall clock, and CPU time in brackets (the fairer figure on a shared
machine). The fast time covers compiling the ontology and materializing
`graph/inferred`; "check" is the consistency check that `l4a reason` runs afterwards
(wall time); owlrl's time covers its closure only, not building its rdflib graph.
Peak RSS is the whole measuring process, data loaded included (one process per cell).
"Same closure": owlrl's inferences and the fast engine's are equal after the
normalisation documented in `l4a_graph.reasoner.owlrl_reference` (no difference at all).

{results}

Produced by `python benchmarks/bench_reasoner.py{command}`.
{END}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k triples; print, do not write")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000, 1_000_000])
    parser.add_argument("--owlrl-max", type=int, default=200_000)
    parser.add_argument(
        "--owlrl-cpu-limit", type=float, default=900.0, help="CPU seconds owlrl may take"
    )
    parser.add_argument("--cpu-limit", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "TRIPLES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.seed, args.cpu_limit)
        return
    if args.quick:
        args.sizes = [20_000]
    rows = []
    for size in args.sizes:
        fast = run("fast", size, args.seed, None)
        assert fast is not None
        owl, note = None, "not run"
        if size <= args.owlrl_max:
            owl = run("owlrl", size, args.seed, args.owlrl_cpu_limit)
            note = f"stopped after {args.owlrl_cpu_limit:.0f} CPU s"
        rows.append((size, fast, owl, note))
        print(f"{size}: fast {fast} owlrl {owl}", file=sys.stderr, flush=True)
    results = f"{table(rows)}\n\nMachine: {machine()}."
    print(results)
    if not args.quick:
        replace_section(
            BENCHMARKS,
            START,
            END,
            section(results, " " + " ".join(sys.argv[1:]) if sys.argv[1:] else ""),
        )
        print(f"wrote the Reasoning section of {BENCHMARKS}", file=sys.stderr)


if __name__ == "__main__":
    main()
