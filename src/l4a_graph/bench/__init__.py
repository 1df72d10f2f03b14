"""The benchmark suite behind ``l4a bench``: every stage at growing sizes, time and memory.

Each (stage, size) runs in a fresh Python process (``python -m l4a_graph.bench``), so its
peak memory is its own; the stage times only its own work, not the interpreter's start.
The data is the synthetic generator's (:mod:`l4a_graph.synthetic`) over the shipped
ontology and reference data, at about 20k, 200k and 1M triples (``--quick``: two small
sizes, for CI, where only "it runs" matters).

Stages: ``generate`` (synthetic N-Triples), ``load`` (shipped data, then the synthetic
graph bulk-loaded, into an on-disk embedded store), ``export`` (N-Quads), ``reason``
(the fast reasoner) and ``reason-owlrl`` (owlrl, up to 20k triples), ``validate`` (the
project's validator on a batch of generated submissions) and ``validate-pyshacl`` (plain
pyshacl on the same batch, up to 200k), ``query`` (the named-query library on the
embedded store), ``query-server`` (the same mix through ``oxigraph serve``),
``query-rdflib`` (the same mix on rdflib's engine, up to 20k), ``query-pairwise`` (the
questions about pairs of HUBs, quadratic by nature, up to 200k), ``endpoint`` (``l4a
serve`` under a fixed load from a second process), ``matchmaking`` (top 10 for every
HUB) and ``pipeline-memory`` / ``pipeline-disk`` (load, reason, validate, first query,
as ``l4a load`` and ``l4a reason`` do). A new stage is a function in
:mod:`l4a_graph.bench.stages` added to its ``STAGES``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = [
    "FULL_SIZES",
    "QUICK_SIZES",
    "REFERENCE_STAGES",
    "Measurement",
    "measure",
    "run_suite",
]

FULL_SIZES: tuple[int, ...] = (20_000, 200_000, 1_000_000)
"""Target sizes in triples of the synthetic graph."""
QUICK_SIZES: tuple[int, ...] = (1_000, 2_000)
REFERENCE_STAGES: tuple[str, ...] = ("reason-owlrl", "validate-pyshacl", "query-rdflib")
"""The reference engines: slow at any size (owlrl takes 30 s on the shipped data alone),
so ``--quick`` leaves them out unless asked for by name."""


@dataclass(frozen=True)
class Measurement:
    """One stage at one size."""

    stage: str
    size: int
    """Triples of the synthetic graph (the shipped data adds about 9,000)."""
    seconds: float | None
    """None when the stage was skipped at this size."""
    peak_mb: float
    detail: dict[str, float | str] = field(default_factory=dict)


def measure(stage: str, size: int, workdir: Path, timeout: float) -> Measurement:
    """Run ``stage`` at ``size`` in a child process and read what it reports."""
    # Parallelism comes from the stages' own threads: BLAS threads on top would
    # oversubscribe the cores (numpy reads this when it loads OpenBLAS).
    env = os.environ | {"OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
    child = subprocess.run(
        [sys.executable, "-m", "l4a_graph.bench", stage, str(size), str(workdir)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )
    if child.returncode != 0:
        raise RuntimeError(f"bench stage {stage} at {size} triples failed:\n{child.stderr}")
    return Measurement(**json.loads(child.stdout.splitlines()[-1]))


def run_suite(
    sizes: Sequence[int],
    workdir: Path,
    *,
    stages: Sequence[str] | None = None,
    timeout: float = 3600,
    progress: Callable[[Measurement], None] | None = None,
) -> list[Measurement]:
    """Every stage at every size, smallest size first; stages in their fixed order."""
    from l4a_graph.bench.stages import STAGES

    results = []
    for size in sizes:
        for stage in stages or list(STAGES):
            result = measure(stage, size, workdir, timeout)
            results.append(result)
            if progress is not None:
                progress(result)
    return results


def to_json(results: Sequence[Measurement]) -> str:
    """The measurements as a JSON array (kept beside the report for later comparison)."""
    return json.dumps([asdict(r) for r in results], indent=2)
