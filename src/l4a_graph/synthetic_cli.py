"""Commands for scale: ``l4a generate`` (synthetic HUBs) and ``l4a bench`` (the benchmarks)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click

from l4a_graph import synthetic
from l4a_graph.cli import State, cli, pass_state
from l4a_graph.errors import InputError
from l4a_graph.namespaces import GRAPH_SYNTHETIC


@cli.command()
@click.option(
    "--hubs", type=click.IntRange(min=1), default=100, show_default=True, help="Number of HUBs."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same output.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write N-Quads (.nq) or N-Triples (.nt) here instead of loading into the store.",
)
@pass_state
@click.pass_context
def generate(ctx: click.Context, state: State, hubs: int, seed: int, out: Path | None) -> None:
    """Generate synthetic HUBs, labelled synthetic, into their own graph.

    Everything is invented except what it links to (countries, UCLG sections, SDG
    targets, concepts) and lives under https://w3id.org/l4a/synthetic/ in the graph
    https://w3id.org/l4a/graph/synthetic, which it replaces; the real data is never
    touched. About 56 triples per HUB.
    """
    began = time.perf_counter()
    if out is None:
        summary = synthetic.load_synthetic(state.loaded_kg(ctx), hubs, seed)
        where = f"<{GRAPH_SYNTHETIC}>"
    else:
        suffix = out.suffix.lower()
        if suffix not in {".nq", ".nt"}:
            raise InputError(f"{out}: --out must end in .nq (N-Quads) or .nt (N-Triples)")
        summary = synthetic.generate(hubs, seed, out, quads=suffix == ".nq")
        where = str(out)
    seconds = time.perf_counter() - began
    click.echo(
        f"generated {summary.hubs} HUBs, {summary.organisations} organisations, "
        f"{summary.places} places: {summary.triples} triples into {where} in {seconds:.1f} s",
        err=True,
    )


@cli.command()
@click.option(
    "--quick",
    is_flag=True,
    help="Two small sizes without the reference engines, a smoke test: nothing is written.",
)
@click.option(
    "--size",
    "sizes",
    type=click.IntRange(min=100),
    multiple=True,
    help="Triples of the synthetic graph (repeatable) [default: 20000 200000 1000000].",
)
@click.option("--stage", "stages", multiple=True, help="Run only this stage (repeatable).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report file to update [default: BENCHMARKS.md, not with --quick].",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the generated data and stores [default: a temporary folder].",
)
def bench(
    quick: bool,
    sizes: tuple[int, ...],
    stages: tuple[str, ...],
    out: Path | None,
    workdir: Path | None,
) -> None:
    """Time every stage: load, reason, validate, queries, endpoint, matchmaking, pipeline.

    Each stage runs in its own process, at each size, with its peak memory, against the
    reference engines where they finish (owlrl, plain pyshacl, oxigraph serve, rdflib).
    The full run writes its table (with the growth exponent fitted over the sizes, the
    pipeline's figures, the targets and the machine) into BENCHMARKS.md, the
    measurements into benchmarks/scale.json and, when matplotlib is installed (the
    "bench" extra), a plot of time against size into benchmarks/scale.png.
    """
    from l4a_graph.bench import (
        FULL_SIZES,
        QUICK_SIZES,
        REFERENCE_STAGES,
        Measurement,
        run_suite,
        to_json,
    )
    from l4a_graph.bench.report import plot, table, write_section
    from l4a_graph.bench.stages import STAGES

    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise InputError(f"unknown stage {', '.join(unknown)}: use {', '.join(STAGES)}")
    if quick and not stages:
        stages = tuple(s for s in STAGES if s not in REFERENCE_STAGES)
    chosen = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    report = out if out is not None or quick else Path("BENCHMARKS.md")

    def show(m: Measurement) -> None:
        took = "skipped" if m.seconds is None else f"{m.seconds:.2f} s"
        click.echo(f"{m.stage} at {m.size} triples: {took}, {m.peak_mb:.0f} MB", err=True)

    with tempfile.TemporaryDirectory(prefix="l4a-bench-") as scratch:
        results = run_suite(chosen, workdir or Path(scratch), stages=stages, progress=show)
    click.echo(table(results))
    if report is None:
        return
    details = report.parent / "benchmarks"
    details.mkdir(exist_ok=True)
    (details / "scale.json").write_text(to_json(results), encoding="utf-8")
    drawn = plot(details / "scale.png", results)
    if not drawn:
        click.echo("no plot: matplotlib is missing (pip install 'l4a-graph[bench]')", err=True)
    write_section(report, results, "benchmarks/scale.png" if drawn else None)
    click.echo(f"wrote {report}, {details}/scale.json" + (" and scale.png" if drawn else ""))
