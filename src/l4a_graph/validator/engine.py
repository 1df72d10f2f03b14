"""Validating one submission with pyshacl, fast enough for a web form.

A validation runs two passes over small in-memory Oxigraph stores: the shapes marked
``l4ash:submissionAlone`` see the submission by itself; the others see it together
with the reference facts it cites (:mod:`l4a_graph.validator.reference`). The store,
however many HUBs it holds, is never read. The shapes and the reference facts are
read once per process and cached; pyshacl runs the SPARQL-based constraints with
Oxigraph's query engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl.helper
from pyoxigraph import NamedNode, Quad, Store, Triple
from pyshacl import validate as shacl_validate
from pyshacl.graph_abstraction import DataGraph
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from rdflib import Graph

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
