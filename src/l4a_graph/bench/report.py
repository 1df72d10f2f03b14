"""Turning measurements into BENCHMARKS.md: the table, the fitted growth, the machine.

Only the part between ``<!-- scale-bench start -->`` and ``<!-- scale-bench end -->`` is
rewritten, so other sections of BENCHMARKS.md (matchmaking, ...) stay as they are.
Besides the table of every stage, the section holds the pipeline (load, reason,
validate, ready to query) in memory and on disk, the comparisons with the reference
engines, and whether the targets of the issue hold.
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
PACKAGES: Final = (
    "l4a-graph",
    "pyoxigraph",
    "oxigraph",
    "rdflib",
    "pyshacl",
    "owlrl",
    "networkx",
    "scipy",
    "numpy",
)
PIPELINE_TARGET_S: Final = 10.0
"""Load, reason, validate and ready to query, for 1M triples, on a 2-core machine."""
MEMORY_TARGET_MB: Final = 4096.0
"""Peak memory of any stage at 1M triples."""
PIPELINE_STEPS: Final = ("load", "reason", "validate", "query")


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


def section(results: Sequence[Measurement], figure: str | None = None) -> str:
    """The BENCHMARKS.md section for ``results``, between its markers.

    ``figure``: the path of the plot, relative to BENCHMARKS.md, if one was drawn.
    """
    loads = [r.detail["load_1min"] for r in results if "load_1min" in r.detail]
    busy = (
        f" The load average (1 min) at the start of the stages went from "
        f"{min(map(float, loads)):.1f} to {max(map(float, loads)):.1f} "
        f"on {os.cpu_count()} cores: other work shared the machine, and wall times "
        "grow with it (CPU times, in benchmarks/scale.json, much less)."
        if loads
        else ""
    )
    parts = [
        START,
        "## Scale: every stage at growing sizes",
        "",
        "Written by `l4a bench`. Size: triples of the synthetic graph (`l4a generate`, "
        "seed 2020), on top of about 9,500 shipped triples. Each cell: wall seconds / "
        "peak memory (MB, the largest resident set of the process that ran the stage, "
        "its Python, imports and data included; for `query-server` and `endpoint`, the "
        "server's processes added up, if larger). *growth k*: exponent of time ~ size^k "
        "fitted by least squares in log-log space over the sizes measured (1 is linear). "
        "*skipped*: the reference engine is not run at that size (see below)." + busy,
        "",
        table(results),
        "",
        STAGE_NOTES,
    ]
    if figure:
        parts += ["", f"![Time against size, per stage (log-log)]({figure})"]
    pipeline = pipeline_table(results)
    if pipeline:
        parts += ["", "### Pipeline: load, reason, validate, ready to query", "", PIPELINE_NOTES]
        parts += ["", pipeline]
    compared = comparisons(results)
    if compared:
        parts += ["", "### Against the reference engines", "", COMPARED_NOTES, "", compared]
    parts += ["", "### Targets", "", targets(results)]
    parts += ["", f"Machine: {machine()}.", END]
    return "\n".join(parts)


STAGE_NOTES: Final = """\
Stages: `generate` writes the synthetic N-Triples; `load` loads the shipped data and
bulk-loads the synthetic file into a new on-disk store; `export` dumps it as N-Quads;
`reason` is the fast reasoner (`l4a reason`: materialization, in memory; the consistency
check is in the details) and `reason-owlrl` owlrl's closure of the same data (up to 20k
triples; the [Reasoning](#reasoning) section has 200k); `validate` runs the project's
validator (`l4a validate`, stage 2) on a batch of submissions, every 100th synthetic HUB
with its participations, deliverables, organisations and places (IRIs moved to the
persistent patterns), and `validate-pyshacl` plain pyshacl on the same batch (one call
with every shape on an rdflib graph of the submission and the reference facts it cites;
up to 200k triples); `query`, `query-server`, `query-rdflib` run the query library's mix
(the queries without a required parameter, to their last row) on the embedded store,
through `oxigraph serve` (each on its own on-disk store) and on rdflib's engine (in
memory, up to 20k triples); `query-pairwise` runs apart, on the embedded store and up to
200k triples, the question about pairs of HUBs (`shared-target-pairs`), quadratic by
nature; `endpoint` serves the loaded store with `l4a serve` and answers 120 requests of
the endpoint benchmark's twelve-query mix from a second process over 4 keep-alive
connections; `matchmaking` reads the reasoned store (in memory) into the HUB projections
and ranks the top 10 candidates of every HUB (`read_views` and `rank_all` of
`l4a_graph.analyses`, 2 threads); `pipeline-memory` and `pipeline-disk` are below."""

PIPELINE_NOTES: Final = """\
Through `KnowledgeGraph`, as `l4a load` (the shipped data, then the synthetic file:
files of 64 MB or more are bulk-loaded) followed by `l4a reason` and a first query:
*load*, *reason* (materialize `graph/inferred`), *validate* (the consistency check of
what the ontology forbids, over the whole store: the one validation that reads all of
it; SHACL checks submissions one at a time, see `validate` above), *query* (a first
question that needs the entailments: HUBs per goal through `l4a:hasStakeholder`).
*ready*: from nothing to that first answer; wall seconds (CPU seconds in brackets).
*quads*: in the store at the end, the inferred ones included."""


COMPARED_NOTES: Final = """\
Wall seconds, CPU seconds of the measuring process where the stage records them; in
brackets, the other's time over ours (above 1: ours is faster)."""


