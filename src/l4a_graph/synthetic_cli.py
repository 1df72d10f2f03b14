"""``l4a generate``: synthetic HUBs for tests and benchmarks (see :mod:`l4a_graph.synthetic`)."""

from __future__ import annotations

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
