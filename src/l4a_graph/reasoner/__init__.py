"""Reasoning: the ontology's OWL 2 RL entailments, materialized in ``graph/inferred``.

- :mod:`~l4a_graph.reasoner.rules` compiles the ontology's axioms into rules;
- :mod:`~l4a_graph.reasoner.materialize` runs them in the store to a fixpoint;
- :mod:`~l4a_graph.reasoner.consistency` reports what the ontology forbids;
- :mod:`~l4a_graph.reasoner.explain` tells why an inferred triple holds;
- :mod:`~l4a_graph.reasoner.owlrl_reference` is the reference (owlrl) and the
  comparison that proves the fast engine right;
- :mod:`~l4a_graph.reasoner.commands` adds ``l4a reason`` and ``l4a why``.
"""

from __future__ import annotations

from l4a_graph.reasoner.engine import ENGINES, ReasoningReport, reason

__all__ = ["ENGINES", "ReasoningReport", "reason"]
