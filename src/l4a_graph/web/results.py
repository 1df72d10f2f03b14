"""Write query results in the W3C formats, row by row, stopping at a row limit.

Oxigraph's own result serializer writes a whole result and cannot stop early, so SELECT
results are written here: SPARQL 1.1 Query Results JSON, XML, CSV and TSV, in the same
shapes Oxigraph produces. Graphs go through Oxigraph's RDF serializers, fed a bounded
iterator. Output is written in chunks as rows come, never built whole.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Final, Protocol, cast

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryTriples,
    Triple,
    serialize,
)

from l4a_graph.formats import by_name
from l4a_graph.namespaces import PREFIXES
from l4a_graph.sparql import Term
from l4a_graph.store.base import QueryResult
from l4a_graph.web.negotiation import by_name as media_format

__all__ = ["Sink", "write_result"]

XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
CHUNK_ROWS: Final = 512
"""Rows gathered before a write: few enough to stream, enough to keep writes cheap."""

_json: Final = json.JSONEncoder(ensure_ascii=False).encode
_XML_ESCAPES: Final = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("\r"): "&#13;",  # a raw CR would come back as LF (XML end-of-line handling)
    # Characters XML 1.0 cannot carry at all become U+FFFD, so the document stays valid.
    **dict.fromkeys((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF), "\ufffd"),
}
_TSV_ESCAPES: Final = {
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}


class Sink(Protocol):
    """Where results go: anything with ``write`` and ``flush`` for bytes."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


def write_result(result: QueryResult, fmt: str, out: Sink, max_rows: int) -> tuple[int, bool]:
    """Write ``result`` to ``out`` in result format ``fmt``; stop after ``max_rows`` rows.

    Parameters
    ----------
    result
        What the store answered.
    fmt
        A :class:`~l4a_graph.web.negotiation.MediaFormat` name that suits the result:
        ``json``, ``xml``, ``csv`` or ``tsv`` for solutions and booleans; ``turtle``,
        ``ntriples``, ``rdfxml`` or ``jsonld`` for triples.
    max_rows
        The row (or triple) limit; 0 for none.

    Returns
    -------
    tuple[int, bool]
        The rows written and whether the result was cut.

    Examples
    --------
    >>> from pyoxigraph import Store
    >>> out = io.BytesIO()
    >>> write_result(Store().query("SELECT ?x { VALUES ?x { 1 2 3 } }"), "csv", out, 2)
    (2, True)
    >>> out.getvalue()
    b'x\\r\\n1\\r\\n2\\r\\n'
    """
    if isinstance(result, QueryBoolean):
        out.write(_BOOLEAN[fmt](bool(result)).encode())
        return 1, False
    if isinstance(result, QueryTriples):
        return _write_triples(result, fmt, out, max_rows)
    names = [v.value for v in result.variables]
    rows = _Bounded(result, max_rows)
    head, row, tail = _TABULAR[fmt](names)
    out.write(head.encode())
    count = 0
    for chunk in _chunks(rows):
        out.write("".join(map(row, chunk)).encode())
        count += len(chunk)
    out.write(tail.encode())
    return count, rows.truncated


class _Bounded(Iterator[tuple[Term | None, ...]]):
    """The first ``limit`` rows of ``rows`` (all if 0); ``truncated`` tells if more were left."""

    def __init__(self, rows: Iterable[Iterable[Term | None]], limit: int) -> None:
        self._rows: Iterator[Iterable[Term | None]] | None = iter(rows)
        self._left = limit or -1
        self.truncated = False

    def __next__(self) -> tuple[Term | None, ...]:
        if self._rows is None:
            raise StopIteration
        if self._left == 0:
            # Looking one row ahead is the only way to know if the result was longer.
            self.truncated = next(self._rows, None) is not None
            self._rows = None
            raise StopIteration
        self._left -= 1
        return tuple(next(self._rows))


def _chunks(rows: Iterator[tuple[Term | None, ...]]) -> Iterator[list[tuple[Term | None, ...]]]:
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk


def _write_triples(result: QueryTriples, fmt: str, out: Sink, max_rows: int) -> tuple[int, bool]:
    counted = 0
    items = iter(result)

    def take() -> Iterator[Triple]:
        nonlocal counted
        for triple in items:
            counted += 1
            yield triple
            if counted == max_rows:
                return

    rdf_name = media_format(fmt).rdf_name
    assert rdf_name is not None
    # Oxigraph only calls ``write`` and ``flush`` on its output.
    serialize(take(), cast(IO[bytes], out), by_name(rdf_name).rdf_format, prefixes=PREFIXES)
    truncated = counted == max_rows and next(items, None) is not None
    return counted, truncated


