"""Content negotiation for query results: media types, format names, and the choice.

Pure functions over an Accept header and a ``format`` parameter, no I/O. One table maps
each result format to its canonical media type, the other media types clients send for
it (``application/json``, ``text/ttl``...) and the names the ``format`` (or ``output``)
parameter may use, which overrides Accept. Tabular results (SELECT, ASK) and graphs
(CONSTRUCT, DESCRIBE) have separate tables: ``format=json`` means SPARQL JSON for one
and JSON-LD for the other, as on most endpoints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from werkzeug.datastructures import MIMEAccept

__all__ = [
    "ALL_FORMATS",
    "GRAPH_FORMATS",
    "TABULAR_FORMATS",
    "MediaFormat",
    "by_name",
    "choose",
]


@dataclass(frozen=True)
class MediaFormat:
    """One result serialization the endpoint can send."""

    name: str
    """Identifier shared with the query worker."""
    media_type: str
    """What the Content-Type says."""
    aliases: tuple[str, ...]
    """Other media types that select it in an Accept header."""
    names: tuple[str, ...]
    """Values of the ``format`` parameter that select it."""
    rdf_name: str | None = None
    """For graphs, the name in :mod:`l4a_graph.formats`."""
    text: bool = False
    """Whether the Content-Type carries ``charset=utf-8``."""

    @property
    def content_type(self) -> str:
        """The Content-Type header value."""
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type


TABULAR_FORMATS: Final = (
    MediaFormat(
        "json",
        "application/sparql-results+json",
        ("application/json", "text/javascript", "application/javascript"),
        ("json", "srj"),
    ),
    MediaFormat(
        "xml",
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
        ("xml", "srx"),
    ),
    MediaFormat("csv", "text/csv", (), ("csv",), text=True),
    MediaFormat("tsv", "text/tab-separated-values", (), ("tsv",), text=True),
)
"""SELECT and ASK results; the first is the default."""

GRAPH_FORMATS: Final = (
    MediaFormat(
        "turtle",
        "text/turtle",
        ("application/x-turtle", "application/turtle", "text/ttl", "text/n3", "text/rdf+n3"),
        ("turtle", "ttl", "n3"),
        rdf_name="ttl",
        text=True,
    ),
    MediaFormat(
        "ntriples",
        "application/n-triples",
        ("text/plain",),
        ("nt", "ntriples", "n-triples"),
        rdf_name="nt",
    ),
    MediaFormat(
        "rdfxml",
        "application/rdf+xml",
        ("application/xml", "text/xml"),
        ("rdf", "rdfxml", "rdf+xml", "xml"),
        rdf_name="xml",
    ),
    MediaFormat(
        "jsonld",
        "application/ld+json",
        ("application/json", "application/x-json+ld"),
        ("jsonld", "json-ld", "json"),
        rdf_name="jsonld",
    ),
)
"""CONSTRUCT and DESCRIBE results (and other RDF answers); the first is the default."""

ALL_FORMATS: Final = TABULAR_FORMATS + GRAPH_FORMATS


def by_name(name: str) -> MediaFormat:
    """The format whose :attr:`~MediaFormat.name` is ``name``.

    Raises
    ------
    KeyError
        If there is none.
    """
    for fmt in ALL_FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def choose(
    accept: MIMEAccept, requested: Sequence[str], offered: Sequence[MediaFormat]
) -> MediaFormat | None:
    """The format to answer in, or None when nothing offered is acceptable (406).

    Parameters
    ----------
    accept
        The parsed Accept header (empty when the client sent none).
    requested
        Values of the ``format`` parameter, in order; the first one understood wins,
        and it may be a name (``json``, ``ttl``) or a media type. When given, Accept is
        ignored.
    offered
        The formats possible for this answer, the default first.

    Examples
    --------
    >>> from werkzeug.http import parse_accept_header
    >>> accept = parse_accept_header("text/csv;q=0.5, application/json", MIMEAccept)
    >>> choose(accept, [], TABULAR_FORMATS).name
    'json'
    >>> choose(accept, ["tsv"], TABULAR_FORMATS).name
    'tsv'
    >>> choose(parse_accept_header("", MIMEAccept), [], GRAPH_FORMATS).name
    'turtle'
    >>> choose(parse_accept_header("image/png", MIMEAccept), [], GRAPH_FORMATS) is None
    True
    """
    if requested:
        for value in requested:
            wanted = value.strip().lower()
            for fmt in offered:
                if wanted in fmt.names or wanted == fmt.media_type or wanted in fmt.aliases:
                    return fmt
        return None
    if not accept:
        return offered[0]
    media_type = accept.best_match([m for fmt in offered for m in (fmt.media_type, *fmt.aliases)])
    for fmt in offered:
        if media_type == fmt.media_type or media_type in fmt.aliases:
            return fmt
    return None
