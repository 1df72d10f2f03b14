"""The operations of a SPARQL update that match a pattern, read from its text.

``/update`` needs two things Oxigraph does not offer: the protocol's ``using-graph-uri``
and ``using-named-graph-uri`` (its ``Store.update`` takes no dataset), and the WHERE
clauses of an update, to count their solutions on a query worker before the update runs
(the preflight of :mod:`l4a_graph.web.update`). Oxigraph offers no syntax tree either, so
:func:`read_update` cuts the text with the lexer of :mod:`~l4a_graph.web.safety`, which
matches Oxigraph's own terminals (a brace inside a string, an IRI or a comment is not
one), and reads the top level of each operation: the words and graph names outside
braces, and the ``{...}`` groups.

The reading is strict, because an operation it missed would escape the preflight.
Oxigraph matches keywords without a word boundary (``DELETEWHERE{...}`` is an update to
it), so anything at the top level that is not where the grammar puts it, written plainly,
is refused rather than guessed at.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

from l4a_graph.errors import QueryError
from l4a_graph.web.safety import Token, tokens

__all__ = ["Group", "Matching", "Using", "count_query", "read_update", "with_dataset"]

_NO_PATTERN: Final = frozenset({"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"})
"""Operations without a WHERE clause: their work is bounded by the store's graphs."""


@dataclass(frozen=True)
class Group:
    """A ``{...}`` group at the top level of an update: its offsets, braces included."""

    start: int
    end: int


_Item: TypeAlias = Token | Group


@dataclass(frozen=True)
class Using:
    """A USING (or, if ``named``, USING NAMED) clause; ``graph`` as written."""

    named: bool
    graph: str


@dataclass(frozen=True)
class Matching:
    """An operation that matches a pattern: ``DELETE``/``INSERT ... WHERE`` or ``DELETE WHERE``."""

    prologue: str
    """The BASE and PREFIX declarations in force, as written, on one line."""
    with_graph: str | None
    """The graph of its WITH clause, as written."""
    using: tuple[Using, ...]
    where: int
    """Where its WHERE keyword starts in the update."""
    pattern: Group
    shortcut: bool
    """``DELETE WHERE {...}``, whose pattern is its template too."""

    @property
    def has_dataset(self) -> bool:
        """Whether it chooses its graphs itself (WITH, USING or USING NAMED)."""
        return self.with_graph is not None or bool(self.using)


def read_update(update: str) -> list[Matching]:
    """The operations of ``update`` that match a pattern, in order.

    Raises
    ------
    QueryError
        If an operation cannot be read: a brace left open, or a word that is not where
        the grammar puts it (a keyword glued to the next word, for instance).

    Examples
    --------
    >>> [m.shortcut for m in read_update("INSERT DATA { <urn:a> <urn:b> 1 } ; "
    ...  "PREFIX ex: <urn:ex:> DELETE { ?s ex:p ?o } WHERE { ?s ex:p ?o } ; "
    ...  "DELETE WHERE { ?s ex:q ?o } ; DROP SILENT GRAPH ex:g")]
    [False, True]
    >>> read_update("DELETEWHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    l4a_graph.errors.QueryError: cannot read the update at line 1, column 1: expected an ...
    """
    found = []
    prologue: list[str] = []
    for items in _operations(update):
        rest = _take_prologue(update, items, prologue)
        matching = _read(update, rest, " ".join(prologue))
        if matching is not None:
            found.append(matching)
    return found


