"""The ``l4a`` command line: every command goes through one :class:`KnowledgeGraph`.

Exit codes: 0 success, 1 a finding (invalid data, an inconsistency), 2 usage errors and
input that cannot be read.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import click

from l4a_graph import __version__
from l4a_graph.errors import InputError, L4AError
from l4a_graph.formats import FORMAT_NAMES, by_name
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.output import OUTPUT_FORMATS, table, write_result
from l4a_graph.queries import LANGUAGES, get_query, load_library


def default_store_dir() -> Path:
    """``$L4A_STORE`` or, failing that, ``$XDG_DATA_HOME/l4a/store``."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "l4a" / "store"


@dataclass
class State:
    """What the group options chose; the knowledge graph opens on first use."""

    store_dir: Path | None
    endpoints: tuple[str, str | None, str | None] | None = None
    """(query, update, graph store) URLs of a remote SPARQL store, if one was given."""
    _kg: KnowledgeGraph | None = field(default=None, repr=False)

    def kg(self, ctx: click.Context) -> KnowledgeGraph:
        if self._kg is None:
            if self.endpoints is not None:
                from l4a_graph.knowledge_graph import private_store
                from l4a_graph.store.remote import open_remote

                # The remote server holds the public dataset; private data stays here.
                private = private_store(self.store_dir) if self.store_dir else None
                self._kg = KnowledgeGraph(open_remote(*self.endpoints), private)
            else:
                self._kg = KnowledgeGraph.open(self.store_dir)
            ctx.call_on_close(self._kg.close)
        return self._kg

    def loaded_kg(self, ctx: click.Context) -> KnowledgeGraph:
        """The knowledge graph, with the shipped data loaded first if the store is empty."""
        kg = self.kg(ctx)
        if kg.ensure_loaded(progress=sys.stderr.isatty()):
            click.echo("l4a: the store was empty: loaded the shipped data", err=True)
        return kg


class L4AGroup(click.Group):
    """Turns the project's own errors into a one-line message and their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except L4AError as error:
            click.echo(f"l4a: error: {error}", err=True)
            ctx.exit(error.exit_code)


pass_state = click.make_pass_decorator(State)


@click.group(cls=L4AGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="l4a")
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="L4A_STORE",
    show_envvar=True,
    help="Directory of the on-disk store [default: $XDG_DATA_HOME/l4a/store].",
)
@click.option("--memory", is_flag=True, help="Use a fresh in-memory store (nothing is kept).")
@click.option(
    "--endpoint",
    metavar="URL",
    envvar="L4A_ENDPOINT",
    show_envvar=True,
    help="SPARQL query endpoint of a remote store, used instead of the embedded one.",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    envvar="L4A_UPDATE_ENDPOINT",
    show_envvar=True,
    help="SPARQL update endpoint of the remote store [default: read-only].",
)
@click.option(
    "--graph-store",
    metavar="URL",
    envvar="L4A_GRAPH_STORE",
    show_envvar=True,
    help="Graph Store protocol endpoint of the remote store (faster uploads).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    store_dir: Path | None,
    memory: bool,
    endpoint: str | None,
    update_endpoint: str | None,
    graph_store: str | None,
) -> None:
    """l4a-graph: the knowledge graph of UCLG's Local4Action HUBs."""
    ctx.obj = State(
        None if memory else (store_dir or default_store_dir()),
        (endpoint, update_endpoint, graph_store) if endpoint else None,
    )


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--graph", metavar="IRI", help="Named graph for the files [default: one per file].")
@click.option(
    "--reason/--no-reason",
    default=True,
    show_default=True,
    help="Bring the inferred graph up to date after loading.",
)
@pass_state
@click.pass_context
def load(
    ctx: click.Context, state: State, files: tuple[Path, ...], graph: str | None, reason: bool
) -> None:
    """Load RDF FILES (or folders) into the store; with no FILES, the shipped data.

    The shipped data is the ontology, the reference data (SDGs, countries, places,
    UCLG sections) and the curated real HUBs. Each file replaces its named graph
    atomically: a file that does not parse leaves the store unchanged. Afterwards the
    ontology's entailments are materialized in the inferred graph (see `l4a reason`).
    """
    kg = state.kg(ctx)
    progress = sys.stderr.isatty()
    plan = (
        kg.load_files(files, graph=graph, progress=progress, reason=reason)
        if files
        else kg.load_shipped(progress=progress, reason=reason)
    )
    loaded = sum(len(item.paths) for item in plan)
    plural = "s" if loaded != 1 else ""
    click.echo(f"loaded {loaded} file{plural}; the store holds {kg.store.count()} quads")


