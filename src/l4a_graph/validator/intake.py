"""Reading a submission safely: size, encoding, syntax, JSON-LD contexts, XML entities.

Whatever is wrong with the input ends as one :class:`~l4a_graph.errors.InputError` whose
message names the file and, when the parser knows it, the line and column; never as a
traceback. Nothing is fetched from the network while reading.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pyoxigraph import BlankNode, NamedNode, Quad, Triple, parse

from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError
from l4a_graph.formats import Format, by_name, for_path
from l4a_graph.validator.jsonld import resolve_contexts

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BLANK_NODES",
    "MAX_JSON_DEPTH",
    "MAX_TRIPLES",
    "SUBMISSION_FORMATS",
    "Submission",
    "one_line",
    "parse_submission",
    "prepare_source",
    "read_submission",
]

DEFAULT_MAX_BYTES: Final = 2 * 1024 * 1024
"""Largest submission accepted, in bytes; a HUB description is a few kilobytes."""

MAX_JSON_DEPTH: Final = 100
"""Deepest nesting of JSON arrays and objects read; a HUB in JSON-LD nests about 6 deep.

Oxigraph's JSON-LD parser recurses: its process dies (SIGSEGV) at about 5,000 levels."""

MAX_TRIPLES: Final = 2000
"""Most statements a submission may hold; the example HUB has 62."""
MAX_BLANK_NODES: Final = 200
"""Most blank nodes a submission may hold (each item of an RDF list is one)."""

SUBMISSION_FORMATS: Final = ("ttl", "jsonld", "nt", "xml")
"""A submission is one graph: the formats with named graphs (TriG, N-Quads) are refused."""

_RDF_TYPE: Final = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_HUB: Final = NamedNode(ns.L4A + "Hub")
_BOMS: Final = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
_INVISIBLE: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories escaped in messages: controls, format (bidi, zero-width), lines."""
_POSITION: Final = re.compile(r"^Parser error at line \d+ (?:between )?columns? [\d and]+: ")


@dataclass(frozen=True)
class Submission:
    """One parsed submission: its bytes as received and the triples they hold.

    Parameters
    ----------
    name
        Where it came from: a file name, or a label the web form gives.
    data
        The bytes as received; their SHA-256 is recorded with the stored version.
    fmt
        The RDF format it was read as.
    quads
        Its triples, all in the default graph.
    """

    name: str
    data: bytes = field(repr=False)
    fmt: Format
    quads: tuple[Quad, ...] = field(repr=False)

    @property
    def sha256(self) -> str:
        """The SHA-256 digest of :attr:`data`, 64 lower-case hexadecimal characters."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def hubs(self) -> list[NamedNode]:
        """The IRIs typed ``l4a:Hub`` (a valid submission has exactly one)."""
        found = {
            q.subject
            for q in self.quads
            if q.predicate == _RDF_TYPE and q.object == _HUB and isinstance(q.subject, NamedNode)
        }
        return sorted(found, key=lambda node: node.value)


