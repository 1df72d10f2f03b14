"""Measuring validation: the project's two-pass validator against plain pyshacl.

Used by the ``validate`` and ``validate-pyshacl`` stages of ``l4a bench`` and by
``benchmarks/bench_validate.py``.

The batch of submissions comes from the synthetic graph (:mod:`l4a_graph.synthetic`):
each chosen HUB with its participations, deliverables, organisations and their places
becomes one N-Triples document, as a HUB would submit it. Its IRIs are moved from the
synthetic namespace to the persistent patterns the shapes ask for
(``https://w3id.org/l4a/synthetic/hub/7`` becomes ``https://w3id.org/l4a/id/hub/synthetic-7``),
so that a submission fails only for what it really lacks (a HUB without a stakeholder
besides its lead, a short time frame...).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox

from l4a_graph import namespaces as ns
from l4a_graph.formats import by_name
from l4a_graph.resources import resource_dir
from l4a_graph.validator.intake import Submission, parse_submission

__all__ = [
    "plain_pyshacl",
    "pyshacl_batch",
    "submissions",
    "summary",
    "timed",
    "validate_batch",
]

_DOCUMENT: Final = f"""PREFIX l4a: <{ns.L4A}>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ VALUES ?s {{ HUB }} }}
  UNION {{ HUB l4a:hasParticipation|l4a:hasDeliverable ?s }}
  UNION {{ HUB l4a:hasParticipation/org:member ?s }}
  UNION {{ HUB l4a:hasTerritory|l4a:hasParticipation/org:member/l4a:hasTerritory ?s
          FILTER(STRSTARTS(STR(?s), "{ns.SYNTHETIC}")) }}
  UNION {{ HUB l4a:hasTerritory|l4a:hasParticipation/org:member/l4a:hasTerritory ?place
          FILTER(STRSTARTS(STR(?place), "{ns.SYNTHETIC}")) ?place geo:hasGeometry ?s }}
  ?s ?p ?o
}}"""
"""One HUB's document: the HUB, its participations and deliverables, its organisations
and the synthetic places (with their geometries) of the HUB and of its organisations."""


def submissions(source: Path, every: int) -> list[Submission]:
    """Every ``every``-th HUB of the synthetic N-Triples file ``source``, as a submission.

    Examples
    --------
    >>> import tempfile
    >>> from l4a_graph.synthetic import generate
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "synthetic.nt"
    ...     _ = generate(4, 1, path, quads=False)
    ...     batch = submissions(path, 2)
    >>> [s.hubs[0].value for s in batch]
    ['https://w3id.org/l4a/id/hub/synthetic-1', 'https://w3id.org/l4a/id/hub/synthetic-3']
    """
    store = ox.Store()
    store.load(path=str(source), format=ox.RdfFormat.N_TRIPLES)
    found = store.query(
        f"SELECT ?hub WHERE {{ ?hub a <{ns.L4A}Hub> "
        f'FILTER(STRSTARTS(STR(?hub), "{ns.SYNTHETIC}hub/")) }}'
    )
    assert isinstance(found, ox.QuerySolutions)
    hubs = sorted(int(str(solution["hub"].value).rsplit("/", 1)[1]) for solution in found)
    batch = []
    for n in hubs[::every]:
        triples = store.query(_DOCUMENT.replace("HUB", f"<{ns.SYNTHETIC}hub/{n}>"))
        assert isinstance(triples, ox.QueryTriples)
        data = triples.serialize(format=ox.RdfFormat.N_TRIPLES)
        assert data is not None
        for kind in (b"hub", b"org", b"place"):
            data = data.replace(
                f"{ns.SYNTHETIC}{kind.decode()}/".encode(),
                f"{ns.ID}{kind.decode()}/synthetic-".encode(),
            )
        batch.append(parse_submission(data, by_name("nt"), name=f"synthetic-{n}.nt"))
    return batch


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call of ``run``."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def summary(samples: Sequence[tuple[float, float]]) -> str:
    """Median, 95th percentile and maximum wall time, and the median CPU time.

    Examples
    --------
    >>> summary([(0.1, 0.05), (0.2, 0.1), (0.3, 0.1)])
    'median 200 ms, p95 300 ms, max 300 ms (CPU median 100 ms; 3 runs)'
    """
    walls = sorted(wall for wall, _ in samples)
    p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
    cpu = statistics.median(c for _, c in samples)
    return (
        f"median {_ms(statistics.median(walls))}, p95 {_ms(p95)}, max {_ms(walls[-1])} "
        f"(CPU median {_ms(cpu)}; {len(samples)} runs)"
    )


def validate_batch(batch: Sequence[Submission], stage: int = 2) -> dict[str, Any]:
    """Validate each submission with the project's validator, as ``l4a validate`` does.

    The first call of a process reads the shapes and the reference files: it is made
    (untimed) before the batch, on the first submission.
    """
    from l4a_graph.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph()
    warm_up = timed(lambda: kg.validate(batch[0], stage=stage))
    conforming = 0
    samples = []
    for submission in batch:
        started, cpu = time.perf_counter(), time.process_time()
        report = kg.validate(submission, stage=stage)
        samples.append((time.perf_counter() - started, time.process_time() - cpu))
        conforming += report.conforms
    return {
        "submissions": len(batch),
        "conforming": conforming,
        "wall": sum(w for w, _ in samples),
        "cpu": sum(c for _, c in samples),
        "median_ms": statistics.median(w for w, _ in samples) * 1000,
        "first_call_s": warm_up[0],
    }


def plain_pyshacl(data: Any) -> int:
    """pyshacl over the rdflib graph ``data`` with every shape, as one call: the results.

    The naive way: no split into stages and passes, no reference facts chosen, rdflib's
    query engine.
    """
    from pyshacl import validate
    from rdflib import SH, Graph

    from l4a_graph.validator.shapes import load_shapes

    _, results, _ = validate(
        data,
        shacl_graph=load_shapes(resource_dir("shapes")).graph,
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(results, Graph)
    return len(list(results.objects(None, SH.result)))


def pyshacl_batch(batch: Sequence[Submission]) -> dict[str, Any]:
    """Each submission, with the reference facts it cites, through :func:`plain_pyshacl`.

    The data is what the project's validator sees (the submission plus the facts about
    the IRIs it cites); only the validation differs: one pyshacl call with every shape
    on an rdflib graph. The shapes are read before the clock starts.
    """
    from rdflib import Graph

    from l4a_graph.validator.reference import load_reference
    from l4a_graph.validator.shapes import load_shapes

    load_shapes(resource_dir("shapes"))
    reference = load_reference(resource_dir("ontology"), resource_dir("data"))
    wall, cpu, results = 0.0, 0.0, 0
    for submission in batch:
        cited = {
            term
            for quad in submission.quads
            for term in (quad.subject, quad.object)
            if isinstance(term, ox.NamedNode)
        }
        facts = "".join(f"{fact} .\n" for fact in reference.facts_for(cited))
        started, cpu_started = time.perf_counter(), time.process_time()
        data = Graph().parse(data=submission.data.decode() + "\n" + facts, format="nt")
        results += plain_pyshacl(data)
        wall += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    return {"submissions": len(batch), "wall": wall, "cpu": cpu, "results": results}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"