def pipeline_table(results: Sequence[Measurement]) -> str:
    """The pipeline stages, one row per store and size, one column per step; or ""."""
    rows = [r for r in results if r.stage.startswith("pipeline-") and r.seconds is not None]
    if not rows:
        return ""
    head = ["store", "size", "quads", *PIPELINE_STEPS, "ready", "peak MB", "under 10 s"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 2) + "---|"]
    for r in sorted(rows, key=lambda r: (r.stage != "pipeline-memory", r.size)):
        assert r.seconds is not None
        steps = [
            f"{float(r.detail.get(f'{s}_seconds', 0)):.2f} "
            f"({float(r.detail.get(f'{s}_cpu_seconds', 0)):.2f})"
            for s in PIPELINE_STEPS
        ]
        cpu = sum(float(r.detail.get(f"{s}_cpu_seconds", 0)) for s in PIPELINE_STEPS)
        verdict = "yes" if r.seconds < PIPELINE_TARGET_S else "no"
        cells = [
            r.stage.removeprefix("pipeline-"),
            _size(r.size),
            f"{int(r.detail.get('quads', r.size)):,}",
            *steps,
            f"**{r.seconds:.2f}** ({cpu:.2f})",
            f"{r.peak_mb:.0f}",
            verdict,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def comparisons(results: Sequence[Measurement]) -> str:
    """Ours against the reference engines, per size where both ran; or "".

    Each figure: wall seconds, CPU seconds in brackets where the stage measured them
    (the fairer figure on a shared machine); the ratio is the other's time over ours.
    """
    by = {(r.stage, r.size): r for r in results if r.seconds}
    lines = []
    for size in sorted({r.size for r in results}):
        parts = []
        for ours, theirs, what in (
            ("reason", "reason-owlrl", "reasoning: fast {a}, owlrl {b}"),
            ("validate", "validate-pyshacl", "validation: ours {a}, plain pyshacl {b}"),
            ("query", "query-server", "query mix: embedded {a}, oxigraph serve {b}"),
            ("query", "query-rdflib", "query mix: embedded {a}, rdflib {b}"),
        ):
            mine, other = by.get((ours, size)), by.get((theirs, size))
            if mine and other:
                parts.append(what.format(a=_timing(mine), b=_timing(other)) + _ratio(mine, other))
        owlrl = by.get(("reason-owlrl", size))
        if owlrl:
            parts.append(f"same closure as owlrl: {owlrl.detail.get('same_closure', '?')}")
        endpoint = by.get(("endpoint", size))
        if endpoint:
            parts.append(
                f"`l4a serve`: {endpoint.detail.get('requests_per_second', '?')} requests/s, "
                f"p50 {endpoint.detail.get('p50_ms', '?')} ms, "
                f"p95 {endpoint.detail.get('p95_ms', '?')} ms, "
                f"{endpoint.detail.get('errors', '?')} errors"
            )
        if parts:
            lines.append(f"- {_size(size)}: " + "; ".join(parts) + ".")
    return "\n".join(lines)


def _timing(result: Measurement) -> str:
    cpu = result.detail.get("cpu_seconds")
    return f"{result.seconds:.2f} s" + (f" ({float(cpu):.2f} s CPU)" if cpu is not None else "")


def _ratio(ours: Measurement, other: Measurement) -> str:
    """`` (12x)``: the other's time over ours, wall, and CPU where both measured it."""
    assert ours.seconds and other.seconds
    wall = other.seconds / ours.seconds
    text = f"{wall:.0f}x" if wall >= 10 else f"{wall:.2g}x"
    mine, theirs = ours.detail.get("cpu_seconds"), other.detail.get("cpu_seconds")
    if mine and theirs and float(mine) > 0:
        cpu = float(theirs) / float(mine)
        text += f", {cpu:.0f}x in CPU" if cpu >= 10 else f", {cpu:.2g}x in CPU"
    return f" ({text})"


def targets(results: Sequence[Measurement]) -> str:
    """Whether the issue's targets hold at the largest size measured."""
    if not results:
        return "No measurement."
    largest = max(r.size for r in results)
    at = [r for r in results if r.size == largest]
    lines = []
    for r in sorted((r for r in at if r.stage.startswith("pipeline-")), key=lambda r: r.stage):
        if r.seconds is None:
            continue
        verdict = "holds" if r.seconds < PIPELINE_TARGET_S else "does not hold"
        lines.append(
            f"- Pipeline under {PIPELINE_TARGET_S:.0f} s at {_size(largest)} triples, "
            f"{r.stage.removeprefix('pipeline-')}: {verdict} ({r.seconds:.1f} s)."
        )
    top = max(at, key=lambda r: r.peak_mb)
    verdict = "holds" if top.peak_mb < MEMORY_TARGET_MB else "does not hold"
    lines.append(
        f"- Peak memory under {MEMORY_TARGET_MB / 1024:.0f} GB at {_size(largest)} triples: "
        f"{verdict} (largest: {top.stage}, {top.peak_mb:.0f} MB)."
    )
    exponents = []
    for stage in dict.fromkeys(r.stage for r in results):
        points = [(r.size, r.seconds) for r in results if r.stage == stage and r.seconds]
        k = growth_exponent(points)
        if k is not None and len(points) >= 3:
            exponents.append(f"{stage} {k:.2f}")
    if exponents:
        lines.append(
            "- Growth over the three sizes (k, 1 is linear): " + ", ".join(exponents) + "."
        )
    return "\n".join(lines)


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


def write_section(path: Path, results: Sequence[Measurement], figure: str | None = None) -> None:
    """Put the section into ``path`` (created if missing), replacing its previous version."""
    replace_section(path, START, END, section(results, figure))


def plot(path: Path, results: Sequence[Measurement]) -> bool:
    """Draw time against size per stage (log-log) as a PNG; False if matplotlib is missing.

    Each stage is one line, labelled with its fitted growth exponent.
    """
    try:
        import matplotlib  # type: ignore[import-not-found, unused-ignore]

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(9, 6))
    styles = ("-", "--", ":", "-.")
    for i, stage in enumerate(dict.fromkeys(r.stage for r in results)):
        points = sorted((r.size, r.seconds) for r in results if r.stage == stage and r.seconds)
        if not points:
            continue
        k = growth_exponent(points)
        label = stage if k is None else f"{stage} (k = {k:.2f})"
        axes.plot(
            *zip(*points, strict=True),
            marker="o",
            linestyle=styles[i // 10 % len(styles)],
            label=label,
        )
    axes.set(
        xscale="log",
        yscale="log",
        xlabel="triples (synthetic graph)",
        ylabel="seconds (wall)",
        title="l4a bench: time against size per stage",
    )
    axes.grid(True, which="major", alpha=0.3)
    axes.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def _cell(result: Measurement | None) -> str:
    if result is None:
        return ""
    if result.seconds is None:
        return "skipped"
    return f"{result.seconds:.2f} / {result.peak_mb:.0f}"


def _size(n: int) -> str:
    """``1M``, ``200k``, ``1.5k``, ``500``: the size as a column heading.

    >>> [_size(n) for n in (1_000_000, 200_000, 1_500, 500)]
    ['1M', '200k', '1.5k', '500']
    """
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return f"{n / 1000:g}k" if n >= 1000 else str(n)


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
