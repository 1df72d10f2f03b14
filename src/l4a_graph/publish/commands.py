"""The ``l4a ontology-docs`` command (``l4a export --dumps`` is in cli.py)."""

from __future__ import annotations

from pathlib import Path

import click

from l4a_graph.cli import State, cli, pass_state
from l4a_graph.publish.ontology_docs import render_ontology_docs
from l4a_graph.queries import LANGUAGES


@cli.command("ontology-docs")
@click.argument("out", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@pass_state
@click.pass_context
def ontology_docs(ctx: click.Context, state: State, out: Path | None, lang: str) -> None:
    """Write the HTML documentation of the ontology to OUT (standard output when omitted).

    One page in the chosen language: header, class diagram, classes, properties and
    concept schemes; labels and definitions missing in that language fall back to English.
    """
    html = render_ontology_docs(state.loaded_kg(ctx), lang)
    if out is None:
        click.echo(html, nl=False)
        return
    out.write_text(html, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)