def with_dataset(
    update: str, operations: Sequence[Matching], default: Sequence[str], named: Sequence[str]
) -> str:
    """``update`` with the protocol's dataset written in as USING and USING NAMED clauses.

    Every operation that matches a pattern gets them; ``DELETE WHERE {P}``, which takes
    none, becomes its long form ``DELETE {P} USING ... WHERE {P}``.

    Parameters
    ----------
    operations
        What :func:`read_update` read of ``update``.
    default, named
        The IRIs of ``using-graph-uri`` and of ``using-named-graph-uri``.

    Raises
    ------
    QueryError
        If an operation has a dataset of its own (the protocol forbids both), or an IRI
        is not absolute or cannot be written between ``<`` and ``>``.

    Examples
    --------
    >>> update = "DELETE WHERE { ?s ?p 1 }"
    >>> with_dataset(update, read_update(update), ["urn:g"], [])
    'DELETE { ?s ?p 1 } USING <urn:g> WHERE { ?s ?p 1 }'
    """
    clauses = " ".join(
        [*(f"USING {_iri(g)}" for g in default), *(f"USING NAMED {_iri(g)}" for g in named)]
    )
    for operation in operations:
        if operation.has_dataset:
            raise QueryError(
                "give the dataset either in the update (USING, USING NAMED, WITH) or as "
                "using-graph-uri and using-named-graph-uri, not both"
            )
    for operation in reversed(operations):  # from the end: the offsets before stay right
        inserted = clauses
        if operation.shortcut:
            inserted = f"{update[operation.pattern.start : operation.pattern.end]} {clauses}"
        update = f"{update[: operation.where]}{inserted} {update[operation.where :]}"
    return update


def count_query(update: str, operation: Matching, named_graphs: Iterable[str]) -> str:
    """A query counting the solutions of ``operation``'s WHERE clause, as ``?n``.

    Run it on the dataset an update sees (``as_update`` of
    :meth:`l4a_graph.store.EmbeddedStore.query`): USING becomes FROM and USING NAMED
    FROM NAMED (in Oxigraph, measured, the same dataset); WITH ``<g>`` keeps every named
    graph visible where FROM ``<g>`` alone would hide them, so ``named_graphs``, the
    store's, are listed. The pattern keeps its line and column in the update (when it
    does not start on the first line), so a syntax error is reported where it was written.

    Examples
    --------
    >>> update = "PREFIX ex: <urn:ex:>\\nWITH ex:g DELETE { ?s ?p 1 }\\nWHERE { ?s ?p 1 }"
    >>> print(count_query(update, read_update(update)[0], ["urn:a"]))
    PREFIX ex: <urn:ex:> SELECT (COUNT(*) AS ?n) FROM ex:g FROM NAMED <urn:a> WHERE
    <BLANKLINE>
          { ?s ?p 1 }
    """
    if operation.using:
        dataset = [("FROM NAMED " if u.named else "FROM ") + u.graph for u in operation.using]
    elif operation.with_graph is not None:
        listed = (f"FROM NAMED {_iri(g)}" for g in sorted(named_graphs))
        dataset = [f"FROM {operation.with_graph}", *listed]
    else:
        dataset = []
    head = " ".join(filter(None, [operation.prologue, "SELECT (COUNT(*) AS ?n)", *dataset]))
    start = operation.pattern.start
    line = update.count("\n", 0, start)
    column = start - (update.rfind("\n", 0, start) + 1)
    padding = "\n" * line + " " * column if line else " "
    return f"{head} WHERE{padding}{update[start : operation.pattern.end]}"


def _operations(update: str) -> Iterator[list[_Item]]:
    """The top-level items of each operation of ``update``: tokens, and groups whole."""
    items: list[_Item] = []
    depth = opened = 0
    for token in tokens(update):
        if token.text == "{":
            opened = token.offset if depth == 0 else opened
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth < 0:
                raise _unreadable(update, token, "this '}' closes nothing")
            if depth == 0:
                items.append(Group(opened, token.offset + 1))
        elif depth > 0:
            continue
        elif token.text == ";":
            yield items
            items = []
        else:
            items.append(token)
    if depth > 0:
        raise _unreadable(update, Group(opened, opened + 1), "this '{' is never closed")
    yield items


def _take_prologue(update: str, items: list[_Item], prologue: list[str]) -> list[_Item]:
    """Add the BASE and PREFIX declarations that open ``items`` to ``prologue``; the rest."""
    at = 0
    while _word(items, at) in ("BASE", "PREFIX"):
        kinds = ["word", "iri"] if _word(items, at) == "BASE" else ["word", "pname", "iri"]
        declaration = [t for t in items[at : at + len(kinds)] if isinstance(t, Token)]
        prefix = declaration[1].text if len(declaration) == 3 else ":"
        if [t.kind for t in declaration] != kinds or not prefix.endswith(":"):
            raise _unreadable(update, items[at], "expected BASE <iri> or PREFIX p: <iri>")
        prologue.append(" ".join(t.text for t in declaration))
        at += len(kinds)
    return items[at:]


