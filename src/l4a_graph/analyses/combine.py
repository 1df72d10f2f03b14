"""One combined score per pair of HUBs, and every candidate with its explanation.

The score has two parts. The *substance* is the weighted mean of the signals that say
why two HUBs should meet: shared targets and goals, PathSim over targets, Pact axes and
stakeholders, complementary expertise, brokers. The *context* signals (the local-global
dimension, timing) only raise or lower it::

    substance = sum(w_i s_i) / sum(w_i)                     (the six signals)
    context   = (1 + w_lg lg + w_t t) / (1 + w_lg + w_t)    (in [1 / (1 + w_lg + w_t), 1])
    score     = substance * context                         (in [0, 1])

so two HUBs that have nothing in common are never matched because they happen to run
at the same time on different continents. Scores are rounded to six decimals and ties
are broken by IRI, and a pair's score does not depend on which other HUBs are scored
with it (one HUB, a block, all), so a ranking is the same on every run and every path.

Why the default weights (:class:`Weights`): a shared stakeholder (brokers, .32) is a
relationship that exists, rarely there by chance; shared targets (.30, resource
allocation: a target held by ``k`` HUBs weighs ``1/k``) and complementary expertise
(.30) are rarity-weighted, so chance overlaps on common targets or topics weigh little;
the three PathSims (.08 together) restate targets and stakeholders with another
normalization, and three Pact axes tell few HUBs apart. On the planted-pair benchmark
(``benchmarks/bench_matchmaking.py``, figures in BENCHMARKS.md) they find the partner
in the top ten for every pair sharing two kinds of hidden structure.
"""

# networkx's convention, followed here: a graph is ``G``.
# ruff: noqa: N803

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, cast

import numpy as np
import numpy.typing as npt

from l4a_graph import __version__
from l4a_graph.analyses.brokers import brokers
from l4a_graph.analyses.complementarity import complementarity
from l4a_graph.analyses.exceptions import EmptyGraphError, UnknownEntityError, WeightsError
from l4a_graph.analyses.exclusions import excluded, without
from l4a_graph.analyses.feedback import reviewed_pairs
from l4a_graph.analyses.graphs import (
    DTYPE,
    LANGUAGES,
    FloatArray,
    GraphLike,
    HubViews,
    Incidence,
    Nodes,
    as_nodes,
    hub_views,  # noqa: F401 (the examples use it)
)
from l4a_graph.analyses.localglobal import local_global_bonus
from l4a_graph.analyses.pathsim import pathsim
from l4a_graph.analyses.store_views import projections
from l4a_graph.analyses.targets import WEIGHTINGS, Weighting, shared_targets
from l4a_graph.analyses.timing import ASSUMED_DAYS, timing_overlap
from l4a_graph.namespaces import ID

if TYPE_CHECKING:
    from l4a_graph.knowledge_graph import KnowledgeGraph

__all__ = [
    "METHOD",
    "METHOD_VERSION",
    "Candidate",
    "Explanation",
    "Labelled",
    "MatchResult",
    "Query",
    "Weights",
    "combined_scores",
    "explain",
    "match",
    "match_in",
    "rank",
    "rank_all",
    "resolve_query",
    "signal_scores",
]

METHOD: Final = "l4a-graph combined matchmaking"
METHOD_VERSION: Final = "2"
"""Version of the scoring formula; it changes whenever a ranking could change.

2: every score is computed in the same order whatever other HUBs are scored with it
(sparse-by-dense products, see :func:`~l4a_graph.analyses.graphs.row_products`, and
elementwise sums instead of BLAS ``saxpy``); in version 1 a score could change in its
last bit with the block it was computed in, and so could a ranking at a rounding tie.
Scores can differ from version 1 in the sixth decimal.
"""

SUBSTANCE: Final = (
    "targets",
    "pathsim_targets",
    "pathsim_axes",
    "pathsim_stakeholders",
    "complementarity",
    "brokers",
)
CONTEXT: Final = ("local_global", "timing")
DIMENSIONS: Final = ("region", "section")
DECIMALS: Final = 6
SAMPLE_STRIDE: Final = 8
""":func:`rank` samples every 8th column of a row for its floor (see its notes)."""


