"""The SHACL shapes of ``shapes/*.ttl``, read once per process and split by stage and pass.

Each shape with a target carries ``l4ash:stage`` (1: eligibility, 2: complete) and,
when it must see the submission without the reference facts, ``l4ash:submissionAlone``.
A validation runs two passes, each with its own shapes graph: the shapes of the pass
and of the stage, with everything they refer to (property shapes, helper shapes,
lists, the prefixes of their SPARQL queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from rdflib import RDFS, Graph, Literal, Namespace
from rdflib.term import Node

from l4a_graph.errors import InputError

__all__ = ["L4ASH", "STAGES", "Shapes", "load_shapes"]

L4ASH: Final = Namespace("https://w3id.org/l4a/shapes#")
"""The namespace of the shapes and of their annotations (prefix ``l4ash:``)."""

STAGES: Final = (1, 2)


@dataclass(frozen=True)
class Shapes:
    """The shapes graph and its per-pass, per-stage variants.

    Parameters
    ----------
    graph
        Every shape, as written (the source of the messages and labels).
    variants
        For each ``(stage, alone)``, the shapes graph a pass validates with.
    """

    graph: Graph
    variants: dict[tuple[int, bool], Graph]

    def for_pass(self, stage: int, *, alone: bool) -> Graph:
        """The shapes graph of the pass over the submission ``alone`` (or with reference)."""
        return self.variants[(stage, alone)]

    def stage_of(self, shape: Node) -> int | None:
        """The stage of a top-level shape (None for nested shapes and helpers)."""
        value = self.graph.value(shape, L4ASH.stage)
        return int(value) if isinstance(value, Literal) else None

    def label(self, node: Node, lang: str) -> str | None:
        """The ``rdfs:label`` of ``node`` in ``lang`` (or English), if the shapes give one."""
        labels = {
            lit.language: str(lit)
            for lit in self.graph.objects(node, RDFS.label)
            if isinstance(lit, Literal)
        }
        return labels.get(lang) or labels.get("en")


def load_shapes(shapes_dir: Path) -> Shapes:
    """The shapes of ``shapes_dir``, cached until one of its files changes.

    Raises
    ------
    InputError
        If the folder holds no shapes or a file does not parse.
    """
    paths = sorted(shapes_dir.glob("*.ttl"))
    if not paths:
        raise InputError(f"{shapes_dir}: no SHACL shapes (*.ttl) found")
    return _load(tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in paths))


# The stamps are part of the key: an edited shapes file is read again.
@lru_cache(maxsize=4)
def _load(files: tuple[tuple[Path, int, int], ...]) -> Shapes:
    graph = Graph()
    for path, _, _ in files:
        try:
            graph.parse(path, format="turtle")
        except SyntaxError as error:
            raise InputError(f"{path}: shapes file does not parse: {error}") from error
    variants = {
        (stage, alone): _variant(graph, stage, alone=alone)
        for stage in STAGES
        for alone in (True, False)
    }
    return Shapes(graph, variants)


def _variant(graph: Graph, stage: int, *, alone: bool) -> Graph:
    """The part of ``graph`` that the shapes of this stage and pass reach.

    Leaving the other shapes out, rather than marking them ``sh:deactivated``, spares
    pyshacl reading them again at every validation.
    """
    variant = Graph()
    for prefix, namespace in graph.namespaces():
        variant.bind(prefix, namespace)
    todo: list[Node] = [
        shape
        for shape, value in graph.subject_objects(L4ASH.stage)
        if isinstance(value, Literal)
        and int(value) <= stage
        and ((shape, L4ASH.submissionAlone, Literal(True)) in graph) == alone
    ]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in graph.triples((node, None, None)):
            variant.add(triple)
            todo.append(triple[2])
    return variant
