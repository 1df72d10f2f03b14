"""The reference facts a submission is checked against, read once per process.

The shapes need a few facts that a submission does not state itself: the ontology's
class and property hierarchy (a ``l4a:LocalGovernment`` is a
``l4a:LocalRegionalGovernment``; ``l4a:hasLead`` is a declared property), and for every
IRI a submission cites, its types, its concept scheme and its broader concept (an SDG
target is a ``sdgo:Target`` whose goal is its ``skos:broader``). Those facts are taken
from the shipped ontology and reference files, never from the store, so validating one
submission costs the same whatever the store holds.

Only these predicates are kept: labels and the rest of the reference data would only
make the shapes that look at texts and properties see things the submission never said.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from pyoxigraph import NamedNode, Triple, parse

from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError

__all__ = ["REFERENCE_FILES", "ReferenceFacts", "load_reference"]

REFERENCE_FILES: Final = ("sdg", "countries", "sections")
"""The files of ``data/reference/`` the shapes need (the SDG KOS, countries, UCLG sections)."""

_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
_TBOX: Final = frozenset(
    NamedNode(iri) for iri in (_RDF + "type", _RDFS + "subClassOf", _RDFS + "subPropertyOf")
)
_FACTS: Final = frozenset(
    NamedNode(iri)
    for iri in (_RDF + "type", _SKOS + "inScheme", _SKOS + "topConceptOf", _SKOS + "broader")
)


@dataclass(frozen=True)
class ReferenceFacts:
    """The ontology's hierarchy and the reference facts about each cited IRI.

    Parameters
    ----------
    tbox
        Types, sub-classes and sub-properties of the ontology's own terms.
    by_subject
        For each IRI of the reference data, its types, schemes and broader concepts.
    """

    tbox: tuple[Triple, ...]
    by_subject: Mapping[NamedNode, tuple[Triple, ...]]

    def facts_for(self, cited: Iterable[NamedNode]) -> list[Triple]:
        """The hierarchy plus the facts about ``cited`` and, transitively, what they cite.

        An SDG target brings its goal (``skos:broader``) and the goal's type; a concept
        brings its scheme. The closure is small: the reference data is shallow.
        """
        facts = list(self.tbox)
        seen: set[NamedNode] = set()
        todo = [iri for iri in cited if iri in self.by_subject]
        while todo:
            iri = todo.pop()
            if iri in seen:
                continue
            seen.add(iri)
            for triple in self.by_subject[iri]:
                facts.append(triple)
                if isinstance(triple.object, NamedNode) and triple.object in self.by_subject:
                    todo.append(triple.object)
        return facts


def load_reference(ontology_dir: Path, data_dir: Path) -> ReferenceFacts:
    """The reference facts of the shipped files, cached until one of them changes.

    Raises
    ------
    InputError
        If the ontology or a reference file is missing or does not parse.
    """
    paths = sorted(ontology_dir.glob("*.ttl")) + [
        data_dir / "reference" / f"{name}.ttl" for name in REFERENCE_FILES
    ]
    return _load(tuple((path, *_stamp(path)) for path in paths))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError as error:
        raise InputError(f"{path}: reference file missing ({error.strerror})") from error
    return stat.st_mtime_ns, stat.st_size


# The stamps are part of the key: a regenerated reference file is read again.
@lru_cache(maxsize=4)
def _load(files: tuple[tuple[Path, int, int], ...]) -> ReferenceFacts:
    tbox: list[Triple] = []
    by_subject: defaultdict[NamedNode, list[Triple]] = defaultdict(list)
    for path, _, _ in files:
        try:
            quads = parse(path=str(path))
            for quad in quads:
                _sort(quad.triple, tbox, by_subject)
        except SyntaxError as error:
            raise InputError(f"{path}: reference file does not parse: {error}") from error
    return ReferenceFacts(tuple(tbox), {iri: tuple(ts) for iri, ts in by_subject.items()})


def _sort(
    triple: Triple, tbox: list[Triple], by_subject: defaultdict[NamedNode, list[Triple]]
) -> None:
    """File ``triple`` under the hierarchy or under its subject, or drop it."""
    subject = triple.subject
    if not isinstance(subject, NamedNode):
        return
    if subject.value.startswith(ns.L4A) and triple.predicate in _TBOX:
        tbox.append(triple)
    elif triple.predicate in _FACTS:
        by_subject[subject].append(triple)
