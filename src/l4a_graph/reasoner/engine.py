"""One entry point for reasoning: rebuild ``graph/inferred``, then check consistency.

Examples
--------
>>> from l4a_graph.knowledge_graph import KnowledgeGraph
>>> kg = KnowledgeGraph()
>>> kg.load_shipped()  # doctest: +ELLIPSIS
[...]
>>> report = reason(kg.store)
>>> report.consistent, report.inferred > 0
(True, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Final

from pyoxigraph import QueryBoolean

from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError
from l4a_graph.reasoner.consistency import Violation, check
from l4a_graph.reasoner.materialize import materialize
from l4a_graph.reasoner.ontology import Ontology
from l4a_graph.reasoner.rules import EQUALITY_RULES, RuleSet, compile_rules
from l4a_graph.reasoner.terms import OWL
from l4a_graph.store.base import Store

ENGINES: Final = ("fast", "owlrl")
"""``fast``: the compiled rules in the store; ``owlrl``: the reference, full OWL 2 RL."""


@dataclass(frozen=True)
class ReasoningReport:
    """What one ``l4a reason`` did and found."""

    engine: str
    inferred: int
    seconds: float
    rules: int = 0
    rounds: int = 0
    unsupported: tuple[str, ...] = ()
    violations: tuple[Violation, ...] = ()

    @property
    def consistent(self) -> bool:
        """True unless the consistency check (if it ran) found a violation."""
        return not self.violations


def ruleset(store: Store) -> RuleSet:
    """The rules of the store's ontology, with the equality rules if the data need them."""
    rules = compile_rules(Ontology.from_store(store))
    if has_same_as(store) or any(r.head.p == OWL.sameAs for r in rules.rules):
        return RuleSet((*rules.rules, *EQUALITY_RULES), rules.unsupported)
    return rules


def has_same_as(store: Store) -> bool:
    """True when some graph states ``owl:sameAs`` between two different terms."""
    result = store.query("ASK { GRAPH ?g { ?a owl:sameAs ?b } FILTER(!sameTerm(?a, ?b)) }")
    assert isinstance(result, QueryBoolean)
    return bool(result)


def reason(
    store: Store, engine: str = "fast", *, check_consistency: bool = True
) -> ReasoningReport:
    """Drop and rebuild ``graph/inferred`` with ``engine``; check consistency if asked.

    Raises
    ------
    InputError
        If ``engine`` is not one of :data:`ENGINES`.
    """
    started = time.perf_counter()
    if engine == "fast":
        rules = ruleset(store)
        run = materialize(store, rules.rules)
        report = ReasoningReport(
            engine, run.inferred, 0.0, len(rules.rules), run.rounds, rules.unsupported
        )
    elif engine == "owlrl":
        # Imported here: owlrl is slow to import and only the reference needs it.
        from l4a_graph.reasoner.owlrl_reference import materialize_owlrl

        report = ReasoningReport(engine, materialize_owlrl(store), 0.0)
    else:
        raise InputError(f"unknown reasoning engine {engine!r}: use one of {', '.join(ENGINES)}")
    violations = tuple(check(store)) if check_consistency else ()
    seconds = time.perf_counter() - started
    return replace(report, seconds=seconds, violations=violations)


def inferred_exists(store: Store) -> bool:
    """True when ``graph/inferred`` holds triples (so loads should keep it up to date)."""
    return ns.GRAPH_INFERRED in store.named_graphs()