def read_submission(
    path: Path, *, fmt: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Submission:
    """Read and parse the submission in ``path`` (format from its extension unless ``fmt``).

    Raises
    ------
    InputError
        If the file is missing, too large, empty, not UTF-8 or not well-formed.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    size = path.stat().st_size
    _check_size(str(path), size, max_bytes)
    # Read one byte more than allowed: a file that grew since stat() is still caught.
    with path.open("rb") as stream:
        data = stream.read(max_bytes + 1)
    return parse_submission(
        data, by_name(fmt) if fmt else for_path(path), name=str(path), max_bytes=max_bytes
    )


def parse_submission(
    data: bytes, fmt: Format, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> Submission:
    """Parse ``data`` (the bytes of a submission in ``fmt``) into a :class:`Submission`.

    Raises
    ------
    InputError
        If ``data`` is too large, empty, not UTF-8 or not well-formed, or if it refers to
        a remote JSON-LD context or to external XML entities.

    Examples
    --------
    >>> from l4a_graph.formats import by_name
    >>> s = parse_submission(b"<https://w3id.org/l4a/id/hub/x> a <https://w3id.org/l4a/def#Hub> .",
    ...                      by_name("ttl"), name="x.ttl")
    >>> [hub.value for hub in s.hubs]
    ['https://w3id.org/l4a/id/hub/x']
    >>> parse_submission(b"<a> <b> .", by_name("ttl"), name="x.ttl")
    Traceback (most recent call last):
    ...
    l4a_graph.errors.InputError: x.ttl:1:1: syntax error: No scheme found in an absolute IRI
    """
    _check_size(name, len(data), max_bytes)
    if fmt.name not in SUBMISSION_FORMATS:
        raise InputError(
            f"{name}: a submission is one graph, not a dataset: use Turtle, JSON-LD, "
            f"N-Triples or RDF/XML, not {fmt.name}"
        )
    text = _decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    source, exact_positions = prepare_source(text, fmt, name, max_bytes)
    quads = _parse(source, fmt, name, exact_positions)
    if not quads:
        raise InputError(f"{name}: the file holds no RDF statement")
    _check_shape(quads, name)
    if any(isinstance(q.subject, Triple) or isinstance(q.object, Triple) for q in quads):
        raise InputError(
            f"{name}: RDF 1.2 triple terms (<<( )>>, << >>, {{| |}}) are not accepted in a "
            "submission; state the facts as plain triples"
        )
    return Submission(name, data, fmt, quads)


def one_line(text: str) -> str:
    """``text`` with line breaks and other invisible characters escaped (``\\n``,
    ``\\u202e``...), so that a message stays on one line and shows what it quotes.

    Examples
    --------
    >>> one_line("Invalid IRI code point '\\n'")
    "Invalid IRI code point '\\\\n'"
    """
    return "".join(ascii(c)[1:-1] if unicodedata.category(c) in _INVISIBLE else c for c in text)


def _check_shape(quads: tuple[Quad, ...], name: str) -> None:
    """Refuse more statements or blank nodes than a HUB needs, which validation would
    take minutes over (pyshacl's reports grow quadratically with long lists and with
    many findings: measured, 2,000 deliverables in error 110 s, a 1,000-item list 9 s)."""
    if len(quads) > MAX_TRIPLES:
        raise InputError(
            f"{name}: {len(quads)} statements, more than the {MAX_TRIPLES} a submission may "
            "hold (a HUB takes a few hundred)"
        )
    blank = {t for q in quads for t in (q.subject, q.object) if isinstance(t, BlankNode)}
    if len(blank) > MAX_BLANK_NODES:
        raise InputError(
            f"{name}: {len(blank)} blank nodes, more than the {MAX_BLANK_NODES} a submission "
            "may hold: give the HUB's parts IRIs (long RDF lists are blank nodes too)"
        )


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(
            f"{name}: {size} bytes, over the limit of {max_bytes} bytes for a submission "
            "(--max-bytes or L4A_MAX_SUBMISSION_BYTES)"
        )


def _decode(data: bytes, name: str) -> str:
    """The text of ``data``, which must be UTF-8 (a UTF-8 byte-order mark is allowed)."""
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            raise InputError(f"{name}: the file is {encoding} text: save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            f"{name}:{line}:{column}: not UTF-8 text (byte 0x{data[error.start]:02x}, "
            "as written by Latin-1 or Windows-1252 editors): save the file as UTF-8"
        ) from error


def prepare_source(text: str, fmt: Format, name: str, max_bytes: int) -> tuple[str, bool]:
    """Format-specific checks before parsing; the text to parse and whether its
    line and column numbers are still those of the file.

    JSON-LD: well-formed, at most :data:`MAX_JSON_DEPTH` deep, no remote context (the
    project's is inlined); RDF/XML: no external DTD or entity, no expansion beyond
    ``max_bytes``. The graph store protocol (``/data``) reads bodies through it too.

    Raises
    ------
    InputError
        Saying what is refused, prefixed with ``name``.
    """
    if fmt.name == "jsonld":
        return _prepare_jsonld(text, name)
    if fmt.name == "xml":
        _check_xml_entities(text, name, max_bytes)
    return text, True


def _prepare_jsonld(text: str, name: str) -> tuple[str, bool]:
    """Check the JSON and inline the project's context; refuse remote contexts."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{name}:{error.lineno}:{error.colno}: JSON syntax error: {error.msg}"
        ) from error
    except RecursionError as error:
        raise InputError(
            f"{name}: the JSON is nested more than {MAX_JSON_DEPTH} levels deep"
        ) from error
    if _depth(document) > MAX_JSON_DEPTH:
        raise InputError(f"{name}: the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
    document, changed = resolve_contexts(document, name)
    return (json.dumps(document), False) if changed else (text, True)


def _depth(document: object) -> int:
    """How deep arrays and objects nest in ``document`` (counted without recursion)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Iterable[object] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        if level <= MAX_JSON_DEPTH:
            stack.extend((child, level + 1) for child in children)
    return deepest


_DOCTYPE: Final = re.compile(r"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)
_EXTERNAL_DTD: Final = re.compile(r"<!DOCTYPE\s+\S+\s+(SYSTEM|PUBLIC)\b", re.IGNORECASE)
_ENTITY: Final = re.compile(
    r"<!ENTITY\s+(%\s*)?(\S+)\s+(?:(SYSTEM|PUBLIC)\b|\"([^\"]*)\"|'([^']*)')", re.IGNORECASE
)


def _check_xml_entities(text: str, name: str, max_bytes: int) -> None:
    """Refuse external entities and DTDs, and entity expansion beyond the size limit.

    External entities would read local files or the network; nested or repeated
    internal entities can expand a small file into gigabytes ("billion laughs").
    Plain internal entities, common in RDF/XML written by ontology editors, are kept.
    """
    doctype = _DOCTYPE.search(text)
    if doctype is None:
        return
    if _EXTERNAL_DTD.match(doctype.group(0)):
        raise InputError(f"{name}: RDF/XML with an external DTD is refused")
    expanded = 0
    for match in _ENTITY.finditer(doctype.group(0)):
        percent, entity, external, double, single = match.groups()
        if external or percent:
            raise InputError(
                f"{name}: RDF/XML with external or parameter entities is refused "
                f"(<!ENTITY {'% ' if percent else ''}{entity} ...>)"
            )
        value = double if double is not None else single
        if "&" in value:
            raise InputError(
                f"{name}: RDF/XML with nested entities is refused (<!ENTITY {entity} ...>)"
            )
        expanded += len(value) * text.count(f"&{entity};")
    if expanded > max_bytes:
        raise InputError(
            f"{name}: RDF/XML whose entities expand to {expanded} bytes is refused "
            f"(limit {max_bytes})"
        )


def _parse(source: str, fmt: Format, name: str, exact_positions: bool) -> tuple[Quad, ...]:
    """The quads of ``source``; a syntax error names the line and column when known."""
    try:
        # No base IRI: a relative IRI is an error, since a submission must use full IRIs.
        return tuple(parse(source.encode(), format=fmt.rdf_format, without_named_graphs=True))
    except SyntaxError as error:
        message = one_line(_POSITION.sub("", str(error.args[0]) if error.args else str(error)))
        if exact_positions and error.lineno:
            raise InputError(
                f"{name}:{error.lineno}:{error.offset or 0}: syntax error: {message}"
            ) from error
        raise InputError(f"{name}: {fmt.name} error: {message}") from error
