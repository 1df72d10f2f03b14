"""``l4a match``, ``l4a match-feedback`` and ``l4a network``: matchmaking from the shell.

Thin commands: they read the options, call :mod:`l4a_graph.analyses` and render.
"""

# networkx's convention, followed here: a graph is ``G``.
# ruff: noqa: N803, N806

from __future__ import annotations

import csv
import io
import json
from typing import Final

import click
import networkx as nx
from pyoxigraph import NamedNode

from l4a_graph.analyses.combine import CONTEXT, SUBSTANCE, MatchResult, Weights, match_in
from l4a_graph.analyses.exceptions import UnknownEntityError
from l4a_graph.analyses.exclusions import excluded, set_excluded, without
from l4a_graph.analyses.feedback import DECISIONS, record_feedback
from l4a_graph.analyses.graphs import LANGUAGES, compact, expand_iri, label, typed_graph
from l4a_graph.analyses.network import GROUPINGS, METHODS, NetworkReport, network_report
from l4a_graph.analyses.rdf import write_matches
from l4a_graph.analyses.store_views import read_views
from l4a_graph.cli import State, cli, pass_state
from l4a_graph.output import table

MATCH_FORMATS: Final = ("table", "csv", "json", "graphml")
SIGNALS: Final = (*SUBSTANCE, *CONTEXT)


@cli.command()
@click.option("--hub", metavar="IRI", help="Candidates for this HUB (IRI, hub:slug or slug).")
@click.option("--lrg", metavar="IRI", help="Candidates for the HUBs this LRG takes part in.")
@click.option(
    "--territory",
    metavar="CODE",
    help="Candidates for the HUBs in a territory: a country code (ES) or a territory IRI.",
)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(MATCH_FORMATS), default="table", show_default=True
)
@click.option(
    "--write", is_flag=True, help="Also store the candidates as RDF in graph matches/<run-id>."
)
@click.option(
    "--weights", "weights_spec", metavar="NAME=VALUE,...", help="Change weights or options."
)
@click.option("--show-weights", is_flag=True, help="Print the weights and options, then exit.")
@pass_state
@click.pass_context
def match(
    ctx: click.Context,
    state: State,
    hub: str | None,
    lrg: str | None,
    territory: str | None,
    top: int,
    lang: str,
    fmt: str,
    write: bool,
    weights_spec: str | None,
    show_weights: bool,
) -> None:
    """Rank the HUBs worth connecting with a HUB, an LRG or a territory, and say why.

    The score combines shared SDG targets and goals (rarer ones count more), PathSim
    over targets, Pact axes and stakeholders, complementary expertise, shared
    stakeholders as brokers, then a bonus for pairs across regions or sections and for
    pairs active at the same time. Pairs accepted or rejected with `l4a match-feedback`
    are not suggested again.
    """
    weights = Weights.parse(weights_spec)
    if show_weights:
        rows = [list(row) for row in weights.describe()]
        click.echo(table(["name", "value", "default", "meaning"], rows))
        return
    if sum(x is not None for x in (hub, lrg, territory)) != 1:
        raise click.UsageError("give exactly one of --hub, --lrg or --territory")
    kg = state.loaded_kg(ctx)
    _, result = match_in(
        kg, hub=hub, lrg=lrg, territory=territory, top=top, weights=weights, lang=lang
    )
    click.echo(RENDERERS[fmt](result), nl=False)
    if write:
        graph = write_matches(kg, result)
        click.echo(f"wrote {len(result.candidates)} candidates to <{graph}>", err=True)


def _table(result: MatchResult) -> str:
    query = result.query
    several = len(query.hubs) > 1
    header = ["#", "candidate", "score", *(["with"] if several else []), "why"]
    rows = [
        [
            str(c.rank),
            c.label,
            f"{c.score:.3f}",
            *([c.source_label] if several else []),
            c.explanation.text(result.lang),
        ]
        for c in result.candidates
    ]
    plural = "" if len(rows) == 1 else "s"
    heading = f"{query.label} ({compact(query.iri)}): {len(rows)} candidate{plural}\n"
    return heading + (table(header, rows) + "\n" if rows else "")


def _csv(result: MatchResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "hub", "label", "score", "for", "explanation", *SIGNALS])
    for c in result.candidates:
        signals = c.explanation.signals
        writer.writerow(
            [c.rank, c.hub, c.label, c.score, c.source, c.explanation.text(result.lang)]
            + [signals.get(name, "") for name in SIGNALS]
        )
    return out.getvalue()


def _json(result: MatchResult) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"


def _graphml(result: MatchResult) -> str:
    """The query HUBs and candidates as nodes, each suggestion as a scored edge."""
    H = nx.Graph()
    for c in result.candidates:
        for node, name in ((c.source, c.source_label), (c.hub, c.label)):
            H.add_node(node, label=name, kind="hub")
        signals = {name: float(value) for name, value in c.explanation.signals.items()}
        H.add_edge(
            c.source,
            c.hub,
            score=c.score,
            rank=c.rank,
            explanation=c.explanation.text(result.lang),
            **signals,
        )
    return "\n".join(nx.generate_graphml(H)) + "\n"


