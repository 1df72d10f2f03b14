"""Publishing the open data: dumps, their VoID/DCAT description, the ontology documentation.

Nothing here depends on Flask: the web app mounts these functions, and ``l4a export
--dumps`` and ``l4a ontology-docs`` call them from the command line.
"""

from __future__ import annotations

from l4a_graph.publish.dataset import DumpFile, is_published, published_graphs
from l4a_graph.publish.dumps import write_dumps
from l4a_graph.publish.ontology_docs import render_ontology_docs
from l4a_graph.publish.void import dataset_description, void_document

__all__ = [
    "DumpFile",
    "dataset_description",
    "is_published",
    "published_graphs",
    "render_ontology_docs",
    "void_document",
    "write_dumps",
]
