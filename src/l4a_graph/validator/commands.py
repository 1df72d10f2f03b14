"""``l4a validate`` and ``l4a submit``: the intake of HUB submissions on the command line.

Both read the submission with :func:`~l4a_graph.validator.intake.read_submission` (so
bad input is one line and exit code 2) and go through the
:class:`~l4a_graph.knowledge_graph.KnowledgeGraph`. The modules that import pyshacl are
imported inside the commands: the rest of the CLI does not pay for them.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from l4a_graph.cli import State, cli, pass_state
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.validator import LANGUAGES
from l4a_graph.validator.intake import DEFAULT_MAX_BYTES, SUBMISSION_FORMATS, read_submission

_file = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
_lang = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the messages.",
)
_input_format = click.option(
    "--input-format",
    type=click.Choice(SUBMISSION_FORMATS),
    help="Format of FILE [default: from its extension].",
)
_max_bytes = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    envvar="L4A_MAX_SUBMISSION_BYTES",
    show_envvar=True,
    help="Largest submission accepted, in bytes.",
)


@cli.command()
@_file
@click.option(
    "--stage",
    type=click.Choice(["1", "2"]),
    default="2",
    show_default=True,
    help="1: eligibility (lead, agendas, time frame, texts); 2: complete submission.",
)
@_lang
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ttl"]),
    default="text",
    show_default=True,
    help="text for a person, json for a program, ttl for the SHACL report graph.",
)
@_input_format
@_max_bytes
@click.pass_context
def validate(
    ctx: click.Context,
    file: Path,
    stage: str,
    lang: str,
    fmt: str,
    input_format: str | None,
    max_bytes: int,
) -> None:
    """Check the HUB submission FILE (Turtle, JSON-LD, N-Triples, RDF/XML) against the shapes.

    Exit code 0 when it conforms (warnings allowed), 1 when it has violations, 2 when
    FILE cannot be read. Nothing is written to the store.
    """
    submission = read_submission(file, fmt=input_format, max_bytes=max_bytes)
    # The shapes and reference files are all a validation reads: no store is opened.
    report = KnowledgeGraph().validate(submission, stage=int(stage))
    if fmt == "json":
        click.echo(json.dumps(report.as_json(lang), indent=2, ensure_ascii=False))
    elif fmt == "ttl":
        click.echo(report.graph().serialize(format="turtle"))
    else:
        click.echo(report.text(lang), nl=False)
    ctx.exit(0 if report.conforms else 1)


@cli.command()
@_file
@click.option(
    "--by",
    metavar="AGENT",
    help="Who submits: a name, or an IRI (mailto:..., https://orcid.org/...).",
)
@_lang
@_input_format
@_max_bytes
@pass_state
@click.pass_context
def submit(
    ctx: click.Context,
    state: State,
    file: Path,
    by: str | None,
    lang: str,
    input_format: str | None,
    max_bytes: int,
) -> None:
    """Validate the HUB submission FILE at stage 2 and, if it conforms, store it.

    The submission becomes the next version of its HUB, in its own named graph
    (graph/submission/<hub>/v<N>), with its provenance (when, by whom, from which file,
    its SHA-256, the version it revises) in graph/provenance. Older versions stay;
    the newest is marked current. Exit code 0 when stored, 1 when refused (nothing is
    written), 2 when FILE cannot be read.
    """
    submission = read_submission(file, fmt=input_format, max_bytes=max_bytes)
    outcome = state.loaded_kg(ctx).submit(submission, by=by)
    if outcome.stored is None:
        click.echo(outcome.report.text(lang), nl=False)
        ctx.exit(1)
    if outcome.report.findings:
        click.echo(outcome.report.text(lang))
    stored = outcome.stored
    click.echo(f"stored {stored.hub} as version {stored.version}: {stored.iri} in <{stored.graph}>")