def _weight(default: object, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Weights:
    """The weights of the signals and the options of the signals that have some.

    Print ``Weights().describe()`` (or run ``l4a match --show-weights``) for the table
    of names, defaults and meanings; change any of them with :meth:`parse`.

    Examples
    --------
    >>> w = Weights.parse("brokers=0.5,local_global_mode=within")
    >>> w.brokers, w.local_global_mode, w.targets
    (0.5, 'within', 0.3)
    """

    targets: float = _weight(
        0.30, "shared SDG targets and goals, rarity-weighted cosine (shared_targets)"
    )
    pathsim_targets: float = _weight(0.03, "PathSim over HUB-target-HUB")
    pathsim_axes: float = _weight(0.02, "PathSim over HUB-Pact axis-HUB (3 axes: weak evidence)")
    pathsim_stakeholders: float = _weight(0.03, "PathSim over HUB-stakeholder-HUB")
    complementarity: float = _weight(
        0.30, "what one HUB offers (expertise, deliverables) that the other seeks"
    )
    brokers: float = _weight(0.32, "shared stakeholders as brokers, rarer ones count more")
    local_global: float = _weight(
        0.10, "context bonus for pairs across regions/sections (see local_global_mode)"
    )
    timing: float = _weight(0.20, "context bonus for pairs active at the same time")
    target_weighting: str = _weight("ra", "rarity weighting of targets: ra (1/k) or idf")
    local_global_mode: str = _weight("across", "reward pairs 'across' groups or 'within' one")
    local_global_by: str = _weight("region+section", "dimensions: region, section or both")
    assumed_days: int = _weight(
        ASSUMED_DAYS, "days a HUB with a start and no end is assumed to run"
    )

    def __post_init__(self) -> None:
        for name in (*SUBSTANCE, *CONTEXT):
            value = getattr(self, name)
            if not np.isfinite(value) or value < 0:
                raise WeightsError(f"weight {name}={value}: weights are numbers >= 0")
        if sum(getattr(self, name) for name in SUBSTANCE) <= 0:
            raise WeightsError(
                f"at least one of {', '.join(SUBSTANCE)} needs a weight above 0: "
                "the context signals only modulate a score"
            )
        if self.target_weighting not in WEIGHTINGS:
            raise WeightsError(f"target_weighting: use one of {', '.join(WEIGHTINGS)}")
        if self.local_global_mode not in ("across", "within"):
            raise WeightsError("local_global_mode: use across or within")
        if not self.dimensions or not set(self.dimensions) <= set(DIMENSIONS):
            raise WeightsError("local_global_by: use region, section or region+section")
        if self.assumed_days < 1:
            raise WeightsError("assumed_days: use a number of days >= 1")

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions of the local-global bonus, e.g. ``("region", "section")``."""
        return tuple(d for d in self.local_global_by.split("+") if d)

    @classmethod
    def parse(cls, spec: str | None) -> Weights:
        """Defaults changed by ``name=value`` pairs separated by commas.

        Raises
        ------
        WeightsError
            On an unknown name, a value of the wrong type or an invalid combination.
        """
        if not spec or not spec.strip():
            return cls()
        types = {f.name: f.type for f in fields(cls)}
        changes: dict[str, Any] = {}
        for item in spec.split(","):
            name, equals, text = (part.strip() for part in item.partition("="))
            if name not in types or not equals:
                raise WeightsError(
                    f"--weights {item.strip()!r}: expected name=value with name one of "
                    f"{', '.join(types)}"
                )
            changes[name] = _convert(name, text, str(types[name]))
        return replace(cls(), **changes)

    def describe(self) -> list[tuple[str, str, str, str]]:
        """Rows of (name, value, default, help) for a table."""
        defaults = Weights.__dataclass_fields__
        return [
            (f.name, str(getattr(self, f.name)), str(defaults[f.name].default), f.metadata["help"])
            for f in fields(self)
        ]


def _convert(name: str, text: str, kind: str) -> Any:
    try:
        if kind == "float":
            return float(text)
        if kind == "int":
            return int(text)
    except ValueError:
        raise WeightsError(f"--weights {name}={text}: not a number") from None
    return text


# -- scores ---------------------------------------------------------------------------


def signal_scores(
    views: HubViews, rows: Sequence[int] | npt.NDArray[np.intp], weights: Weights
) -> dict[str, FloatArray]:
    """Every signal with a weight above 0, for HUBs ``rows`` against all HUBs.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges
    >>> G = graph_from_edges([("a", "addresses_goal", "g17"), ("b", "addresses_goal", "g17")])
    >>> sorted(signal_scores(hub_views(G), [0], Weights()))[:3]
    ['brokers', 'complementarity', 'local_global']
    """
    return {name: compute() for name, compute in _signals(views, rows, weights).items()}


def _signals(
    views: HubViews, rows: Sequence[int] | npt.NDArray[np.intp], weights: Weights
) -> dict[str, Callable[[], FloatArray]]:
    """How to compute each signal with a weight above 0 (see :func:`signal_scores`)."""
    w = weights
    compute: dict[str, Callable[[], FloatArray]] = {
        "targets": lambda: shared_targets(
            views.agenda, rows, weighting=cast("Weighting", w.target_weighting)
        ),
        "pathsim_targets": lambda: pathsim(views.targets, rows),
        "pathsim_axes": lambda: pathsim(views.axes, rows),
        "pathsim_stakeholders": lambda: pathsim(views.stakeholders, rows),
        "complementarity": lambda: complementarity(views.offers, views.seeks, rows),
        "brokers": lambda: brokers(views.stakeholders, rows),
        "local_global": lambda: local_global_bonus(
            [_dimension(views, d) for d in w.dimensions],
            rows,
            across=w.local_global_mode == "across",
        ),
        "timing": lambda: timing_overlap(views.start, views.end, rows, assumed_days=w.assumed_days),
    }
    return {name: f for name, f in compute.items() if getattr(w, name) > 0}


def _dimension(views: HubViews, name: str) -> Incidence:
    return views.regions if name == "region" else views.sections


def combined_scores(signals: Mapping[str, FloatArray], weights: Weights) -> FloatArray:
    """Substance times context (see the module docstring), rounded to six decimals.

    Examples
    --------
    Substance 0.5 (brokers alone), context: across (1) but not simultaneous (0).

    >>> s = {"brokers": np.array([[0.5]]), "local_global": np.array([[1.0]]),
    ...      "timing": np.array([[0.0]])}
    >>> w = Weights(targets=0, pathsim_targets=0, pathsim_axes=0, pathsim_stakeholders=0,
    ...             complementarity=0, brokers=1, local_global=0.5, timing=0.5)
    >>> combined_scores(s, w).tolist()  # 0.5 * (1 + 0.5) / (1 + 0.5 + 0.5)
    [[0.375]]
    """
    shape = next(iter(signals.values())).shape
    return _combine({name: _given(s) for name, s in signals.items()}, shape, weights)


def _given(value: FloatArray) -> Callable[[], FloatArray]:
    return lambda: value


def _combine(
    signals: Mapping[str, Callable[[], FloatArray]], shape: tuple[int, ...], weights: Weights
) -> FloatArray:
    """:func:`combined_scores`, each signal computed when it is added, then dropped.

    Scoring a block holds two block-sized arrays besides the total instead of one per
    signal: less memory, and the arrays stay in cache.
    """
    total_weight = sum(getattr(weights, name) for name in SUBSTANCE)
    total = np.zeros(shape, dtype=DTYPE)
    scratch = np.empty(shape, dtype=DTYPE)
    for name in SUBSTANCE:
        if name in signals:
            _add_scaled(total, signals[name](), getattr(weights, name) / total_weight, scratch)
    context_weight = sum(getattr(weights, name) for name in CONTEXT)
    if context_weight > 0:
        context = np.ones(shape, dtype=DTYPE)
        for name in CONTEXT:
            if name in signals:
                _add_scaled(context, signals[name](), getattr(weights, name), scratch)
        total *= context
        total *= DTYPE(1.0 / (1.0 + context_weight))
    return np.round(total, DECIMALS, out=total)


def _add_scaled(target: FloatArray, source: FloatArray, weight: float, scratch: FloatArray) -> None:
    """``target += weight * source``, elementwise in single precision.

    Not BLAS ``saxpy``: it rounds differently in its vectorized body (fused multiply-add)
    and in its tail, so a cell's score would depend on where it falls in the block.
    """
    np.multiply(source, DTYPE(weight), out=scratch)
    target += scratch


def rank(
    scores: FloatArray,
    top: int,
    exclude: Sequence[Collection[int]] = (),
) -> list[list[tuple[int, float]]]:
    """The ``top`` best columns of each row: (index, score) pairs, ties broken by index.

    Columns in ``exclude[i]`` and scores of 0 are never candidates of row ``i``.
    ``scores`` is modified (excluded cells are zeroed).

    Examples
    --------
    >>> rank(np.array([[0.0, 0.5, 0.5, 0.9]]), 2, [{0}])
    [[(3, 0.9), (1, 0.5)]]

    Notes
    -----
    O(n) per row, in three vectorized passes: the ``top``-th best score of a sample of
    every row's columns is a floor that at least ``top`` columns reach; only the columns
    at or above it (a few per ``top``, ties included) are sorted, by score then index.
    """
    for i, columns in enumerate(exclude):
        if columns:
            scores[i, list(columns)] = 0.0
    m, n = scores.shape
    k = min(top, n)
    if k == 0 or m == 0:
        return [[] for _ in range(m)]
    stride = max(1, min(SAMPLE_STRIDE, n // (4 * k)))
    sample = scores[:, ::stride]
    if sample.shape[1] >= k:
        floor = np.partition(sample, sample.shape[1] - k, axis=1)[:, sample.shape[1] - k]
    else:
        floor = np.zeros(m, dtype=scores.dtype)
    # Scores of 0 are never candidates: the floor is at least the smallest positive one.
    np.maximum(floor, np.nextafter(scores.dtype.type(0), scores.dtype.type(1)), out=floor)
    where = np.flatnonzero(scores >= floor[:, None])
    rows, cols = np.divmod(where, n)
    values = scores.ravel()[where] if scores.flags.c_contiguous else scores[rows, cols]
    order = _by_row_then_score(rows, values)
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.searchsorted(rows, np.arange(m))
    chosen = np.arange(len(rows)) - first[rows] < k
    rows, cols, values = rows[chosen], cols[chosen], values[chosen]
    bounds = np.searchsorted(rows, np.arange(m + 1)).tolist()
    pairs = list(zip(cols.tolist(), _rounded(values), strict=True))
    return [pairs[start:stop] for start, stop in itertools.pairwise(bounds)]


def _rounded(values: FloatArray) -> list[float]:
    """``[round(float(v), DECIMALS) for v in values]``, vectorized where that is exact.

    ``rint(v * 10**6) / 10**6`` is what :func:`round` gives unless ``v * 10**6`` is
    within float error of a half (never, for scores already rounded to six decimals):
    those few go through :func:`round`.
    """
    wide = values.astype(np.float64)
    scaled = wide * 10.0**DECIMALS
    fraction = np.abs(scaled - np.trunc(scaled))
    doubtful = (np.abs(fraction - 0.5) < 1e-6) | ~(np.abs(scaled) < 2.0**40)
    found: list[float] = (np.rint(scaled) / 10.0**DECIMALS).tolist()
    for i in np.flatnonzero(doubtful).tolist():
        found[i] = round(float(wide[i]), DECIMALS)
    return found


def _by_row_then_score(rows: npt.NDArray[np.intp], values: FloatArray) -> npt.NDArray[np.intp]:
    """Order by row, then score downwards; ties keep their order (ascending columns)."""
    if values.dtype == np.float32 and len(rows) and rows[-1] < 2**31:
        # Bits of a positive float32 sort as the float does: one integer key, one sort.
        descending = np.int64(0x7FFFFFFF) - values.view(np.int32).astype(np.int64)
        return np.argsort((rows.astype(np.int64) << 31) | descending, kind="stable")
    return np.lexsort((-values, rows))


def rank_all(
    views: HubViews,
    *,
    top: int = 10,
    weights: Weights | None = None,
    block: int = 64,
    workers: int = 2,
) -> list[list[tuple[int, float]]]:
    """The ``top`` candidates of every HUB, without explanations (for evaluation and scale).

    Parameters
    ----------
    views
        The projections of the typed graph.
    top
        Candidates per HUB.
    weights
        Weights and options; the defaults when None.
    block
        HUBs scored at once: memory grows as ``block x n``. The scores do not depend
        on it; 64 keeps a block's arrays (a few MB for ten thousand HUBs) in cache.
    workers
        Threads; numpy and scipy release the GIL, so blocks run in parallel.

    Returns
    -------
    list
        For each HUB (row order of ``views``), its candidates as (row, score) pairs.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges
    >>> G = graph_from_edges([("a", "has_stakeholder", "u"), ("b", "has_stakeholder", "u"),
    ...                       ("c", "has_stakeholder", "v")])
    >>> rank_all(hub_views(G), top=2)
    [[(1, 0.269231)], [(0, 0.269231)], []]

    ``a`` and ``b`` share ``u``: brokers 1 and stakeholder PathSim 1 make the substance
    ``0.32 + 0.03 = 0.35`` (the default weights sum to 1); with no region, section or
    dates the context is ``1 / (1 + 0.1 + 0.2)``, so ``0.35 / 1.3 = 0.269231``.

    Notes
    -----
    O(n^2 F) arithmetic in blocks of ``block`` rows; memory O(block n).
    """
    weights = weights or Weights()
    n = len(views.hubs)
    partners: list[set[int]] = [{i} for i in range(n)]
    for i, j in views.connected:
        partners[i].add(j)
        partners[j].add(i)

    def run(start: int) -> list[list[tuple[int, float]]]:
        rows = np.arange(start, min(start + block, n))
        scores = _combine(_signals(views, rows, weights), (len(rows), n), weights)
        return rank(scores, top, [partners[i] for i in rows])

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        parts = list(pool.map(run, range(0, n, block)))
    return [row for part in parts for row in part]


# -- explanations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Labelled:
    """A node of the typed graph with its label in the chosen language."""

    iri: str
    label: str
    notation: str = ""

    def text(self) -> str:
        """``17 Partnerships for the goals`` for a goal, ``11.1`` for a target, else the label."""
        if self.notation and "." in self.notation:
            return self.notation
        return f"{self.notation} {self.label}" if self.notation else self.label


PHRASES: Final[dict[str, dict[str, str]]] = {
    "shared_targets": {"en": "shared targets", "fr": "cibles communes", "es": "metas comunes"},
    "shared_goals": {"en": "shared goals", "fr": "objectifs communs", "es": "objetivos comunes"},
    "shared_axes": {
        "en": "shared Pact axes",
        "fr": "axes du Pacte communs",
        "es": "ejes del Pacto comunes",
    },
    "brokers": {"en": "brokers", "fr": "intermédiaires", "es": "intermediarios"},
    "offers_sought": {
        "en": "offers what it seeks",
        "fr": "offre ce qu'il cherche",
        "es": "ofrece lo que busca",
    },
    "seeks_offered": {
        "en": "seeks what it offers",
        "fr": "cherche ce qu'il offre",
        "es": "busca lo que ofrece",
    },
    "regions": {"en": "regions", "fr": "régions", "es": "regiones"},
    "sections": {"en": "sections", "fr": "sections", "es": "secciones"},
    "together": {"en": "active together", "fr": "actifs ensemble", "es": "activos a la vez"},
}
"""The words of an explanation in each language; the labels come from the data."""


@dataclass(frozen=True)
class Explanation:
    """Why a candidate is suggested: what the two HUBs share or exchange.

    Lists are ordered rarest first (a target or broker few HUBs share says most).
    ``offers_sought`` are the topics the candidate offers that the HUB seeks;
    ``seeks_offered`` those the candidate seeks that the HUB offers. ``regions`` and
    ``sections`` give the HUB's then the candidate's; ``together`` the period both are
    active (ISO dates) when they overlap; ``signals`` every signal's value.
    """

    shared_targets: tuple[Labelled, ...] = ()
    shared_goals: tuple[Labelled, ...] = ()
    shared_axes: tuple[Labelled, ...] = ()
    brokers: tuple[Labelled, ...] = ()
    offers_sought: tuple[Labelled, ...] = ()
    seeks_offered: tuple[Labelled, ...] = ()
    regions: tuple[tuple[Labelled, ...], tuple[Labelled, ...]] = ((), ())
    sections: tuple[tuple[Labelled, ...], tuple[Labelled, ...]] = ((), ())
    together: tuple[str, str] | None = None
    signals: Mapping[str, float] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """One line in ``lang``: ``shared goals: 17 Partnerships for the goals; ...``."""
        words = {k: v.get(lang, v["en"]) for k, v in PHRASES.items()}
        parts = [
            f"{words[name]}: {', '.join(item.text() for item in getattr(self, name))}"
            for name in (
                "shared_targets",
                "shared_goals",
                "shared_axes",
                "brokers",
                "offers_sought",
                "seeks_offered",
            )
            if getattr(self, name)
        ]
        for name in ("regions", "sections"):
            mine, theirs = getattr(self, name)
            if mine and theirs:
                parts.append(f"{words[name]}: {_names(mine)} / {_names(theirs)}")
        if self.together:
            parts.append(f"{words['together']}: {self.together[0]}/{self.together[1]}")
        return "; ".join(parts)


def _names(items: Iterable[Labelled]) -> str:
    return ", ".join(item.text() for item in items)


def explain(
    G: GraphLike,
    views: HubViews,
    hub: int,
    candidate: int,
    lang: str = "en",
    *,
    assumed_days: int = ASSUMED_DAYS,
) -> Explanation:
    """What HUBs ``hub`` and ``candidate`` (row indices of ``views``) share or exchange.

    ``G`` is the typed graph, or the ``nodes`` of
    :func:`~l4a_graph.analyses.store_views.read_views`: it gives the labels and kinds.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges
    >>> G = graph_from_edges(
    ...     [("a", "addresses_goal", "g"), ("b", "addresses_goal", "g"),
    ...      ("a", "seeks", "water"), ("b", "offers", "water")],
    ...     {"g": {"labels": {"en": "Partnerships", "fr": "Partenariats"}, "notation": "17"}},
    ... )
    >>> explain(G, hub_views(G), 0, 1, "fr").text("fr")
    "objectifs communs: 17 Partenariats; offre ce qu'il cherche: water"

    Notes
    -----
    O(F log F) for the F features of the two HUBs, whatever the number of HUBs.
    """
    v = views
    nodes = as_nodes(G)

    def shared(incidence: Incidence) -> tuple[Labelled, ...]:
        both = set(_columns(incidence, hub)).intersection(_columns(incidence, candidate))
        degrees = incidence.degrees
        order = sorted((degrees[j], incidence.cols[j]) for j in both)
        return _labelled(nodes, [f for _, f in order], lang)

    def one_way(mine: Incidence, theirs: Incidence, a: int, b: int) -> tuple[Labelled, ...]:
        return _labelled(nodes, sorted(set(mine.features(a)) & set(theirs.features(b))), lang)

    agenda = shared(v.agenda)
    return Explanation(
        shared_targets=tuple(x for x in agenda if nodes.kind(x.iri) == "target"),
        shared_goals=tuple(x for x in agenda if nodes.kind(x.iri) == "goal"),
        shared_axes=shared(v.axes),
        brokers=shared(v.stakeholders),
        offers_sought=one_way(v.seeks, v.offers, hub, candidate),
        seeks_offered=one_way(v.offers, v.seeks, hub, candidate),
        regions=_both(nodes, v.regions, hub, candidate, lang),
        sections=_both(nodes, v.sections, hub, candidate, lang),
        together=_together(v, hub, candidate, assumed_days),
    )


def _columns(incidence: Incidence, row: int) -> list[int]:
    matrix = incidence.matrix
    found: list[int] = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]].tolist()
    return found


def _shown(views: HubViews, rows: Iterable[int]) -> set[str]:
    """Every node an explanation of HUBs ``rows`` can show (for one label query)."""
    found: set[str] = set()
    for incidence in (
        views.agenda,
        views.axes,
        views.stakeholders,
        views.offers,
        views.seeks,
        views.regions,
        views.sections,
    ):
        for row in rows:
            found.update(incidence.features(row))
    return found


def _labelled(nodes: Nodes, iris: Iterable[str], lang: str) -> tuple[Labelled, ...]:
    return tuple(Labelled(n, nodes.label(n, lang), nodes.notation(n)) for n in iris)


def _both(
    nodes: Nodes, incidence: Incidence, a: int, b: int, lang: str
) -> tuple[tuple[Labelled, ...], tuple[Labelled, ...]]:
    return (
        _labelled(nodes, incidence.features(a), lang),
        _labelled(nodes, incidence.features(b), lang),
    )


def _together(views: HubViews, a: int, b: int, assumed_days: int) -> tuple[str, str] | None:
    """The common active period, with an unknown end read as the assumed length."""
    starts = views.start[[a, b]]
    if np.isnat(starts).any():
        return None
    ends = [
        views.end[i] if not np.isnat(views.end[i]) else views.start[i] + assumed_days - 1
        for i in (a, b)
    ]
    first, last = max(starts), min(ends)
    return (str(first), str(last)) if first <= last else None


# -- matching -------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What candidates are sought for: a HUB, an LRG (its HUBs) or a territory (its HUBs)."""

    kind: str
    iri: str
    label: str
    hubs: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """One suggested HUB: its rank, score, the query HUB it pairs with, and why."""

    rank: int
    hub: str
    label: str
    score: float
    source: str
    source_label: str
    explanation: Explanation


@dataclass(frozen=True)
class MatchResult:
    """A ranked list of candidates with everything needed to reproduce and cite it."""

    query: Query
    candidates: tuple[Candidate, ...]
    weights: Weights
    lang: str
    method: str = METHOD
    method_version: str = METHOD_VERSION
    software_version: str = __version__
    created: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        data = asdict(self)
        data["created"] = self.created.isoformat()
        for candidate, item in zip(self.candidates, data["candidates"], strict=True):
            item["explanation"]["text"] = candidate.explanation.text(self.lang)
        return data


def resolve_query(
    G: GraphLike,
    *,
    hub: str | None = None,
    lrg: str | None = None,
    territory: str | None = None,
    lang: str = "en",
) -> Query:
    """The query for exactly one of ``hub``, ``lrg`` or ``territory`` (names or IRIs).

    A territory is an ISO 3166-1 alpha-2 country code (``ES``), a GeoNames continent
    code (``EU``; a country with the same code comes first) or the name of any
    territory (``place:bilbao``, ``region:EU``, a full IRI).

    Raises
    ------
    UnknownEntityError
        If the name is not a HUB, organisation or territory of the knowledge graph.
    EmptyGraphError
        If the graph has no HUB, or the LRG or territory has none.
    ValueError
        Unless exactly one of the three is given.

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges
    >>> G = graph_from_edges([("h1", "has_lead", "x"), ("h2", "has_stakeholder", "x")])
    >>> resolve_query(G, lrg="x").hubs
    ('h1', 'h2')
    """
    given = [(k, v) for k, v in (("hub", hub), ("lrg", lrg), ("territory", territory)) if v]
    if len(given) != 1:
        raise ValueError("give exactly one of hub, lrg or territory")
    kind, name = given[0]
    assert name is not None
    nodes = as_nodes(G)
    if kind == "hub":
        iri = nodes.find(name, ["hub"], "HUB")
        hubs = [iri]
    elif kind == "lrg":
        iri = nodes.find(name, ["lrg", "stakeholder"], "LRG or stakeholder")
        hubs = nodes.hubs_of_stakeholder(iri)
    else:
        iri = _territory(nodes, name.strip())
        hubs = nodes.hubs_in_territory(iri)
    if not hubs:
        raise EmptyGraphError(f"{nodes.label(iri, lang)} ({iri}) takes part in no HUB")
    return Query(kind, iri, nodes.label(iri, lang), tuple(hubs))


def _territory(nodes: Nodes, name: str) -> str:
    """A two-letter code is a country (ISO 3166-1), else a world region; else any name."""
    if len(name) == 2 and name.isalpha():
        for folder in ("country/", "region/"):
            iri = ID + folder + name.upper()
            if nodes.kind(iri) == "territory":
                return iri
    return nodes.find(name, ["territory"], "territory")


def match(
    G: GraphLike,
    views: HubViews,
    query: Query,
    *,
    top: int = 10,
    weights: Weights | None = None,
    lang: str = "en",
    exclude: Iterable[frozenset[str]] = (),
) -> MatchResult:
    """The ``top`` candidate HUBs for ``query``, each explained.

    Parameters
    ----------
    G, views
        The typed graph and its projections, or the ``nodes`` and ``views`` of
        :func:`~l4a_graph.analyses.store_views.read_views`.
    query
        From :func:`resolve_query`; with several HUBs (an LRG's, a territory's), each
        candidate counts with its best pairing and the query's own HUBs are left out.
    top
        How many candidates.
    weights
        Weights and options; the defaults when None.
    lang
        Language of labels and explanations (``en``, ``fr``, ``es``), English fallback.
    exclude
        Pairs of HUB IRIs never to suggest (accepted or rejected before); pairs already
        exchanging (``l4a:exchangesWith``) are left out too.

    Returns
    -------
    MatchResult

    Examples
    --------
    >>> from l4a_graph.analyses.graphs import graph_from_edges
    >>> G = graph_from_edges([("a", "addresses_goal", "g"), ("b", "addresses_goal", "g"),
    ...                       ("c", "addresses_goal", "h")])
    >>> V = hub_views(G)
    >>> result = match(G, V, resolve_query(G, hub="a"))
    >>> [(c.hub, c.score, c.explanation.text()) for c in result.candidates]
    [('b', 0.230769, 'shared goals: g')]

    ``a`` and ``b`` have the same agenda (cosine 1, weight 0.3) and no context:
    ``0.3 / 1.3 = 0.230769``; ``c`` shares nothing and is no candidate.

    Notes
    -----
    One block of ``len(query.hubs)`` rows against all HUBs: O(len(query.hubs) n F).
    """
    weights = weights or Weights()
    lang = lang if lang in LANGUAGES else "en"
    nodes = as_nodes(G)
    index = views.index
    rows = np.array([index[h] for h in query.hubs], dtype=np.intp)
    signals = signal_scores(views, rows, weights)
    scores = combined_scores(signals, weights)
    _exclude(scores, rows, views, index, exclude)
    best_row = scores.argmax(axis=0)
    best = scores[best_row, np.arange(scores.shape[1])]
    ranked = rank(best[None, :], top)[0]
    pairs = [(int(rows[best_row[j]]), j) for j, _ in ranked]
    shown = {i for pair in pairs for i in pair}
    nodes.prefetch(_shown(views, shown) | {views.hubs[i] for i in shown})
    candidates = []
    for position, ((j, score), (i, _)) in enumerate(zip(ranked, pairs, strict=True), start=1):
        r = int(best_row[j])
        explanation = replace(
            explain(nodes, views, i, j, lang, assumed_days=weights.assumed_days),
            signals={name: round(float(s[r, j]), DECIMALS) for name, s in signals.items()},
        )
        source = views.hubs[i]
        candidates.append(
            Candidate(
                rank=position,
                hub=views.hubs[j],
                label=nodes.label(views.hubs[j], lang),
                score=score,
                source=source,
                source_label=nodes.label(source, lang),
                explanation=explanation,
            )
        )
    return MatchResult(query, tuple(candidates), weights, lang)


def _exclude(
    scores: FloatArray,
    rows: npt.NDArray[np.intp],
    views: HubViews,
    index: Mapping[str, int],
    pairs: Iterable[frozenset[str]],
) -> None:
    """Zero the query's own HUBs and the pairs known already (connected or reviewed)."""
    scores[:, rows] = 0.0
    known = {frozenset((views.hubs[i], views.hubs[j])) for i, j in views.connected}
    known |= set(pairs)
    for r, i in enumerate(rows):
        for pair in known:
            if views.hubs[i] in pair and len(pair) == 2:
                (other,) = pair - {views.hubs[i]}
                if other in index:
                    scores[r, index[other]] = 0.0


def match_in(
    kg: KnowledgeGraph,
    *,
    hub: str | None = None,
    lrg: str | None = None,
    territory: str | None = None,
    top: int = 10,
    weights: Weights | None = None,
    lang: str = "en",
    version: Hashable | None = None,
) -> tuple[Nodes, MatchResult]:
    """Read ``kg``, then :func:`match`, leaving out pairs the Secretariat has reviewed.

    This is what the CLI and the web API call. The store is read straight into the
    projections (:func:`~l4a_graph.analyses.store_views.read_views`, no networkx
    graph); with a ``version`` (anything that changes whenever the data does: the web
    app passes its snapshot generation) the reading is kept and reused until the
    version changes. The reviewed pairs and the stakeholders excluded from matchmaking
    (:mod:`~l4a_graph.analyses.exclusions`) are read every time. Returns the nodes too,
    for labels.

    Raises
    ------
    UnknownEntityError, EmptyGraphError
        As :func:`resolve_query` and :func:`~l4a_graph.analyses.graphs.hub_views`.
    """
    read = projections(kg, version)
    query = resolve_query(read.nodes, hub=hub, lrg=lrg, territory=territory, lang=lang)
    opted_out = excluded(kg)
    if query.kind == "lrg" and query.iri in opted_out:
        raise UnknownEntityError(f"{query.iri} has asked to be left out of matchmaking")
    reviewed = reviewed_pairs(kg)
    result = match(
        read.nodes,
        without(read.views, opted_out),
        query,
        top=top,
        weights=weights,
        lang=lang,
        exclude=reviewed.keys(),
    )
    return read.nodes, result