def _read(update: str, items: list[_Item], prologue: str) -> Matching | None:
    """The operation of ``items`` if it matches a pattern; None for the others."""
    first = _word(items, 0)
    if not items or (first in _NO_PATTERN and not any(isinstance(i, Group) for i in items)):
        return None
    second = _word(items, 1)
    if first in ("INSERT", "DELETE") and second in ("DATA", "WHERE"):
        pattern = items[2] if len(items) == 3 else None
        if not isinstance(pattern, Group):
            raise _unreadable(update, items[0], f"{first} {second} takes one {{...}} and ends")
        if second == "DATA":
            return None
        return Matching(prologue, None, (), _start(items[1]), pattern, shortcut=True)
    return _modify(update, items, prologue)


def _modify(update: str, items: list[_Item], prologue: str) -> Matching:
    """``[WITH g] DELETE {...} [INSERT {...}] | INSERT {...}``, ``USING``s, ``WHERE {...}``."""
    at = 0
    with_graph = None
    if _word(items, 0) == "WITH":
        with_graph = _graph(update, items, 1)
        at = 2
    templates = at
    for keyword in ("DELETE", "INSERT"):
        if _word(items, at) == keyword and isinstance(_get(items, at + 1), Group):
            at += 2
    if at == templates:
        raise _unreadable(update, _get(items, at), "expected an operation (INSERT, DELETE...)")
    using = []
    while _word(items, at) == "USING":
        named = _word(items, at + 1) == "NAMED"
        at += 2 if named else 1
        using.append(Using(named, _graph(update, items, at)))
        at += 1
    pattern = _get(items, at + 1)
    if _word(items, at) != "WHERE" or not isinstance(pattern, Group) or at + 2 != len(items):
        raise _unreadable(update, _get(items, at), "expected USING or WHERE {...}, then ';'")
    return Matching(prologue, with_graph, tuple(using), _start(items[at]), pattern, False)


def _graph(update: str, items: list[_Item], at: int) -> str:
    """The graph name at ``items[at]``: an IRI, or a prefixed name Oxigraph reads alike.

    ``USING NAMEDex:g`` is USING NAMED ``ex:g`` to Oxigraph, a prefix ``NAMEDex:`` to the
    lexer: such a prefix is refused.
    """
    item = _get(items, at)
    if isinstance(item, Token) and (
        item.kind == "iri" or (item.kind == "pname" and not item.text.upper().startswith("NAMED"))
    ):
        return item.text
    raise _unreadable(update, item, "expected a graph name: <iri> or prefix:name")


def _get(items: list[_Item], at: int) -> _Item | None:
    return items[at] if at < len(items) else None


def _word(items: list[_Item], at: int) -> str | None:
    """The word at ``items[at]`` in upper case, if it is one."""
    item = _get(items, at)
    return item.text.upper() if isinstance(item, Token) and item.kind == "word" else None


def _start(item: _Item) -> int:
    return item.offset if isinstance(item, Token) else item.start


def _unreadable(update: str, item: _Item | None, problem: str) -> QueryError:
    if item is None:
        where = "its end"
    else:
        offset = _start(item)
        line = update.count("\n", 0, offset) + 1
        column = offset - (update.rfind("\n", 0, offset) + 1) + 1
        where = f"line {line}, column {column}"
    return QueryError(
        f"cannot read the update at {where}: {problem} (write each operation plainly, "
        "keywords apart, operations separated by ';')"
    )


def _iri(iri: str) -> str:
    """``iri`` written between ``<`` and ``>``, once sure it stays one absolute IRI there.

    Examples
    --------
    >>> _iri("urn:g")
    '<urn:g>'
    >>> _iri("urn:g> } ; DROP ALL ; INSERT DATA { <urn:x")
    Traceback (most recent call last):
    ...
    l4a_graph.errors.QueryError: 'urn:g> } ; DROP ALL ; INSERT DATA { <urn:x' is not an absolute IRI
    """
    written = f"<{iri}>"
    lexed = [(t.kind, t.text) for t in tokens(written)]
    if "\\" in iri or lexed != [("iri", written)] or not urllib.parse.urlsplit(iri).scheme:
        raise QueryError(f"{iri!r} is not an absolute IRI")
    return written
