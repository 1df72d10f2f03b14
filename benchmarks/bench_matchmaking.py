"""Matchmaking benchmark: planted pairs (quality) and ten thousand HUBs (scale).

Not a test: run it by hand and it rewrites the "Matchmaking" section of BENCHMARKS.md.

    python benchmarks/bench_matchmaking.py            # full run, writes BENCHMARKS.md
    python benchmarks/bench_matchmaking.py --quick    # small sizes, prints only

Quality. A synthetic world (namespace https://w3id.org/l4a/synthetic/, graph
https://w3id.org/l4a/graph/synthetic) of noise HUBs: targets, topics and stakeholders
drawn with Zipf laws, so popular ones are shared by chance; Pact axes, countries,
sections and dates at random. Among them, planted pairs share hidden structure: a rare
target, a reciprocal pair of rarely offered topics (each offers what the other seeks),
a stakeholder only they share. Regime "all" plants all three in every pair; regime
"one" plants one kind per pair (in turn). For each planted HUB, where does its partner
rank? recall@10 and the mean reciprocal rank, for each signal alone, for the combined
score and for plain common neighbours in the typed graph.

Scale. Top-10 candidates for every HUB of a 10,000-HUB world, on this machine's cores
(numpy and BLAS release the GIL; two worker threads), with the peak memory.
"""

# networkx's convention, followed here: a graph is ``G``.
# ruff: noqa: N806

from __future__ import annotations

import os

# Parallelism comes from our worker threads, each running its own block: BLAS threads on
# top would oversubscribe the cores. Set before numpy loads OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import platform
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import numpy as np

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.analyses.combine import (
    CONTEXT,
    SUBSTANCE,
    Weights,
    combined_scores,
    rank_all,
    signal_scores,
)
from l4a_graph.analyses.graphs import (
    FloatArray,
    HubViews,
    Incidence,
    hub_views,
    row_products,
    typed_graph,
)
from l4a_graph.bench.report import cpu_model, replace_section
from l4a_graph.formats import by_name

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"
START, END = "<!-- matchmaking start -->", "<!-- matchmaking end -->"

SYN = ns.SYNTHETIC
L4A = ns.L4A
TOPICS = 20
SECTION_OF_REGION = {
    "EU": "europe",
    "AS": "asia-pacific",
    "AF": "africa",
    "SA": "latin-america",
    "NA": "north-america",
    "OC": "asia-pacific",
}
KINDS = ("targets", "topics", "broker")


# -- the synthetic world --------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """Real IRIs the synthetic world links to."""

    targets: list[str]
    topics: list[str]
    axes: list[str]
    countries: list[tuple[str, str]]


def reference(kg: KnowledgeGraph) -> Reference:
    def column(sparql: str) -> list[str]:
        return sorted(s["x"].value for s in kg.select(sparql))

    countries = sorted(
        (s["c"].value, s["r"].value.rsplit("/", 1)[-1])
        for s in kg.select("SELECT ?c ?r WHERE { ?c a l4a:Country ; l4a:partOf ?r }")
    )
    return Reference(
        targets=column("SELECT ?x WHERE { ?x a sdgo:Target }"),
        topics=column(f"SELECT ?x WHERE {{ ?x skos:inScheme <{ns.ID}topic> }}"),
        axes=column(f"SELECT ?x WHERE {{ ?x skos:inScheme <{ns.ID}pact-axis> }}"),
        countries=[c for c in countries if c[1] in SECTION_OF_REGION],
    )


