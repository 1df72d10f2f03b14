"""Writing query results for people (a text table) and for programs (CSV, TSV, JSON, RDF)."""

from __future__ import annotations

import io
from typing import IO, Final

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
)

from l4a_graph.errors import InputError
from l4a_graph.formats import FORMAT_NAMES, by_name
from l4a_graph.namespaces import PREFIXES
from l4a_graph.sparql import Term
from l4a_graph.store.base import QueryResult

TABULAR: Final[dict[str, QueryResultsFormat]] = {
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
}
OUTPUT_FORMATS: Final = ("table", "csv", "tsv", "json", *(n for n in FORMAT_NAMES if n != "json"))
"""Every ``--format`` of ``l4a query``: tables for SELECT/ASK, RDF for CONSTRUCT/DESCRIBE."""


def short(term: Term | None) -> str:
    """A compact, readable form of ``term``: prefixed IRIs, literals with their language.

    Examples
    --------
    >>> short(NamedNode("https://w3id.org/l4a/def#Hub"))
    'l4a:Hub'
    >>> short(Literal("Bilbao", language="es"))
    'Bilbao@es'
    """
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        # The longest matching namespace gives the most specific prefix.
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            local = term.value[len(ns) :]
            if term.value.startswith(ns) and local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return str(term)


def table(header: list[str], rows: list[list[str]]) -> str:
    """Render ``rows`` under ``header`` as an aligned text table.

    Examples
    --------
    >>> print(table(["n", "name"], [["1", "Xi'an"]]))
    n  name
    -  -----
    1  Xi'an
    """
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def write_result(result: QueryResult, fmt: str, out: IO[bytes]) -> None:
    """Write ``result`` to ``out`` in ``fmt`` (one of :data:`OUTPUT_FORMATS`).

    Raises
    ------
    InputError
        If ``fmt`` does not suit the query form (e.g. Turtle for a SELECT).
    """
    if isinstance(result, QueryTriples):
        if fmt == "table":
            rows = [[short(t.subject), short(t.predicate), short(t.object)] for t in result]
            out.write((table(["subject", "predicate", "object"], rows) + "\n").encode())
        else:
            result.serialize(out, format=by_name("jsonld" if fmt == "json" else fmt).rdf_format)
        return
    if fmt == "table":
        out.write((_table_text(result) + "\n").encode())
    elif fmt in TABULAR:
        result.serialize(out, format=TABULAR[fmt])
    else:
        raise InputError(f"--format {fmt} is for CONSTRUCT/DESCRIBE; use table, csv, tsv or json")


def _table_text(result: QuerySolutions | QueryBoolean) -> str:
    if isinstance(result, QueryBoolean):
        return "true" if bool(result) else "false"
    header = [v.value for v in result.variables]
    rows = [[short(solution[name]) for name in header] for solution in result]
    return table(header, rows) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


def result_text(result: QueryResult, fmt: str = "table") -> str:
    """``result`` written in ``fmt`` as a string (for tests and small outputs)."""
    buffer = io.BytesIO()
    write_result(result, fmt, buffer)
    return buffer.getvalue().decode()
