"""Shared SDG targets and goals, weighted by rarity: a target few HUBs share says more.

Two HUBs that both work on target 11.1 (housing) are likelier partners than two that
both name goal 17, which nearly every HUB does. Each target (or goal) is weighted by
how few HUBs address it, and the weighted profiles are compared by their cosine.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from l4a_graph.analyses.graphs import FloatArray, Incidence, Rows, row_products, unit_rows

__all__ = ["WEIGHTINGS", "rarity_weights", "shared_targets"]

Weighting = Literal["idf", "ra"]
WEIGHTINGS: Final = ("idf", "ra")


def rarity_weights(
    degrees: npt.NDArray[np.float64], n: int, weighting: Weighting
) -> npt.NDArray[np.float64]:
    """The weight of each feature given how many of the ``n`` HUBs hold it.

    Parameters
    ----------
    degrees
        Number of HUBs holding each feature.
    n
        Number of HUBs.
    weighting
        ``"idf"``: smoothed inverse document frequency ``1 + ln((1 + n) / (1 + k))``;
        ``"ra"``: ``1 / sqrt(k)``, so that the numerator of the cosine is the
        resource-allocation index (the sum of ``1 / k`` over shared features).

    Returns
    -------
    numpy.ndarray
        One weight per feature (0 for a feature nobody holds).

    Raises
    ------
    ValueError
        If ``weighting`` is neither ``"idf"`` nor ``"ra"``.

    Examples
    --------
    >>> rarity_weights(np.array([1.0, 3.0]), 3, "idf").round(3).tolist()
    [1.693, 1.0]
    >>> rarity_weights(np.array([1.0, 4.0]), 4, "ra").tolist()
    [1.0, 0.5]
    """
    held = degrees > 0
    safe = np.where(held, degrees, 1.0)
    if weighting == "idf":
        weights = 1.0 + np.log((1.0 + n) / (1.0 + safe))
    elif weighting == "ra":
        weights = 1.0 / np.sqrt(safe)
    else:
        raise ValueError(f"unknown weighting {weighting!r}: use one of {', '.join(WEIGHTINGS)}")
    return np.where(held, weights, 0.0)


def shared_targets(
    incidence: Incidence, rows: Rows = None, *, weighting: Weighting = "ra"
) -> FloatArray:
    """Rarity-weighted cosine similarity of the HUBs' SDG targets (and goals).

    Parameters
    ----------
    incidence
        HUB x feature incidence; matchmaking passes targets and goals together
        (:attr:`~l4a_graph.analyses.graphs.HubViews.agenda`), so HUBs that state goals
        only still compare, while a shared target also counts its shared goal.
    rows
        Score these HUBs (row indices) against all; None for all.
    weighting
        How rarity is weighted: ``"ra"`` (the default, the stronger) or ``"idf"``
        (see :func:`rarity_weights`).

    Returns
    -------
    numpy.ndarray
        ``len(rows) x n`` scores in [0, 1]; symmetric over all rows; 0 when either HUB
        states no target (the diagonal is 1 for any HUB that states one).

    Examples
    --------
    ``a`` and ``b`` share the rare target ``t1``; everyone shares ``common``.

    >>> A = Incidence.from_mapping(
    ...     {"a": ["t1", "common"], "b": ["t1", "common"], "c": ["t2", "common"], "d": ["common"]}
    ... )
    >>> print(shared_targets(A, [0]).round(3))
    [[1.    1.    0.258 0.577]]
    >>> print(shared_targets(A, [0], weighting="idf").round(3))
    [[1.    1.    0.255 0.552]]

    With ``ra``, ``common`` (held by all four HUBs) weighs ``1/4`` and ``t1`` (two)
    ``1/2`` in the dot products: ``a . d = 0.25 / sqrt(0.75 * 0.25) = 0.577``. With
    ``idf``, ``common`` weighs 1 and ``t1`` ``1 + ln(5/3) = 1.511``:
    ``a . d = 1 / sqrt(1.511^2 + 1) = 0.552``.

    Notes
    -----
    With ``w`` the weights, ``x_u = w * a_u / ||w * a_u||`` and the score is ``x_u . x_v``:
    one sparse scaling, then a sparse ``len(rows) x F`` by dense ``F x n`` product
    (O(k n) for the k targets and goals of the ``rows``, F the number of features).

    References
    ----------
    .. [1] K. Spärck Jones, "A statistical interpretation of term specificity and its
       application in retrieval", Journal of Documentation 28(1), 11-21, 1972.
    .. [2] G. Salton and C. Buckley, "Term-weighting approaches in automatic text
       retrieval", Information Processing & Management 24(5), 513-523, 1988.
    .. [3] T. Zhou, L. Lü and Y.-C. Zhang, "Predicting missing links via local
       information", European Physical Journal B 71, 623-630, 2009.
    """
    unit = _unit(incidence, weighting)
    scores = row_products(unit, unit, rows)
    # Rounding can push a self-similarity a hair above 1.
    np.clip(scores, 0.0, 1.0, out=scores)
    return scores


@lru_cache(maxsize=32)
def _unit(incidence: Incidence, weighting: Weighting) -> Incidence:
    """The rarity-weighted unit rows, once per incidence (scoring runs block by block)."""
    weights = rarity_weights(incidence.degrees, incidence.matrix.shape[0], weighting)
    return unit_rows(incidence, weights)
