"""``l4a reason`` and ``l4a why``: materialize the entailments, and explain one.

Exit codes as everywhere: 0 success, 1 a finding (the data contradict the ontology),
2 usage errors and input that cannot be read.
"""

from __future__ import annotations

import click
from pyoxigraph import RdfFormat, parse

from l4a_graph.cli import State, cli, pass_state
from l4a_graph.errors import InputError
from l4a_graph.namespaces import PREFIXES
from l4a_graph.reasoner.engine import ENGINES, inferred_exists, ruleset
from l4a_graph.reasoner.explain import Fact, explain, render


@cli.command()
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="fast",
    show_default=True,
    help="fast: the ontology's rules run in the store; owlrl: the reference, full OWL 2 RL.",
)
@click.option(
    "--check/--no-check",
    default=True,
    show_default=True,
    help="Check afterwards that the data do not contradict the ontology.",
)
@pass_state
@click.pass_context
def reason(ctx: click.Context, state: State, engine: str, check: bool) -> None:
    """Rebuild graph/inferred: everything the ontology entails from the other graphs.

    The inferred graph is dropped first, so it never keeps a stale triple. With
    --check, violations of what the ontology forbids (disjoint classes, a functional
    property with two values, ...) are listed with the offending resources, and the
    exit code is 1.
    """
    report = state.loaded_kg(ctx).reason(engine, check=check)
    for construct in report.unsupported:
        click.echo(f"l4a: warning: not compiled by the fast engine: {construct}", err=True)
    detail = f", {report.rules} rules, {report.rounds} rounds" if engine == "fast" else ""
    click.echo(f"{engine}: {report.inferred} inferred triples in {report.seconds:.2f} s{detail}")
    if not report.consistent:
        click.echo(f"{len(report.violations)} violation(s) of the ontology:")
        for violation in report.violations:
            click.echo(f"  {violation}")
        ctx.exit(1)


@cli.command()
@click.argument("subject")
@click.argument("predicate")
@click.argument("obj", metavar="OBJECT")
@pass_state
@click.pass_context
def why(ctx: click.Context, state: State, subject: str, predicate: str, obj: str) -> None:
    """Explain why SUBJECT PREDICATE OBJECT holds: the axioms and asserted triples behind it.

    Terms are prefixed names (hub:xian-youth-education-dialogue, l4a:addressesGoal,
    sdg:4), IRIs with or without <>, ``a`` for rdf:type, or Turtle literals
    ("2021-08"^^xsd:gYearMonth). Reasons first if the store has no inferred graph.
    Exit code 0 when it holds, 1 when it is neither asserted nor entailed.
    """
    kg = state.loaded_kg(ctx)
    fact = parse_fact(subject, predicate, obj)
    if not inferred_exists(kg.store):
        click.echo("l4a: no inferred graph yet: reasoning first", err=True)
        kg.reason(check=False)
    derivation = explain(kg.store, ruleset(kg.store).rules, fact)
    click.echo(render(derivation))
    if derivation is None:
        ctx.exit(1)


def parse_fact(subject: str, predicate: str, obj: str) -> Fact:
    """The triple written as three terms on the command line.

    Raises
    ------
    InputError
        If the terms do not make an RDF triple.

    Examples
    --------
    >>> s, p, o = parse_fact("hub:x", "l4a:addressesGoal", "http://metadata.un.org/sdg/4")
    >>> p.value, o.value
    ('https://w3id.org/l4a/def#addressesGoal', 'http://metadata.un.org/sdg/4')
    """
    header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    text = f"{header}{_term(subject)} {_term(predicate)} {_term(obj)} ."
    try:
        quads = list(parse(text.encode(), format=RdfFormat.TURTLE))
    except SyntaxError as error:
        raise InputError(f"not a triple: {subject} {predicate} {obj} ({error})") from error
    if len(quads) != 1:
        raise InputError(f"not one triple: {subject} {predicate} {obj}")
    quad = quads[0]
    return quad.subject, quad.predicate, quad.object


def _term(token: str) -> str:
    """``token`` in Turtle: prefixed names, <IRIs>, ``a`` and literals as they are.

    Raises
    ------
    InputError
        For a prefixed name whose prefix is not one of the predeclared ones.
    """
    if token == "a" or token[:1] in "<\"'":
        return token
    prefix = token.split(":", 1)[0]
    if prefix in PREFIXES:
        return token
    if "://" in token or prefix in ("urn", "mailto"):
        return f"<{token}>"
    known = ", ".join(f"{p}:" for p in PREFIXES)
    raise InputError(
        f"{token!r} is neither an IRI nor a prefixed name with a known prefix ({known})"
    )