# -- SPARQL 1.1 Query Results JSON -------------------------------------------------------


def _json_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f'{{"type":"uri","value":{_json(term.value)}}}'
    if isinstance(term, Literal):
        if term.language:
            extra = f',"xml:lang":{_json(term.language)}'
            if term.direction is not None:
                extra += f',"its:dir":{_json(str(term.direction))}'
        elif term.datatype.value != XSD_STRING:
            extra = f',"datatype":{_json(term.datatype.value)}'
        else:
            extra = ""
        return f'{{"type":"literal","value":{_json(term.value)}{extra}}}'
    if isinstance(term, BlankNode):
        return f'{{"type":"bnode","value":{_json(term.value)}}}'
    return (
        f'{{"type":"triple","value":{{"subject":{_json_term(term.subject)},'
        f'"predicate":{_json_term(term.predicate)},"object":{_json_term(term.object)}}}}}'
    )


def _json_table(names: list[str]) -> tuple[str, Callable[[tuple[Term | None, ...]], str], str]:
    keys = [_json(name) + ":" for name in names]
    first = True

    def row(values: tuple[Term | None, ...]) -> str:
        nonlocal first
        body = ",".join(
            k + _json_term(v) for k, v in zip(keys, values, strict=True) if v is not None
        )
        separator = "" if first else ","
        first = False
        return f"{separator}{{{body}}}"

    head = f'{{"head":{{"vars":[{",".join(_json(n) for n in names)}]}},"results":{{"bindings":['
    return head, row, "]}}"


# -- SPARQL Query Results XML ------------------------------------------------------------


def _xml(text: str) -> str:
    return text.translate(_XML_ESCAPES)


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{_xml(term.value)}</uri>"
    if isinstance(term, Literal):
        if term.language:
            attribute = f' xml:lang="{_xml(term.language)}"'
            if term.direction is not None:
                attribute += f' its:dir="{_xml(str(term.direction))}"'
        elif term.datatype.value != XSD_STRING:
            attribute = f' datatype="{_xml(term.datatype.value)}"'
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml(term.value)}</literal>"
    if isinstance(term, BlankNode):
        return f"<bnode>{_xml(term.value)}</bnode>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _xml_table(names: list[str]) -> tuple[str, Callable[[tuple[Term | None, ...]], str], str]:
    opens = [f'<binding name="{_xml(name)}">' for name in names]

    def row(values: tuple[Term | None, ...]) -> str:
        bindings = "".join(
            o + _xml_term(v) + "</binding>"
            for o, v in zip(opens, values, strict=True)
            if v is not None
        )
        return f"<result>{bindings}</result>"

    variables = "".join(f'<variable name="{_xml(name)}"/>' for name in names)
    head = (
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#" '
        f'xmlns:its="http://www.w3.org/2005/11/its"><head>{variables}</head><results>'
    )
    return head, row, "</results></sparql>"


# -- SPARQL 1.1 Query Results CSV and TSV ------------------------------------------------


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Triple):
        return f"{_csv_term(term.subject)} {_csv_term(term.predicate)} {_csv_term(term.object)}"
    return term.value


def _csv_table(names: list[str]) -> tuple[str, Callable[[tuple[Term | None, ...]], str], str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    return line(names), lambda values: line(map(_csv_term, values)), ""


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        text = f'"{term.value.translate(_TSV_ESCAPES)}"'
        if term.language:
            direction = f"--{term.direction}" if term.direction is not None else ""
            return f"{text}@{term.language}{direction}"
        if term.datatype.value != XSD_STRING:
            return f"{text}^^<{term.datatype.value}>"
        return text
    return f"<<( {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} )>>"


def _tsv_table(names: list[str]) -> tuple[str, Callable[[tuple[Term | None, ...]], str], str]:
    head = "\t".join(f"?{name}" for name in names) + "\n"
    return head, lambda values: "\t".join(map(_tsv_term, values)) + "\n", ""


_TABULAR: Final[
    dict[str, Callable[[list[str]], tuple[str, Callable[[tuple[Term | None, ...]], str], str]]]
] = {"json": _json_table, "xml": _xml_table, "csv": _csv_table, "tsv": _tsv_table}

_BOOLEAN: Final[dict[str, Callable[[bool], str]]] = {
    "json": lambda value: f'{{"head":{{}},"boolean":{"true" if value else "false"}}}',
    "xml": lambda value: (
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head></head><boolean>{'true' if value else 'false'}</boolean></sparql>"
    ),
    # W3C defines CSV and TSV for SELECT only; like Oxigraph, ASK gives the bare word.
    "csv": lambda value: "true" if value else "false",
    "tsv": lambda value: "true" if value else "false",
}
