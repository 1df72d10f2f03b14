"""What the site publishes: which named graphs are open, and the dump files made of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from l4a_graph import namespaces as ns

if TYPE_CHECKING:
    from l4a_graph.knowledge_graph import KnowledgeGraph

DATASET_IRI: Final = ns.BASE + "dataset"
"""The whole published dataset, as a ``void:Dataset`` and ``dcat:Dataset``."""

EXCLUDED_GRAPH_PREFIXES: Final = (ns.GRAPH + "restricted", ns.GRAPH_STAGING)
"""Graphs never published: restricted data, and the temporary graphs of a load."""


def is_published(graph: str) -> bool:
    """True when the named graph ``graph`` belongs to the open dataset.

    Examples
    --------
    >>> is_published("https://w3id.org/l4a/graph/reference/sdg")
    True
    >>> is_published("https://w3id.org/l4a/graph/restricted/contacts")
    False
    """
    return not graph.startswith(EXCLUDED_GRAPH_PREFIXES)


def published_graphs(kg: KnowledgeGraph) -> list[str]:
    """The non-empty named graphs of ``kg`` that are published, sorted.

    Only named graphs are published: every shipped or submitted triple lives in one
    (docs/design.md), so the default graph is left out.
    """
    return [g for g in kg.store.named_graphs() if is_published(g)]


@dataclass(frozen=True)
class DumpFile:
    """One compressed dump file (or the VoID description) in the dumps folder."""

    name: str
    """File name inside the dumps folder, e.g. ``l4a.trig.gz``."""
    media_type: str
    """Media type of the uncompressed content, e.g. ``application/trig``."""
    byte_size: int
    sha256: str
    """SHA-256 of the file as stored (compressed), in lowercase hexadecimal."""
    compressed: bool = True

    def url(self, base_url: str) -> str:
        """Where the site serves this file: ``<base_url>/dumps/<name>``.

        Examples
        --------
        >>> DumpFile("l4a.nq.gz", "application/n-quads", 1, "0" * 64).url("https://w3id.org/l4a/")
        'https://w3id.org/l4a/dumps/l4a.nq.gz'
        """
        return f"{base_url.rstrip('/')}/dumps/{self.name}"
