"""What a SPARQL text would make the server fetch, found without running it.

Oxigraph runs ``SERVICE`` and ``LOAD`` as outbound HTTP requests, and offers no syntax
tree to inspect first. So this module lexes the text with Oxigraph's own terminals
(strings, IRIs, comments, variables, prefixed names) and looks at what is left.

Oxigraph matches keywords case-insensitively *without a word boundary*: measured,
``SERVICEex:x {...}``, ``SERVICESILENT<...>``, ``LOADex:x`` and ``?s ?p trueSERVICE<...>``
all fetch. A keyword can therefore start in the middle of what looks like one word, so
the check is deliberately coarse: any bare word, any prefix of a prefixed name and any
language tag that *contains* ``service`` (or ``load``, in updates) counts as a fetch.
No SPARQL keyword or function name contains either, so valid queries are only refused
for a prefix named like ``service:`` (rename it). Strings, IRIs, comments, variables and
the local part of prefixed names are matched greedily by both lexers, so a keyword
inside them cannot be read as one by Oxigraph; the tests check the tricky cases against
Oxigraph itself with a listening socket.

The same lexer finds the query's FROM and FROM NAMED graphs, which the store must be
given explicitly (see :func:`dataset_clause`).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Final

from l4a_graph.errors import QueryError
from l4a_graph.namespaces import PREFIXES

__all__ = [
    "MAX_NESTING",
    "MAX_PATH_STEPS",
    "MAX_TERMS",
    "Token",
    "check_complexity",
    "check_fetches",
    "dataset_clause",
    "tokens",
]

_BASE_CHARS: Final = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS: Final = _BASE_CHARS + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX: Final = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX: Final = rf"[{_BASE_CHARS}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL: Final = rf"(?:[{_CHARS}:]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_UCHAR: Final = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

_TOKEN: Final = re.compile(
    rf"""
    (?P<space>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
      | '''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
      | "(?:[^"\\\r\n]|\\.)*"
      | '(?:[^'\\\r\n]|\\.)*')
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<variable>[?$][{_CHARS}]+)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[{_CHARS}]+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FETCHING: Final = {
    False: re.compile("service", re.IGNORECASE | re.ASCII),
    True: re.compile("service|load", re.IGNORECASE | re.ASCII),
}
"""What counts as a fetching keyword in a query (False) and in an update (True)."""
_FROM: Final = re.compile("from", re.IGNORECASE | re.ASCII)
MAX_NESTING: Final = 100
"""Deepest nesting of brackets (``{ ( [`` and ``<<``) a query or update may have."""
MAX_TERMS: Final = 5000
"""Most tokens a query or update may have outside its VALUES and DATA blocks."""
MAX_PATH_STEPS: Final = 200
"""Most ``/`` and ``^`` (property path steps, or divisions) a query or update may have."""
_OPENING: Final = frozenset("{([")
_CLOSING: Final = frozenset("})]")
_PLX_ESCAPE: Final = re.compile(r"\\(.)")
_UCHAR_ESCAPE: Final = re.compile(_UCHAR)


@dataclass(frozen=True)
class Token:
    """A lexical token: its kind (a group name of the lexer), its text and its offset."""

    kind: str
    text: str
    offset: int


def tokens(sparql: str) -> Iterator[Token]:
    """The tokens of ``sparql`` as Oxigraph's parser cuts them; spaces and comments left out.

    Examples
    --------
    >>> [t.kind for t in tokens('ASK { ?s ex:p "SERVICE" } # LOAD')]
    ['word', 'other', 'variable', 'pname', 'string', 'other']
    """
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())


def _line_column(sparql: str, offset: int) -> str:
    line = sparql.count("\n", 0, offset) + 1
    column = offset - (sparql.rfind("\n", 0, offset) + 1) + 1
    return f"{line}, column {column}"


def _suspect(token: Token, update: bool) -> bool:
    """Whether Oxigraph could read a fetching keyword somewhere in ``token``."""
    if token.kind == "pname":
        text = token.text.split(":", 1)[0]
    elif token.kind in ("word", "langtag"):
        text = token.text
    else:
        return False
    return _FETCHING[update].search(text) is not None


class _Prologue:
    """The BASE and PREFIX declarations seen so far, to resolve IRIs as Oxigraph does."""

    def __init__(self) -> None:
        self.base: str | None = None
        self.prefixes: dict[str, str] = dict(PREFIXES)

    def resolve(self, token: Token) -> str | None:
        """The absolute IRI ``token`` (an IRI or prefixed name) stands for, or None."""
        if token.kind == "iri":
            iri = _UCHAR_ESCAPE.sub(lambda m: chr(int(m.group()[2:], 16)), token.text[1:-1])
            if self.base is not None:
                iri = urllib.parse.urljoin(self.base, iri)
            return iri if urllib.parse.urlsplit(iri).scheme else None
        if token.kind == "pname":
            prefix, local = token.text.split(":", 1)
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + _PLX_ESCAPE.sub(r"\1", local)
        return None

    def declare(self, window: list[Token]) -> None:
        """Record ``BASE <iri>`` or ``PREFIX p: <iri>`` if ``window`` ends with one."""
        words = [t.text.upper() for t in window]
        if len(window) >= 3 and words[-3] == "PREFIX" and window[-2].text.endswith(":"):
            namespace = self.resolve(window[-1])
            if namespace is not None:
                self.prefixes[window[-2].text[:-1]] = namespace
        elif len(window) >= 2 and words[-2] == "BASE":
            self.base = self.resolve(window[-1])


def check_fetches(sparql: str, allowed: Collection[str] = (), *, update: bool = False) -> None:
    """Refuse ``sparql`` if it could make the server fetch a URL not in ``allowed``.

    Parameters
    ----------
    sparql
        A query, or an update when ``update`` is true (then LOAD counts too).
    allowed
        Endpoint IRIs the operator allows. A fetch to one of them must be written plainly:
        ``SERVICE [SILENT] <iri>`` or ``LOAD [SILENT] <iri>`` (or a prefixed name).

    Raises
    ------
    QueryError
        Naming the keyword and where it is.

    Examples
    --------
    >>> check_fetches('SELECT * { ?s ?p "SERVICE <http://x/> {}" }')
    >>> check_fetches("SELECT * { SERVICE <http://127.0.0.1/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    l4a_graph.errors.QueryError: SERVICE at line 1, column 12: this server does not fetch URLs ...
    >>> allowed = ["http://a.example/q"]
    >>> check_fetches("SELECT * { SERVICE <http://a.example/q> { ?s ?p ?o } }", allowed)
    """
    if not _FETCHING[update].search(sparql):
        # Oxigraph reads keywords letter by letter from the text (it applies no escapes
        # to them), so without these letters in a row there is nothing to fetch.
        return
    prologue = _Prologue()
    window: list[Token] = []
    stream = tokens(sparql)
    for token in stream:
        window = [*window[-2:], token]
        if token.kind == "iri":
            prologue.declare(window)
        if not _suspect(token, update):
            continue
        keyword = token.text.upper()
        where = f"line {_line_column(sparql, token.offset)}"
        if token.kind != "word" or keyword not in ("SERVICE", "LOAD"):
            raise QueryError(
                f"{token.text!r} at {where}: the SPARQL engine may read SERVICE or LOAD "
                "inside it and fetch a URL; rename it or put a space after the keyword"
            )
        if not allowed:
            raise QueryError(
                f"{keyword} at {where}: this server does not fetch URLs "
                "(SERVICE and LOAD are disabled)"
            )
        target = next(stream, None)
        if target is not None and target.text.upper() == "SILENT":
            target = next(stream, None)
        iri = prologue.resolve(target) if target is not None else None
        if iri is None or iri not in allowed:
            shown = f"<{iri}>" if iri else "a variable or unknown IRI"
            raise QueryError(
                f"{keyword} at {where}: {shown} is not an endpoint this server may reach; "
                f"allowed: {', '.join(sorted(allowed))}"
            )


def check_complexity(sparql: str, *, update: bool = False) -> None:
    """Refuse ``sparql`` if it is too deep for the SPARQL engine to parse and plan.

    Oxigraph parses and plans recursively, with no depth limit: measured on an 8 MiB
    stack, its process dies (SIGSEGV) on about 740 property path steps ``a/a/a...``,
    2,500 ``MINUS {}`` or ``BIND`` in a row, 6,500 ``UNION`` or ``+`` in a chain, and
    10,000 nested brackets; nested collections and blank nodes take cubic time. A query
    worker that dies answers 503 and must restart, and an update runs in the server
    process. So, before anything reaches the engine: at most :data:`MAX_NESTING` levels
    of brackets, :data:`MAX_TERMS` tokens outside the data blocks (``VALUES`` and
    ``INSERT DATA``/``DELETE DATA``, flat lists the engine reads in a loop) and
    :data:`MAX_PATH_STEPS` ``/`` or ``^``. The query library stays under 7 levels,
    400 tokens and 20 steps.

    Raises
    ------
    QueryError
        Naming the limit and, for nesting, where it was passed.

    Examples
    --------
    >>> check_complexity("SELECT * { VALUES ?x { 1 2 3 } ?x ?p ?o }")
    >>> check_complexity("SELECT * WHERE " + "{" * 101 + "}" * 101)
    Traceback (most recent call last):
    ...
    l4a_graph.errors.QueryError: the query nests brackets more than 100 deep (line 1, column 116)...
    """
    what = "update" if update else "query"
    depth = terms = steps = 0
    data_depth: int | None = None  # the depth of the VALUES or DATA block we are in
    data_next = False  # VALUES or DATA seen: the next "{" opens a data block
    for token in tokens(sparql):
        text, offset = token.text, token.offset
        before, after = sparql[offset - 1 : offset], sparql[offset + 1 : offset + 2]
        if token.kind == "word" and text.upper() in ("VALUES", "DATA") and data_depth is None:
            data_next = True
        if text in _OPENING or (text == "<" and before == "<"):
            depth += 1
            if depth > MAX_NESTING:
                raise QueryError(
                    f"the {what} nests brackets more than {MAX_NESTING} deep (line "
                    f"{_line_column(sparql, offset)}); the SPARQL engine cannot take that"
                )
            if text == "{" and data_next:
                data_depth, data_next = depth, False
        elif text in _CLOSING or (text == ">" and before == ">"):
            if data_depth is not None and depth == data_depth and text == "}":
                data_depth = None
            depth = max(depth - 1, 0)
        if data_depth is not None:
            continue
        terms += 1
        if text == "/" or (text == "^" and "^" not in (before, after)):  # not "^^" of a literal
            steps += 1
        if terms > MAX_TERMS:
            raise QueryError(
                f"the {what} has more than {MAX_TERMS} tokens outside VALUES and DATA "
                "blocks, more than the SPARQL engine can plan; split it, or give long "
                "lists of values in a VALUES block"
            )
        if steps > MAX_PATH_STEPS:
            raise QueryError(
                f"the {what} has more than {MAX_PATH_STEPS} property path steps or "
                "divisions (/ and ^); the SPARQL engine cannot take that many"
            )


def dataset_clause(sparql: str) -> tuple[list[str], list[str]] | None:
    """The graphs of the query's ``FROM`` and ``FROM NAMED`` clauses, if it has any.

    The store queries the union of all graphs by default, and Oxigraph then ignores
    FROM: the endpoint passes these graphs as the query's dataset instead, which gives
    the meaning SPARQL defines (FROM NAMED alone leaves the default graph empty).

    Returns
    -------
    tuple[list[str], list[str]] | None
        ``(default_graph, named_graphs)``, or None without a dataset clause or when an
        IRI cannot be resolved (the query is then left to the parser, which reports it).

    Examples
    --------
    >>> dataset_clause("SELECT * FROM <urn:a> FROM NAMED hub:x WHERE { ?s ?p ?o }")
    (['urn:a'], ['https://w3id.org/l4a/id/hub/x'])
    >>> dataset_clause("SELECT * WHERE { ?s ?p 'FROM <urn:a>' }") is None
    True
    """
    if not _FROM.search(sparql):
        return None
    prologue = _Prologue()
    default: list[str] = []
    named: list[str] = []
    window: list[Token] = []
    stream = tokens(sparql)
    for token in stream:
        window = [*window[-2:], token]
        if token.kind == "iri":
            prologue.declare(window)
        if token.kind != "word" or token.text.upper() != "FROM":
            continue
        target = next(stream, None)
        into = default
        if target is not None and target.text.upper() == "NAMED":
            target, into = next(stream, None), named
        iri = prologue.resolve(target) if target is not None else None
        if iri is None:
            return None
        into.append(iri)
    return (default, named) if default or named else None
