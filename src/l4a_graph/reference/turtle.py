"""A small deterministic Turtle writer for the generated reference files.

rdflib's Turtle serializer does not promise a stable order (and labels blank nodes
at random), so a regenerated file could differ from the committed one for no reason.
This writer sorts everything: subjects, predicates and objects, and it writes blank
nodes inline (``[ ... ]``), so the same graph always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

_INDENT = "    "
_FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# A conservative subset of Turtle's PN_LOCAL: anything else is written as a full IRI.
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key that orders digit runs by value, so ``sdg/2`` comes before ``sdg/10``.

    The text itself ends the key, so two different strings never compare equal.

    Examples
    --------
    >>> sorted(["sdg/10", "sdg/2", "sdg/1.a", "sdg/1.10", "sdg/1.2"], key=natural_key)
    ['sdg/1.2', 'sdg/1.10', 'sdg/1.a', 'sdg/2', 'sdg/10']
    """
    parts = re.split(r"([0-9]+)", text)
    # Odd positions of re.split with a capturing group are the digit runs.
    key = [(0, part.rjust(20, "0")) if i % 2 else (1, part) for i, part in enumerate(parts)]
    return (*key, (2, text))


def escape_string(text: str) -> str:
    r"""Return ``text`` as a double-quoted Turtle string.

    Examples
    --------
    >>> print(escape_string('a "b"\n'))
    "a \"b\"\n"
    """
    out = []
    for char in text:
        if char in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


class TurtleWriter:
    """Write one rdflib graph as sorted Turtle.

    Parameters
    ----------
    prefixes
        Prefix name to namespace IRI; only the prefixes actually used are declared.

    Examples
    --------
    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x:b"), RDF.type, URIRef("urn:x:C")))
    >>> _ = g.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("hi", lang="en")))
    >>> print(TurtleWriter({"x": "urn:x:"}).serialize(g, ["demo"]), end="")
    # demo
    <BLANKLINE>
    @prefix x: <urn:x:> .
    <BLANKLINE>
    x:a
        x:p "hi"@en .
    <BLANKLINE>
    x:b
        a x:C .
    """

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so the most specific prefix wins.
        self._prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self._used: set[str] = set()
        self._graph = Graph()

    def serialize(self, graph: Graph, header: Sequence[str], lead: Sequence[URIRef] = ()) -> str:
        """Return the Turtle text of ``graph``.

        Parameters
        ----------
        graph
            The triples; every blank node must be the object of exactly one triple.
        header
            Comment lines written first (without the ``#``).
        lead
            Subjects written first, in this order; the others follow sorted.

        Raises
        ------
        ValueError
            On a blank node used other than as a single inline object, or an invalid IRI.
        """
        self._graph = graph
        self._used = set()
        self._check_blank_nodes()
        subjects = [s for s in set(graph.subjects()) if isinstance(s, URIRef)]
        rest = sorted((s for s in subjects if s not in lead), key=lambda s: natural_key(str(s)))
        ordered = [s for s in lead if s in subjects] + rest
        blocks = [self._subject_block(subject) for subject in ordered]
        lines = [f"# {line}".rstrip() for line in header]
        lines.append("")
        lines.extend(f"@prefix {name}: <{ns}> ." for name, ns in sorted(self._declared()))
        lines.append("")
        return "\n".join(lines) + "\n" + "\n\n".join(blocks) + "\n"

    def _declared(self) -> Iterable[tuple[str, str]]:
        return ((name, ns) for name, ns in self._prefixes if name in self._used)

    def _check_blank_nodes(self) -> None:
        """Blank nodes are written inline, which needs each to be the object of one triple."""
        for subject in set(self._graph.subjects()):
            if isinstance(subject, BNode) and len(list(self._graph.subjects(None, subject))) != 1:
                raise ValueError(f"blank node {subject!r} is not the object of exactly one triple")

    def _subject_block(self, subject: URIRef) -> str:
        return self._iri(subject) + "\n" + self._predicate_list(subject, _INDENT) + " ."

    def _predicate_list(self, subject: Node, indent: str) -> str:
        """The predicate-object list of ``subject``; an empty ``indent`` means one line."""
        predicates = sorted(
            (p for p in set(self._graph.predicates(subject)) if isinstance(p, URIRef)),
            key=self._predicate_key,
        )
        parts = []
        for predicate in predicates:
            objects = sorted(
                (self._term(o) for o in self._graph.objects(subject, predicate)), key=natural_key
            )
            verb = "a" if predicate == RDF.type else self._iri(predicate)
            parts.append(indent + verb + self._object_list(objects, indent))
        return (" ;\n" if indent else " ; ").join(parts)

    @staticmethod
    def _object_list(objects: list[str], indent: str) -> str:
        # Short lists of IRIs stay on one line; literals get a line each, for readable diffs.
        one_line = not indent or all(not o.startswith(('"', "[")) for o in objects)
        if len(objects) == 1 or one_line:
            return " " + ", ".join(objects)
        return "\n" + ",\n".join(indent + _INDENT + o for o in objects)

    def _predicate_key(self, predicate: URIRef) -> tuple[int, tuple[tuple[int, str], ...]]:
        if predicate == RDF.type:
            return (0, ())
        return (1, natural_key(self._iri(predicate)))

    def _term(self, term: Node) -> str:
        if isinstance(term, URIRef):
            return self._iri(term)
        if isinstance(term, Literal):
            return self._literal(term)
        if isinstance(term, BNode):
            return f"[ {self._predicate_list(term, '')} ]"
        raise ValueError(f"cannot write {term!r}")

    def _iri(self, iri: URIRef) -> str:
        text = str(iri)
        if _FORBIDDEN_IN_IRI.search(text):
            raise ValueError(f"invalid IRI {text!r}")
        for name, ns in self._prefixes:
            local = text[len(ns) :]
            if text.startswith(ns) and _SAFE_LOCAL.match(local):
                self._used.add(name)
                return f"{name}:{local}"
        return f"<{text}>"

    def _literal(self, literal: Literal) -> str:
        lexical = escape_string(str(literal))
        if literal.language:
            return f"{lexical}@{literal.language}"
        if literal.datatype is None or literal.datatype == XSD.string:
            return lexical
        return f"{lexical}^^{self._iri(literal.datatype)}"
