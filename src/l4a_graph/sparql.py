"""SPARQL text handling that needs no store: a lexer and safe parameter binding.

Oxigraph offers no syntax tree, and a regular expression cannot tell the keyword
``SERVICE`` from the same word inside a string or an IRI; this small lexer can.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from l4a_graph.errors import QueryError

Term: TypeAlias = NamedNode | BlankNode | Literal | Triple

VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<variable>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-.]*(?::[^\s{}()\[\];,]*)?|:[^\s{}()\[\];,]*)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """A lexical token of a SPARQL text: its kind, its text and where it starts."""

    kind: str
    text: str
    offset: int


def tokens(sparql: str) -> Iterator[Token]:
    """The tokens of ``sparql``, comments and white space left out.

    Kinds: ``string``, ``iri``, ``variable``, ``word`` (keywords and prefixed names)
    and ``other`` (punctuation and operators).

    Examples
    --------
    >>> [t.text for t in tokens('SELECT * { ?s ?p "SERVICE" } # LOAD')]
    ['SELECT', '*', '{', '?s', '?p', '"SERVICE"', '}']
    """
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind not in ("comment", "space"):
            yield Token(kind, match.group(), match.start())


def keywords(sparql: str) -> set[str]:
    """The bare words of ``sparql`` in upper case (strings, IRIs, comments excluded).

    Examples
    --------
    >>> sorted(keywords("SELECT * WHERE { SERVICE <http://x/LOAD> { ?s ?p 'load' } }"))
    ['SELECT', 'SERVICE', 'WHERE']
    """
    return {t.text.upper() for t in tokens(sparql) if t.kind == "word"}


def _group_start(sparql: str) -> int:
    """Offset just after the ``{`` that opens the query's WHERE clause."""
    seen_where = False
    first_brace = -1
    for token in tokens(sparql):
        if token.kind == "word" and token.text.upper() == "WHERE":
            seen_where = True
        elif token.text == "{":
            if seen_where:
                return token.offset + 1
            if first_brace < 0:
                first_brace = token.offset + 1
    if first_brace < 0:
        raise QueryError("the query has no graph pattern to bind parameters in")
    # SELECT and ASK may omit WHERE; CONSTRUCT never reaches here with a template only.
    return first_brace


def with_bindings(sparql: str, bindings: Mapping[str, Term] | None) -> str:
    """Bind variables of ``sparql`` to RDF terms with a ``VALUES`` block.

    The block opens the WHERE clause, so the FILTERs of that group see the values.
    Terms are written in N-Triples syntax by the RDF library, so a value can never
    change the structure of the query; every SPARQL 1.1 engine understands it.

    Raises
    ------
    QueryError
        If a name is not a SPARQL variable name, or the query has no WHERE clause.

    Examples
    --------
    >>> print(with_bindings("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('a" }')}))
    SELECT ?s WHERE { VALUES (?o) { ("a\\" }") }
     ?s ?p ?o }
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not VARIABLE_NAME.fullmatch(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    at = _group_start(sparql)
    # The newline ends the block even if the user's first pattern line is a comment.
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}\n{sparql[at:]}"
