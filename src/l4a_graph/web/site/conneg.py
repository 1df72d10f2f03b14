"""Content negotiation for the site's resources, on top of :mod:`l4a_graph.web.negotiation`.

A resource is offered as an HTML page or in the four RDF formats of
:data:`~l4a_graph.web.negotiation.GRAPH_FORMATS`; ``?format=`` overrides Accept (the
same parsing as the SPARQL endpoint). Every answer says where its alternates are
(``Link: <...?format=ttl>; rel="alternate"; type="text/turtle"``) and which one it is
(``Content-Location``).

We answer 200 with the description rather than 303 to a document: one round trip,
a URL that can be bookmarked and cited, and the W3C TAG's 2012 "Understanding URIs"
draft allows it; ``Content-Location`` names the representation that was sent, so the
thing (the IRI) and the document about it stay distinguishable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from flask import Response
from pyoxigraph import Triple, serialize

from l4a_graph.formats import by_name as rdf_format
from l4a_graph.namespaces import PREFIXES
from l4a_graph.web.errors import NotAcceptableError
from l4a_graph.web.negotiation import GRAPH_FORMATS, MediaFormat
from l4a_graph.web.protocol import format_choice
from l4a_graph.web.site.i18n import LANGUAGES

__all__ = ["HTML", "OFFERED", "negotiate", "rdf_body", "with_alternates"]

HTML: Final = MediaFormat("html", "text/html", ("application/xhtml+xml",), ("html",), text=True)
"""A page for people (the SPARQL endpoint's page for browsers uses it too)."""

OFFERED: Final = (HTML, *GRAPH_FORMATS)
"""What a resource is offered as; the first (HTML) is what a client without Accept gets."""


def negotiate() -> MediaFormat:
    """The representation this request asks for.

    Raises
    ------
    NotAcceptableError
        If neither ``format`` nor Accept names one of :data:`OFFERED`.
    """
    fmt = format_choice(OFFERED)
    if fmt is None:
        types = ", ".join(f.media_type for f in OFFERED)
        raise NotAcceptableError(f"this resource is available as {types} (or ?format=...)")
    return fmt


def rdf_body(triples: Iterable[Triple], fmt: MediaFormat) -> bytes:
    """Serialize ``triples`` in the RDF format ``fmt``."""
    assert fmt.rdf_name is not None
    body = serialize(triples, None, rdf_format(fmt.rdf_name).rdf_format, prefixes=PREFIXES)
    assert body is not None  # no output file given: the bytes are returned
    return body


def _location(path: str, fmt: MediaFormat, lang: str | None) -> str:
    query = f"?format={fmt.names[0]}"
    if lang is not None:
        query += f"&lang={lang}"
    return path + query


def with_alternates(response: Response, path: str, fmt: MediaFormat, lang: str) -> Response:
    """Add ``Link`` (the alternates), ``Content-Location`` and ``Vary`` to ``response``."""
    links = [
        f'<{_location(path, f, None)}>; rel="alternate"; type="{f.media_type}"'
        for f in OFFERED
        if f is not fmt
    ]
    links += [
        f'<{_location(path, HTML, other)}>; rel="alternate"; type="text/html"; hreflang="{other}"'
        for other in LANGUAGES
        if fmt is not HTML or other != lang
    ]
    response.headers["Link"] = ", ".join(links)
    response.headers["Content-Location"] = _location(path, fmt, lang if fmt is HTML else None)
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response
