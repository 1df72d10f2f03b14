"""Dumps of the published dataset: Turtle, TriG, N-Quads and JSON-LD, gzip-compressed.

:func:`write_dumps` writes into one folder, the one the site serves as ``/dumps/``::

    l4a.ttl.gz  l4a.trig.gz  l4a.nq.gz  l4a.jsonld.gz   the dataset
    void.ttl                                            its VoID/DCAT description
    SHA256SUMS                                          checksums, ``sha256sum -c`` format
    manifest.json                                       the fingerprint and the file list

The output is byte-for-byte reproducible: blank nodes are canonicalized, quads sorted,
and gzip is written with ``mtime=0`` and no file name. The folder is rebuilt only when
the fingerprint changes: the published graphs with their triple counts, a hash of the
canonical N-Quads, the base URL and the layout version. Otherwise ``write_dumps`` is a
no-op that returns the files of the manifest.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from uuid import uuid4

from pyoxigraph import CanonicalizationAlgorithm, Dataset, NamedNode, Quad, Triple, parse, serialize

from l4a_graph import namespaces as ns
from l4a_graph.formats import Format, by_name
from l4a_graph.publish.dataset import DumpFile, published_graphs
from l4a_graph.publish.void import PREFIXES, void_document

if TYPE_CHECKING:
    from l4a_graph.knowledge_graph import KnowledgeGraph

__all__ = [
    "DUMP_FORMATS",
    "PERSISTENT_BASE_URL",
    "published_quads",
    "read_manifest",
    "write_dumps",
]

BASENAME: Final = "l4a"
DUMP_FORMATS: Final = ("ttl", "trig", "nq", "jsonld")
"""The dump formats, by their formats.py names."""
VOID_FILE: Final = "void.ttl"
SUMS_FILE: Final = "SHA256SUMS"
MANIFEST_FILE: Final = "manifest.json"
PERSISTENT_BASE_URL: Final = ns.BASE.rstrip("/")
"""The base URL ``l4a export --dumps`` describes: the persistent one, which the site maps."""
LAYOUT: Final = 1
"""Bumped when the files or their content change shape, so old folders are rebuilt."""


def write_dumps(kg: KnowledgeGraph, out_dir: Path, base_url: str) -> list[DumpFile]:
    """Write the dumps, ``void.ttl``, ``SHA256SUMS`` and the manifest into ``out_dir``.

    Parameters
    ----------
    kg
        The knowledge graph; graphs that are not published (restricted, staging) are
        left out.
    out_dir
        The dumps folder; created if missing.
    base_url
        Where the site runs; the VoID description names ``<base_url>/dumps/<file>``.

    Returns
    -------
    list of DumpFile
        The dumps, then ``void.ttl``, as written now or by the last build.

    Notes
    -----
    Does nothing when the manifest's fingerprint matches the store and every listed
    file is present with its size. Each file is replaced atomically (written beside
    and renamed), the manifest last, so an interrupted build is redone next time.
    """
    quads = published_quads(kg)
    fingerprint = _fingerprint(quads, base_url)
    previous = read_manifest(out_dir)
    if previous is not None and previous[0] == fingerprint and _present(out_dir, previous[1]):
        return previous[1]
    out_dir.mkdir(parents=True, exist_ok=True)
    dumps = [_write_dump(out_dir, by_name(name), quads) for name in DUMP_FORMATS]
    void = _write_file(
        out_dir, VOID_FILE, "text/turtle", void_document(kg, base_url, by_name("ttl"), dumps)
    )
    files = [*dumps, void]
    _replace(out_dir / SUMS_FILE, "".join(f"{f.sha256}  {f.name}\n" for f in files).encode())
    manifest = {"fingerprint": fingerprint, "files": [asdict(f) for f in files]}
    _replace(out_dir / MANIFEST_FILE, json.dumps(manifest, indent=2).encode() + b"\n")
    return files


def read_manifest(out_dir: Path) -> tuple[str, list[DumpFile]] | None:
    """The fingerprint and the files of the last build in ``out_dir``, or None."""
    try:
        manifest: dict[str, Any] = json.loads((out_dir / MANIFEST_FILE).read_text("utf-8"))
        return manifest["fingerprint"], [DumpFile(**f) for f in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no usable manifest: the caller rebuilds


def published_quads(kg: KnowledgeGraph) -> list[Quad]:
    """The quads of the published graphs, blank nodes canonicalized, sorted.

    Each graph is read through the store interface (so remote stores work too).
    """
    ntriples = by_name("nt")
    dataset = Dataset()
    for graph in published_graphs(kg):
        buffer = io.BytesIO()
        kg.export(buffer, ntriples, graph)
        name = NamedNode(graph)
        for triple in parse(buffer.getvalue(), ntriples.rdf_format):
            dataset.add(Quad(triple.subject, triple.predicate, triple.object, name))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return sorted(dataset, key=_quad_key)


def _quad_key(quad: Quad) -> tuple[str, str, str, str]:
    # Graph first, then subject: TriG and Turtle then group their statements.
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def _fingerprint(quads: Sequence[Quad], base_url: str) -> str:
    counts = Counter(str(q.graph_name) for q in quads)
    header = json.dumps(
        {"layout": LAYOUT, "base_url": base_url, "graphs": sorted(counts.items())},
        sort_keys=True,
    )
    digest = hashlib.sha256(header.encode())
    digest.update(_serialize(quads, by_name("nq")))
    return digest.hexdigest()


def _present(out_dir: Path, files: Iterable[DumpFile]) -> bool:
    paths = [out_dir / f.name for f in files] + [out_dir / SUMS_FILE]
    sizes = {out_dir / f.name: f.byte_size for f in files}
    return all(p.is_file() for p in paths) and all(
        p.stat().st_size == size for p, size in sizes.items()
    )


def _write_dump(out_dir: Path, fmt: Format, quads: Sequence[Quad]) -> DumpFile:
    data: Sequence[Quad] | list[Triple] = quads
    if not fmt.has_graphs:
        # A triple format gets the union: a triple stated in several graphs, once.
        union = {Triple(q.subject, q.predicate, q.object) for q in quads}
        data = sorted(union, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    # Reproducible gzip: mtime=0, and gzip.compress writes no file name.
    content = gzip.compress(_serialize(data, fmt), mtime=0)
    return _write_file(out_dir, f"{BASENAME}.{fmt.extension}.gz", fmt.media_type, content)


def _serialize(data: Iterable[Quad] | Iterable[Triple], fmt: Format) -> bytes:
    buffer = io.BytesIO()
    serialize(data, buffer, fmt.rdf_format, prefixes=PREFIXES)
    return buffer.getvalue()


def _write_file(out_dir: Path, name: str, media_type: str, content: bytes) -> DumpFile:
    _replace(out_dir / name, content)
    return DumpFile(
        name=name,
        media_type=media_type,
        byte_size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        compressed=name.endswith(".gz"),
    )


def _replace(path: Path, content: bytes) -> None:
    """Write ``content`` beside ``path`` and rename it over: readers never see half a file."""
    # A unique name: two processes rebuilding at once must not write into one file.
    temporary = path.with_name(f".{path.name}.{uuid4().hex}.tmp")
    temporary.write_bytes(content)
    temporary.replace(path)