@cli.command()
@click.argument("query", required=False)
@click.option("--name", metavar="NAME", help="Run the named query NAME of the query library.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the named query (repeatable); values are bound, never pasted.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True
)
@pass_state
@click.pass_context
def query(
    ctx: click.Context,
    state: State,
    query: str | None,
    name: str | None,
    params: tuple[str, ...],
    list_queries: bool,
    lang: str,
    fmt: str,
) -> None:
    """Run a SPARQL QUERY (its text or a .rq file), or a named query of the library.

    The usual prefixes (l4a, skos, dcterms, org, prov, sdg, ...) are predeclared.
    """
    if list_queries:
        click.echo(_library_table(lang))
        return
    if (query is None) == (name is None):
        raise click.UsageError("give either a QUERY or --name NAME")
    if name is not None:
        named = get_query(name)
        text, bindings = named.text, named.bindings(_parse_params(params))
    else:
        assert query is not None
        if params:
            raise click.UsageError("--param goes with --name")
        text, bindings = _query_text(query), {}
    write_result(state.loaded_kg(ctx).query(text, bindings), fmt, _stdout())


def _query_text(query: str) -> str:
    path = Path(query)
    if path.suffix in {".rq", ".sparql"}:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        return path.read_text(encoding="utf-8")
    return query


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for param in params:
        key, sep, value = param.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{param!r} is not KEY=VALUE", param_hint="--param")
        parsed[key] = value
    return parsed


def _library_table(lang: str) -> str:
    rows = [
        [
            q.name,
            q.label(lang),
            " ".join(f"{p.name}{'' if p.required else '?'}" for p in q.parameters),
        ]
        for q in load_library().values()
    ]
    return table(["name", "title", "parameters (? = optional)"], rows)


@cli.command()
@click.argument("out", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="trig", show_default=True)
@click.option("--graph", metavar="IRI", help="Export this named graph only.")
@click.option(
    "--dumps",
    "dumps_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the site's /dumps/ files into DIR instead (rebuilt only if the data changed).",
)
@pass_state
@click.pass_context
def export(
    ctx: click.Context,
    state: State,
    out: Path | None,
    fmt: str,
    graph: str | None,
    dumps_dir: Path | None,
) -> None:
    """Write the dataset to OUT (standard output when omitted).

    TriG and N-Quads keep the named graphs; the triple formats write their union.
    With --dumps, the published graphs as gzipped Turtle, TriG, N-Quads and JSON-LD,
    with SHA256SUMS and the VoID description (void.ttl).
    """
    kg = state.loaded_kg(ctx)
    if dumps_dir is not None:
        if out is not None or graph is not None:
            raise click.UsageError("--dumps writes a folder: give no OUT and no --graph")
        from l4a_graph.publish.dumps import PERSISTENT_BASE_URL, write_dumps

        files = write_dumps(kg, dumps_dir, PERSISTENT_BASE_URL)
        click.echo(f"dumps in {dumps_dir}: {', '.join(f.name for f in files)}", err=True)
        return
    if out is None:
        kg.export(_stdout(), by_name(fmt), graph)
        return
    with out.open("wb") as stream:
        kg.export(stream, by_name(fmt), graph)
    click.echo(f"wrote {out}", err=True)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_state
@click.pass_context
def stats(ctx: click.Context, state: State, fmt: str) -> None:
    """Triples per named graph and the numbers of HUBs, LRGs, stakeholders, goals, targets."""
    result = state.loaded_kg(ctx).stats()
    if fmt == "json":
        click.echo(
            json.dumps(
                {"graphs": result.graphs, "entities": result.entities, "triples": result.triples},
                indent=2,
            )
        )
        return
    click.echo(table(["what", "count"], [[k, str(v)] for k, v in result.entities.items()]))
    click.echo()
    rows = [[g, str(n)] for g, n in result.graphs.items()] + [["(all graphs)", str(result.triples)]]
    click.echo(table(["graph", "triples"], rows))


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder [default: data/reference].",
)
@click.option(
    "--sdg-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The SDG source files [default: ../shared/data/sdg].",
)
def reference(out: Path | None, sdg_dir: Path | None) -> None:
    """Regenerate data/reference/ from its sources (UN SDG KOS, Open SDG, pycountry, GeoNames)."""
    from l4a_graph import reference as ref

    written = ref.build_reference(out or ref.DEFAULT_OUT, sdg_dir or ref.DEFAULT_SDG_DIR)
    for path in written:
        click.echo(f"wrote {path}")


def _stdout() -> BinaryIO:
    return sys.stdout.buffer


def main() -> None:
    """Entry point of the ``l4a`` console script."""
    cli(prog_name="l4a")


from l4a_graph import backup_cli as _backup_cli  # noqa: E402,F401
from l4a_graph import synthetic_cli as _synthetic_cli  # noqa: E402,F401
from l4a_graph.analyses import commands as _analyses_commands  # noqa: E402,F401
from l4a_graph.publish import commands as _publish_commands  # noqa: E402,F401
from l4a_graph.reasoner import commands as _reasoner_commands  # noqa: E402,F401
from l4a_graph.validator import commands as _validator_commands  # noqa: E402,F401
from l4a_graph.web import commands as _web_commands  # noqa: E402,F401
