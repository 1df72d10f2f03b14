"""RDF serialization formats: the names users type, file extensions and media types."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pyoxigraph import RdfFormat

from l4a_graph.errors import InputError


@dataclass(frozen=True)
class Format:
    """One RDF serialization known to l4a-graph."""

    name: str
    rdf_format: RdfFormat
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]

    @property
    def extension(self) -> str:
        """The preferred file extension, without the dot."""
        return self.extensions[0]

    @property
    def media_type(self) -> str:
        """The preferred media type."""
        return self.media_types[0]

    @property
    def has_graphs(self) -> bool:
        """True when the format can carry named graphs (TriG, N-Quads, JSON-LD)."""
        return bool(self.rdf_format.supports_datasets)

    @property
    def names_own_graphs(self) -> bool:
        """True when every statement of a file says its graph (TriG, N-Quads).

        Such files are loaded as they are; any other file, JSON-LD included, goes into
        the graph the caller chooses.
        """
        return self.name in ("trig", "nq")


FORMATS: Final[tuple[Format, ...]] = (
    Format(
        "ttl",
        RdfFormat.TURTLE,
        ("ttl", "turtle"),
        ("text/turtle", "application/x-turtle", "text/ttl"),
    ),
    Format("trig", RdfFormat.TRIG, ("trig",), ("application/trig",)),
    Format("nt", RdfFormat.N_TRIPLES, ("nt", "ntriples"), ("application/n-triples", "text/plain")),
    Format("nq", RdfFormat.N_QUADS, ("nq", "nquads"), ("application/n-quads",)),
    Format(
        "jsonld", RdfFormat.JSON_LD, ("jsonld", "json"), ("application/ld+json", "application/json")
    ),
    Format(
        "xml", RdfFormat.RDF_XML, ("rdf", "xml", "owl"), ("application/rdf+xml", "application/xml")
    ),
)
"""Every format, in the order the CLI lists them; the first media type is the canonical one."""

FORMAT_NAMES: Final = tuple(f.name for f in FORMATS)


def by_name(name: str) -> Format:
    """Return the format called ``name`` (``ttl``, ``trig``, ``nt``, ``nq``, ``jsonld``, ``xml``).

    Raises
    ------
    InputError
        If no format has that name.
    """
    for fmt in FORMATS:
        if name.lower() in (fmt.name, *fmt.extensions):
            return fmt
    raise InputError(f"unknown format {name!r}: use one of {', '.join(FORMAT_NAMES)}")


def for_path(path: Path) -> Format:
    """Guess the format of ``path`` from its extension (``.gz`` is not accepted here).

    Raises
    ------
    InputError
        If the extension is not one of a known RDF format.
    """
    suffix = path.suffix.lstrip(".").lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join("." + ext for f in FORMATS for ext in f.extensions)
    raise InputError(
        f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}; known: {known}"
    )


def for_media_type(media_type: str) -> Format | None:
    """Return the format served as ``media_type``, or None (tolerates ``text/ttl`` and the like)."""
    wanted = media_type.split(";")[0].strip().lower()
    for fmt in FORMATS:
        if wanted in fmt.media_types:
            return fmt
    return None