class Zipf:
    """Draws from ``items`` with probability proportional to 1 / rank (shuffled by seed)."""

    def __init__(self, rng: random.Random, items: Sequence[str], exponent: float = 1.0) -> None:
        self.rng = rng
        self.items = list(items)
        rng.shuffle(self.items)
        weights = [1.0 / (r + 1) ** exponent for r in range(len(self.items))]
        total = sum(weights)
        self.cumulative = list(np.cumsum([w / total for w in weights]))

    def draw(self, k: int) -> set[str]:
        chosen: set[str] = set()
        while len(chosen) < min(k, len(self.items)):
            i = int(np.searchsorted(self.cumulative, self.rng.random()))
            chosen.add(self.items[min(i, len(self.items) - 1)])
        return chosen

    def rare(self) -> list[str]:
        """The less popular half."""
        return self.items[len(self.items) // 2 :]


@dataclass
class Hub:
    targets: set[str]
    axes: set[str]
    stakeholders: set[str]
    offers: set[str]
    seeks: set[str]
    country: tuple[str, str]
    start: date | None
    end: date | None


def world(
    ref: Reference, hubs: int, pairs: int, regime: str, seed: int
) -> tuple[list[Hub], list[tuple[int, int, str]]]:
    """Noise HUBs, then planted pairs among them (disjoint HUBs)."""
    rng = random.Random(seed)
    targets, topics = Zipf(rng, ref.targets), Zipf(rng, ref.topics)
    pool = Zipf(rng, [f"{SYN}org/s{j}" for j in range(2 * hubs)])
    made = [_noise(rng, ref, targets, topics, pool) for _ in range(hubs)]
    members = rng.sample(range(hubs), 2 * pairs)
    planted = []
    for p in range(pairs):
        a, b = members[2 * p], members[2 * p + 1]
        kinds = _kinds(regime, p)
        for kind in kinds:
            _plant(rng, kind, made[a], made[b], targets, topics, f"{SYN}org/broker-{p}")
        planted.append((a, b, "+".join(kinds)))
    return made, planted


def _kinds(regime: str, p: int) -> tuple[str, ...]:
    """All three kinds, two of them or one, in turn over the pairs."""
    if regime == "all":
        return KINDS
    if regime == "two":
        return (KINDS[p % 3], KINDS[(p + 1) % 3])
    return (KINDS[p % 3],)


def _noise(rng: random.Random, ref: Reference, targets: Zipf, topics: Zipf, pool: Zipf) -> Hub:
    start = date(2020, 1, 1) + timedelta(days=rng.randrange(5 * 365))
    end = start + timedelta(days=rng.randrange(730, 1096))
    undated = rng.random() < 0.1
    return Hub(
        targets=targets.draw(rng.randint(2, 5)),
        axes=set(rng.sample(ref.axes, rng.randint(1, 2))),
        stakeholders=pool.draw(rng.randint(1, 4)),
        offers=topics.draw(rng.randint(1, 3)),
        seeks=topics.draw(rng.randint(1, 2)),
        country=rng.choice(ref.countries),
        start=None if undated else start,
        end=None if undated or rng.random() < 0.15 else end,
    )


def _plant(
    rng: random.Random, kind: str, a: Hub, b: Hub, targets: Zipf, topics: Zipf, broker: str
) -> None:
    if kind == "targets":
        rare = rng.choice(targets.rare())
        a.targets.add(rare)
        b.targets.add(rare)
    elif kind == "topics":
        first, second = rng.sample(topics.rare(), 2)
        a.seeks.add(first)
        b.offers.add(first)
        b.seeks.add(second)
        a.offers.add(second)
    else:
        a.stakeholders.add(broker)
        b.stakeholders.add(broker)


def ntriples(hubs: Sequence[Hub]) -> bytes:
    """The world as N-Triples, every resource under the synthetic namespace."""
    lines: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        lines.append(f"<{s}> <{p}> {o} .")

    rdf_type = ns.PREFIXES["rdf"] + "type"
    for i, h in enumerate(hubs):
        hub, lead = f"{SYN}hub/{i}", f"{SYN}org/lead-{i}"
        country, region = h.country
        add(hub, rdf_type, f"<{L4A}Hub>")
        add(hub, ns.PREFIXES["dcterms"] + "title", f'"Synthetic HUB {i}"@en')
        add(hub, L4A + "hasLead", f"<{lead}>")
        add(hub, L4A + "hasTerritory", f"<{country}>")
        add(lead, rdf_type, f"<{L4A}LocalGovernment>")
        add(lead, L4A + "memberOfSection", f"<{ns.ID}section/{SECTION_OF_REGION[region]}>")
        for relation, values in (
            ("addressesTarget", h.targets),
            ("contributesToAxis", h.axes),
            ("offersExpertise", h.offers),
            ("seeksExpertise", h.seeks),
        ):
            for value in sorted(values):
                add(hub, L4A + relation, f"<{value}>")
        for s in sorted(h.stakeholders):
            participation = f"{hub}/participation/{s.rsplit('/', 1)[-1]}"
            add(hub, L4A + "hasParticipation", f"<{participation}>")
            add(participation, ns.PREFIXES["org"] + "member", f"<{s}>")
        for which, day in (("startDate", h.start), ("endDate", h.end)):
            if day:
                add(hub, L4A + which, f'"{day.isoformat()}"^^<{ns.PREFIXES["xsd"]}date>')
    return ("\n".join(lines) + "\n").encode()


def fresh_kg() -> KnowledgeGraph:
    """The ontology and reference data only: no real HUB among the synthetic ones."""
    kg = KnowledgeGraph()
    for path, graph in kg.shipped_files():
        if "/hub/" not in graph:
            kg.load_files([path], graph=graph)
    return kg


def load_world(kg: KnowledgeGraph, hubs: Sequence[Hub]) -> None:
    kg.store.drop_graph(ns.GRAPH_SYNTHETIC)
    kg.store.load(ntriples(hubs), by_name("nt"), ns.GRAPH_SYNTHETIC)


# -- evaluation -----------------------------------------------------------------------


def partner_rank(scores: FloatArray, query: int, partner: int) -> float:
    """1-based rank of ``partner`` in the row (ties to the lower index, self excluded)."""
    row = scores.copy()
    row[query] = 0.0
    value = row[partner]
    if value <= 0:
        return float("inf")
    ahead = np.count_nonzero(row > value) + np.count_nonzero(row[:partner] == value)
    return float(ahead + 1)


def evaluate(
    scorer: Callable[[np.ndarray], FloatArray], queries: list[tuple[int, int]]
) -> tuple[float, float]:
    """recall@10 and MRR of ``scorer`` (rows -> score rows) over (query, partner) pairs."""
    rows = np.array([q for q, _ in queries], dtype=np.intp)
    scores = scorer(rows)
    ranks = [partner_rank(scores[i], q, p) for i, (q, p) in enumerate(queries)]
    recall = float(np.mean([r <= 10 for r in ranks]))
    mrr = float(np.mean([1.0 / r for r in ranks]))
    return recall, mrr


def common_neighbours(views: HubViews, neighbours: Incidence) -> Callable[[np.ndarray], FloatArray]:
    def scorer(rows: np.ndarray) -> FloatArray:
        return row_products(neighbours, neighbours, rows)

    return scorer


def quality(ref: Reference, hubs: int, pairs: int, regime: str, seed: int) -> list[list[str]]:
    """One table row per scorer: recall@10 and MRR."""
    made, planted = world(ref, hubs, pairs, regime, seed)
    kg = fresh_kg()
    load_world(kg, made)
    G = typed_graph(kg)
    views = hub_views(G)
    index = views.index
    queries = []
    for a, b, _ in planted:
        ia, ib = index[f"{SYN}hub/{a}"], index[f"{SYN}hub/{b}"]
        queries += [(ia, ib), (ib, ia)]
    weights = Weights()
    scorers: dict[str, Callable[[np.ndarray], FloatArray]] = {
        name: (lambda rows, name=name: signal_scores(views, rows, weights)[name])
        for name in (*SUBSTANCE, *CONTEXT)
    }
    scorers["combined"] = lambda rows: combined_scores(signal_scores(views, rows, weights), weights)
    neighbours = Incidence.from_mapping({h: set(G.successors(h)) for h in views.hubs}, views.hubs)
    scorers["common neighbours (baseline)"] = common_neighbours(views, neighbours)
    rows = []
    for name, scorer in scorers.items():
        recall, mrr = evaluate(scorer, queries)
        rows.append([name, f"{recall:.3f}", f"{mrr:.3f}"])
    kinds = sorted({kind for _, _, kind in planted})
    if len(kinds) > 1:
        for kind in kinds:
            chosen = [q for q, (_, _, k) in zip(queries, _twice(planted), strict=True) if k == kind]
            recall, mrr = evaluate(scorers["combined"], chosen)
            rows.append([f"combined, pairs planted with {kind}", f"{recall:.3f}", f"{mrr:.3f}"])
    kg.close()
    return rows


def _twice(planted: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Each pair twice, as ``queries`` holds it (from each end)."""
    return [p for p in planted for _ in range(2)]


# -- scale ----------------------------------------------------------------------------


def scale(ref: Reference, hubs: int, seed: int, workers: int) -> dict[str, str]:
    """Seconds per stage and peak memory for top-10 of every HUB."""
    made, _ = world(ref, hubs, 0, "all", seed)
    kg = fresh_kg()
    began = time.perf_counter()
    load_world(kg, made)
    loaded = time.perf_counter()
    G = typed_graph(kg)
    built = time.perf_counter()
    views = hub_views(G)
    projected = time.perf_counter()
    ranked_at, cpu_at = time.perf_counter(), time.process_time()
    ranking = rank_all(views, top=10, workers=workers)
    ranked, cpu = time.perf_counter(), time.process_time() - cpu_at
    # Memory in a second run: tracing every allocation would slow the timed one.
    tracemalloc.start()
    rank_all(views, top=10, workers=workers)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(ranking) == hubs
    triples = kg.store.count(ns.GRAPH_SYNTHETIC)
    kg.close()
    return {
        "HUBs": f"{hubs:,}",
        "triples (synthetic graph)": f"{triples:,}",
        "typed graph (nodes / edges)": f"{G.number_of_nodes():,} / {G.number_of_edges():,}",
        "load N-Triples into the store": f"{loaded - began:.2f} s",
        "store -> typed networkx graph": f"{built - loaded:.2f} s",
        "typed graph -> sparse projections": f"{projected - built:.2f} s",
        f"top-10 for every HUB ({workers} threads), wall": f"{ranked - ranked_at:.2f} s",
        "top-10 for every HUB, CPU (all threads)": f"{cpu:.2f} s",
        "graph -> top-10 for every HUB, in all": f"{ranked - loaded:.2f} s",
        "peak memory of the ranking (tracemalloc, a second run)": f"{peak / 2**20:.0f} MiB",
        "peak RSS of the process": f"{_max_rss_mib():.0f} MiB",
        "load average (1 min) at the end": f"{os.getloadavg()[0]:.1f}",
    }


def _max_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- report ---------------------------------------------------------------------------


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def section(quality_tables: dict[str, list[list[str]]], scaled: dict[str, str], args: str) -> str:
    cpu = cpu_model()
    versions = ", ".join(
        f"{p} {version(p)}" for p in ("l4a-graph", "numpy", "scipy", "networkx", "pyoxigraph")
    )
    parts = [
        START,
        "## Matchmaking",
        "",
        f"Measured {datetime.now(UTC).date().isoformat()} by `python "
        f"benchmarks/bench_matchmaking.py{args}` on {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, {versions}.",
        "",
        "Planted pairs among synthetic noise (see the benchmark's docstring): where each",
        "planted HUB's partner ranks among all HUBs, for each signal alone, the combined",
        "score (default weights) and plain common neighbours in the typed graph.",
        "",
    ]
    for title, rows in quality_tables.items():
        parts += [f"**{title}**", "", table(["scorer", "recall@10", "MRR"], rows), ""]
    parts += [
        "Scale: top-10 candidates for every HUB (no explanations), scipy sparse",
        "projections and dense BLAS blocks of 256 HUBs. Wall times count whatever else ran on",
        "the machine (see the load average): the CPU time is the work itself, and about half",
        "of it is the wall time two otherwise idle cores need.",
        "",
        table(["what", "measured"], [[k, v] for k, v in scaled.items()]),
        END,
    ]
    return "\n".join(parts)


def write_section(text: str) -> None:
    """Replace the Matchmaking section of BENCHMARKS.md, leaving the rest alone."""
    replace_section(BENCHMARKS, START, END, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; print, do not write")
    parser.add_argument(
        "--scale-only", action="store_true", help="only the scale run; print, do not write"
    )
    parser.add_argument("--hubs", type=int, default=2000, help="HUBs in the planted worlds")
    parser.add_argument("--pairs", type=int, default=100, help="planted pairs")
    parser.add_argument("--scale-hubs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.quick:
        args.hubs, args.pairs, args.scale_hubs = 300, 20, 1000
    ref = reference(fresh_kg())
    tables = {}
    regimes = (
        ("all", "all three kinds planted in each pair"),
        ("two", "two kinds per pair"),
        ("one", "one kind per pair"),
    )
    for regime, title in regimes if not args.scale_only else ():
        name = f"{args.pairs} planted pairs among {args.hubs:,} HUBs, {title} (regime {regime})"
        tables[name] = quality(ref, args.hubs, args.pairs, regime, args.seed)
        print(name)
        print(table(["scorer", "recall@10", "MRR"], tables[name]), flush=True)
    scaled = scale(ref, args.scale_hubs, args.seed, args.workers)
    for key, value in scaled.items():
        print(f"{key}: {value}")
    if not (args.quick or args.scale_only):
        write_section(
            section(tables, scaled, "".join(" " + a for a in sys.argv[1:]) if argv is None else "")
        )
        print(f"wrote the Matchmaking section of {BENCHMARKS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
