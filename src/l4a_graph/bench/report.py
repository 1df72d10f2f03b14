"""Turning measurements into BENCHMARKS.md: the table, the fitted growth, the machine.

Only the part between ``<!-- scale-bench start -->`` and ``<!-- scale-bench end -->`` is
rewritten, so other sections of BENCHMARKS.md (matchmaking, ...) stay as they are.
"""

from __future__ import annotations

import math
import os
import platform
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Final

from l4a_graph.bench import Measurement

START: Final = "<!-- scale-bench start -->"
END: Final = "<!-- scale-bench end -->"
PACKAGES: Final = ("l4a-graph", "pyoxigraph", "oxigraph", "rdflib", "pyshacl", "owlrl")


def growth_exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """The exponent ``k`` of ``time ~ size**k``, fitted by least squares in log-log space.

    Examples
    --------
    >>> round(growth_exponent([(1_000, 1.0), (10_000, 10.0), (100_000, 100.0)]), 3)
    1.0
    >>> growth_exponent([(1_000, 1.0)]) is None
    True
    """
    usable = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len({x for x, _ in usable}) < 2:
        return None
    mean_x = sum(x for x, _ in usable) / len(usable)
    mean_y = sum(y for _, y in usable) / len(usable)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in usable)
    return covariance / sum((x - mean_x) ** 2 for x, _ in usable)


def table(results: Sequence[Measurement]) -> str:
    """A Markdown table: one row per stage, seconds and peak memory per size, the exponent."""
    sizes = sorted({r.size for r in results})
    stages = list(dict.fromkeys(r.stage for r in results))
    head = ["stage", *(f"{_size(n)} s / MB" for n in sizes), "growth k"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for stage in stages:
        by_size = {r.size: r for r in results if r.stage == stage}
        cells = [_cell(by_size.get(n)) for n in sizes]
        k = growth_exponent([(n, r.seconds) for n, r in by_size.items() if r.seconds])
        lines.append("| " + " | ".join([stage, *cells, "" if k is None else f"{k:.2f}"]) + " |")
    return "\n".join(lines)


def cpu_model() -> str:
    """The processor's model name, as Linux reports it, or what Python knows."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown CPU"
    found = re.search(r"model name\s*:\s*(.+)", text)
    return found.group(1).strip() if found else platform.processor() or "unknown CPU"


def machine() -> str:
    """Where and when: platform, cores, memory, load, Python and package versions, date."""
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    # Other work on the machine slows every stage: the load average says how much.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.platform()}; "
        f"{os.cpu_count()} cores; {_memory_gb()} GB RAM; load average {load}; "
        f"Python {platform.python_version()}; {versions}"
    )


def section(results: Sequence[Measurement]) -> str:
    """The BENCHMARKS.md section for ``results``, between its markers."""
    return "\n".join(
        [
            START,
            "## Scale: every stage at growing sizes",
            "",
            "Written by `l4a bench`. Size: triples of the synthetic graph "
            "(`l4a generate`), on top of about 9,000 shipped triples. Each cell: seconds / "
            "peak memory (MB) of the process that ran the stage, its Python and imports "
            "included. *growth k*: exponent of time ~ size^k fitted over the sizes "
            "(1 is linear).",
            "",
            table(results),
            "",
            f"Machine: {machine()}.",
            END,
        ]
    )


def replace_section(path: Path, start: str, end: str, text: str) -> None:
    """Put ``text`` (which begins with ``start`` and ends with ``end``) into ``path``.

    The previous text between the same markers is replaced and the rest of the file is
    left alone, so each benchmark owns one section of BENCHMARKS.md.
    """
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        current = pattern.sub(lambda _: text, current)
    else:
        current = current.rstrip("\n") + "\n\n" + text
    path.write_text(current.rstrip("\n") + "\n", encoding="utf-8")


def write_section(path: Path, results: Sequence[Measurement]) -> None:
    """Put the section into ``path`` (created if missing), replacing its previous version."""
    replace_section(path, START, END, section(results))


def plot(path: Path, results: Sequence[Measurement]) -> bool:
    """Draw time against size per stage (log-log) as a PNG; False if matplotlib is missing."""
    try:
        import matplotlib  # type: ignore[import-not-found, unused-ignore]

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for stage in dict.fromkeys(r.stage for r in results):
        points = sorted((r.size, r.seconds) for r in results if r.stage == stage and r.seconds)
        if points:
            axes.plot(*zip(*points, strict=True), marker="o", label=stage)
    axes.set(xscale="log", yscale="log", xlabel="triples (synthetic graph)", ylabel="seconds")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True


def _cell(result: Measurement | None) -> str:
    if result is None:
        return ""
    if result.seconds is None:
        return "skipped"
    return f"{result.seconds:.2f} / {result.peak_mb:.0f}"


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def _memory_gb() -> str:
    meminfo = Path("/proc/meminfo")
    if not meminfo.exists():
        return "?"
    kib = int(meminfo.read_text().split()[1])  # "MemTotal: <n> kB" comes first
    return f"{kib / 2**20:.0f}"
