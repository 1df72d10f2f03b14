"""Measuring the reasoners: the fast engine and owlrl's closure, on the same store.

Used by the ``reason`` and ``reason-owlrl`` stages of ``l4a bench`` and by
``benchmarks/bench_reasoner.py``. Each function times its own work only: the data is
already in ``kg`` (see :func:`build`), and owlrl's rdflib graph is built before its
clock starts.
"""

from __future__ import annotations

import io
import resource
import time
from typing import Any

from l4a_graph.formats import by_name
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.synthetic import generate, hubs_for_triples

__all__ = ["build", "limit_cpu", "measure_fast", "measure_owlrl"]


def build(triples: int, seed: int) -> KnowledgeGraph:
    """The shipped data plus synthetic HUBs: about ``triples`` quads in memory in all."""
    kg = KnowledgeGraph()
    kg.load_shipped()
    out = io.BytesIO()
    generate(hubs_for_triples(max(0, triples - kg.store.count())), seed, out, quads=True)
    kg.store.load(out.getvalue(), by_name("nq"))
    return kg


def measure_fast(kg: KnowledgeGraph) -> dict[str, Any]:
    """Materialize ``graph/inferred`` with the fast engine, then run the consistency check.

    Returns the asserted quads, wall and CPU seconds of the materialization, the
    inferred triples and rounds, the seconds of the check and its violations.
    """
    from l4a_graph.reasoner import reason
    from l4a_graph.reasoner.consistency import check

    asserted = kg.store.count()
    wall, cpu = time.perf_counter(), time.process_time()
    report = reason(kg.store, check_consistency=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    started = time.perf_counter()
    violations = check(kg.store)
    return {
        "triples": asserted,
        "wall": wall,
        "cpu": cpu,
        "inferred": report.inferred,
        "rounds": report.rounds,
        "check": time.perf_counter() - started,
        "violations": len(violations),
    }


def measure_owlrl(kg: KnowledgeGraph) -> dict[str, Any]:
    """owlrl's closure of the asserted triples, compared with the fast engine's.

    The fast engine runs after owlrl (untimed) so that both closures can be compared
    after the normalisation of :mod:`l4a_graph.reasoner.owlrl_reference`.
    """
    from l4a_graph.reasoner import reason
    from l4a_graph.reasoner.owlrl_reference import (
        Comparison,
        asserted_graph,
        fast_inferred,
        normalised_closure,
        owlrl_closure,
    )

    quads = kg.store.count()
    asserted = asserted_graph(kg.store)
    wall, cpu = time.perf_counter(), time.process_time()
    closure = owlrl_closure(asserted)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    reference = normalised_closure(kg.store, asserted, closure)
    reason(kg.store, check_consistency=False)
    comparison = Comparison(fast_inferred(kg.store), reference)
    return {
        "triples": quads,
        "wall": wall,
        "cpu": cpu,
        "inferred": len(closure) - len(asserted),
        "normalised": len(reference),
        "identical": comparison.equal,
        "differences": len(comparison.missing) + len(comparison.extra),
    }


def limit_cpu(seconds: float) -> None:
    """Stop this process (SIGXCPU) after ``seconds`` of CPU time.

    A limit in CPU time means the same on an idle machine and on a shared, busy one.
    """
    whole = int(seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (whole, whole + 5))