RENDERERS: Final = {"table": _table, "csv": _csv, "json": _json, "graphml": _graphml}


@cli.command("match-feedback")
@click.argument("pair")
@click.argument("decision", type=click.Choice(sorted(DECISIONS)))
@click.option("--comment", default="", help="Why; kept with the decision.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@pass_state
@click.pass_context
def match_feedback(
    ctx: click.Context, state: State, pair: str, decision: str, comment: str, lang: str
) -> None:
    """Accept or reject a candidate PAIR: HUB,CANDIDATE or a candidate IRI from --write.

    The decision is stored as RDF with its provenance in the graph
    https://w3id.org/l4a/graph/match-feedback; the pair is never suggested again.
    """
    iri = record_feedback(state.loaded_kg(ctx), pair, decision, comment, lang=lang)
    click.echo(f"recorded {DECISIONS[decision]}: <{iri}>")


@cli.command("match-exclude")
@click.argument("stakeholder")
@click.option("--undo", is_flag=True, help="Take the stakeholder back into matchmaking.")
@pass_state
@click.pass_context
def match_exclude(ctx: click.Context, state: State, stakeholder: str, undo: bool) -> None:
    """Leave STAKEHOLDER (an IRI) out of matchmaking, at its request.

    It is no longer counted as a shared stakeholder nor named as a broker, and cannot be
    matched for. The request is kept in a restricted graph, never published.
    """
    kg = state.loaded_kg(ctx)
    iri = expand_iri(stakeholder)
    if not kg.query("ASK { ?s a/rdfs:subClassOf* org:Organization }", {"s": NamedNode(iri)}):
        raise UnknownEntityError(f"{iri} is no organisation of the knowledge graph")
    set_excluded(kg, iri, exclude=not undo)
    click.echo(f"{'included in' if undo else 'excluded from'} matchmaking: <{iri}>")


@cli.command()
@click.option("--method", type=click.Choice(METHODS), default="louvain", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same output.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Candidates per HUB in the opportunity graph the communities are found in.",
)
@click.option(
    "--by", type=click.Choice(GROUPINGS), default="region", show_default=True, help="Gaps by."
)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_state
@click.pass_context
def network(
    ctx: click.Context,
    state: State,
    method: str,
    seed: int,
    top: int,
    by: str,
    lang: str,
    fmt: str,
) -> None:
    """Communities, brokers, isolated HUBs and coverage gaps of the HUB community."""
    kg = state.loaded_kg(ctx)
    # The network views need the networkx graph; the projections (equal to those of
    # hub_views(G)) are quicker to read from the store than to project out of it.
    opted_out = excluded(kg)
    G = typed_graph(kg)
    G.remove_nodes_from(opted_out)  # no broker, no member of a community
    views = without(read_views(kg).views, opted_out)
    report = network_report(G, views, method=method, seed=seed, top=top, by=by)
    if fmt == "json":
        click.echo(json.dumps(_network_data(G, report, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(_network_text(G, report, lang))


def _network_data(G: nx.MultiDiGraph, report: NetworkReport, lang: str) -> dict[str, object]:
    def named(iri: str) -> dict[str, str]:
        return {"iri": iri, "label": label(G, iri, lang)}

    coverage = report.coverage
    return {
        "communities": [[named(h) for h in sorted(c)] for c in report.communities],
        "brokers": [{**named(s), "betweenness": value} for s, value in report.brokers],
        "isolated": [named(h) for h in report.isolated],
        "coverage": {
            "by": coverage.by,
            "gaps": {g: [named(x) for x in goals] for g, goals in coverage.gaps.items()},
            "hubs": coverage.counts,
            "empty": [named(g) for g in coverage.empty],
        },
    }


def _network_text(G: nx.MultiDiGraph, report: NetworkReport, lang: str) -> str:
    def names(iris: list[str]) -> str:
        return ", ".join(label(G, i, lang) for i in iris)

    groups = [c for c in report.communities if len(c) > 1]
    lines = [f"Communities ({len(groups)}, and {len(report.communities) - len(groups)} alone)"]
    lines += [f"  {i}. {names(sorted(c))}" for i, c in enumerate(groups, start=1)]
    lines += ["", "Brokers (betweenness of stakeholders and LRGs)"]
    lines += [f"  {value:.3f}  {label(G, s, lang)}" for s, value in report.brokers] or ["  none"]
    lines += ["", f"Isolated HUBs (no shared stakeholder, no exchange): {len(report.isolated)}"]
    lines += [f"  {label(G, h, lang)}" for h in report.isolated]
    coverage = report.coverage
    lines += ["", f"Coverage gaps by {coverage.by}: SDG goals no HUB there addresses"]
    for group, goals in coverage.gaps.items():
        numbers = ", ".join(G.nodes[g].get("notation", compact(g)) for g in goals)
        lines.append(f"  {label(G, group, lang)}: {numbers or 'none'}")
    if coverage.empty:
        lines.append(f"  no HUB at all: {names(coverage.empty)}")
    return "\n".join(lines)
