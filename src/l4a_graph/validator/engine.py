"""Validating one submission with pyshacl, fast enough for a web form.

A validation runs two passes over small in-memory Oxigraph stores: the shapes marked
``l4ash:submissionAlone`` see the submission by itself; the others see it together
with the reference facts it cites (:mod:`l4a_graph.validator.reference`). The store,
however many HUBs it holds, is never read. The shapes and the reference facts are
read once per process and cached; pyshacl runs the SPARQL-based constraints with
Oxigraph's query engine.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyshacl.helper
from pyoxigraph import NamedNode, Quad, Store, Triple
from pyshacl import validate as shacl_validate
from pyshacl.graph_abstraction import DataGraph, OxigraphDataGraph
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from rdflib import Graph, Literal

from l4a_graph.errors import InputError
from l4a_graph.validator.intake import Submission
from l4a_graph.validator.reference import ReferenceFacts, load_reference
from l4a_graph.validator.report import Report, findings_from
from l4a_graph.validator.shapes import STAGES, Shapes, load_shapes

__all__ = ["SubmissionValidator", "validator_for"]


class _LinearQueryHelper(SPARQLQueryHelper):
    """pyshacl's SPARQL helper, with linear-time checks for MINUS and SERVICE.

    Before each run of a SPARQL constraint, pyshacl checks that the query uses neither
    keyword, with expressions that scan from every line start to the next ``#``: their
    time grows with the square of the query's length, and they took a third of a
    validation for the day-number queries of ``shapes/hub-timeframe.ttl``. These
    expressions stop at the end of each line, as a comment does.
    """

    has_minus_regex = re.compile(r"^[^#\n]*?(?<![\w?$])MINUS[\s{]", re.MULTILINE | re.IGNORECASE)
    has_service_regex = re.compile(
        r"^[^#\n]*?(?<![\w?$])SERVICE[\s<]", re.MULTILINE | re.IGNORECASE
    )


# pyshacl's own extension point: every SPARQL helper comes from get_query_helper_cls().
setattr(pyshacl.helper, "SPARQLQueryHelperCls", _LinearQueryHelper)  # noqa: B010


def _not_ill_typed(record: logging.LogRecord) -> bool:
    """Drop rdflib's log record (with a traceback) for a literal whose lexical form does
    not fit its datatype (``"2025-02-30"^^xsd:date``): for a validator that is input,
    which the shapes report, not an error; the traceback would reach the user's terminal."""
    return not record.getMessage().startswith("Failed to convert Literal lexical form")


def _without_literal_subjects(method: Any) -> Any:
    """``method`` of pyshacl's Oxigraph graph, answering nothing for a literal subject.

    pyshacl passes a literal on to Oxigraph, which refuses it with a TypeError, when it
    looks for the classes of a value typed with a literal (``<x> a "text"``): the
    validation failed instead of reporting the value.
    """

    def guarded(self: Any, subject: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(subject, Literal):
            return iter(())
        return method(self, subject, *args, **kwargs)

    return guarded


for _name in ("objects", "predicate_objects"):
    setattr(OxigraphDataGraph, _name, _without_literal_subjects(getattr(OxigraphDataGraph, _name)))

logging.getLogger("rdflib.term").addFilter(_not_ill_typed)
warnings.filterwarnings(
    "ignore", r"(Parsing|Serializing) weird", UserWarning, r"rdflib\."
)  # the same, for booleans and numbers


@dataclass(frozen=True)
class SubmissionValidator:
    """Checks submissions against the shapes, with the reference facts they need.

    Parameters
    ----------
    shapes
        The shapes graph and its variants per stage and pass.
    reference
        The ontology's hierarchy and the facts about reference IRIs.
    """

    shapes: Shapes
    reference: ReferenceFacts

    def validate(self, submission: Submission, stage: int = 2) -> Report:
        """Check ``submission`` at ``stage``: 1 (eligibility) or 2 (complete).

        Raises
        ------
        InputError
            If ``stage`` is neither 1 nor 2.
        """
        if stage not in STAGES:
            raise InputError(f"unknown stage {stage}: use 1 (eligibility) or 2 (complete)")
        alone = _store(submission.quads)
        merged = _store(submission.quads, self.reference.facts_for(_cited(submission.quads)))
        findings = [
            *findings_from(self._run(alone, stage, alone=True), self.shapes),
            *findings_from(self._run(merged, stage, alone=False), self.shapes),
        ]
        return Report.collect(submission.name, stage, findings)

    def _run(self, data: Store, stage: int, *, alone: bool) -> Graph:
        # advanced: SPARQL-based targets (SHACL-AF); allow_warnings: a Warning conforms.
        _, results, _ = shacl_validate(
            DataGraph.from_oxigraph_store(data),
            shacl_graph=self.shapes.for_pass(stage, alone=alone),
            advanced=True,
            allow_warnings=True,
            inference="none",
        )
        assert isinstance(results, Graph), "pyshacl returns its results as a graph"
        return results


def validator_for(shapes_dir: Path, ontology_dir: Path, data_dir: Path) -> SubmissionValidator:
    """The validator of the shipped shapes and reference data (both cached per process)."""
    return SubmissionValidator(load_shapes(shapes_dir), load_reference(ontology_dir, data_dir))


def _store(quads: Iterable[Quad], facts: Iterable[Triple] = ()) -> Store:
    store = Store()
    store.extend(quads)
    store.extend(Quad(t.subject, t.predicate, t.object) for t in facts)
    return store


def _cited(quads: Iterable[Quad]) -> set[NamedNode]:
    """Every IRI the submission mentions, as subject or object."""
    cited: set[NamedNode] = set()
    for quad in quads:
        for term in (quad.subject, quad.object):
            if isinstance(term, NamedNode):
                cited.add(term)
    return cited
