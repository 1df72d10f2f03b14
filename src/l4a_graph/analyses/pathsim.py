"""PathSim: meta-path similarity of HUBs in the heterogeneous graph (Sun et al., 2011).

Along a symmetric meta path such as HUB-target-HUB, PathSim compares two HUBs by the
paths between them relative to the round trips from each: it finds peers of similar
visibility rather than the HUBs that merely hold the most targets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from l4a_graph.analyses.graphs import DTYPE, FloatArray, Incidence, Rows, row_products

__all__ = ["pathsim"]

PROFILE_FEATURES: Final = 16
PROFILE_ROWS: Final = 256
"""Incidences with at most this many features and distinct rows use a lookup table."""


def pathsim(incidence: Incidence, rows: Rows = None) -> FloatArray:
    """PathSim over the meta path HUB-feature-HUB (target, Pact axis or stakeholder).

    Parameters
    ----------
    incidence
        HUB x feature incidence: its product with its transpose is the commuting
        matrix ``M`` of the meta path.
    rows
        Score these HUBs (row indices) against all; None for all.

    Returns
    -------
    numpy.ndarray
        ``len(rows) x n`` scores ``2 M[x, y] / (M[x, x] + M[y, y])`` in [0, 1];
        symmetric; 1 on the diagonal for a HUB with at least one feature, 0 for pairs
        where neither HUB has one.

    Examples
    --------
    HUB-axis-HUB: ``a`` and ``b`` share one axis out of three in all.

    >>> A = Incidence.from_mapping({"a": ["people", "planet"], "b": ["planet"], "c": []})
    >>> print(pathsim(A).round(3))
    [[1.    0.667 0.   ]
     [0.667 1.    0.   ]
     [0.    0.    0.   ]]

    Notes
    -----
    O(k n) for the commuting-matrix rows, k the features of the ``rows`` (sparse by
    dense for few features, sparse products for many); with few features and few
    distinct rows (Pact axes),
    O(p^2 F) for the p distinct rows, then one lookup per pair. For 0/1 incidences
    PathSim equals the Dice coefficient of the two HUBs' feature sets.

    References
    ----------
    .. [1] Y. Sun, J. Han, X. Yan, P. S. Yu and T. Wu, "PathSim: Meta Path-Based Top-K
       Similarity Search in Heterogeneous Information Networks", Proceedings of the
       VLDB Endowment 4(11), 992-1003, 2011.
    """
    profiles = _profiles(incidence)
    if profiles is not None:
        codes, table = profiles
        chosen_codes = codes if rows is None else codes[np.asarray(rows, dtype=np.intp)]
        return np.take(table[chosen_codes], codes, axis=1)
    scores = row_products(incidence, incidence, rows)
    half = _half_round_trips(incidence)
    chosen = half if rows is None else half[np.asarray(rows, dtype=np.intp)]
    scores /= chosen[:, None] + half[None, :]
    return scores


@lru_cache(maxsize=32)
def _profiles(incidence: Incidence) -> tuple[npt.NDArray[np.intp], FloatArray] | None:
    """Codes of the distinct rows and PathSim between them, when there are few.

    Three Pact axes make at most eight distinct rows: PathSim is worked out once per
    pair of them and looked up per pair of HUBs (one pass instead of three).
    """
    if incidence.matrix.shape[1] > PROFILE_FEATURES:
        return None
    distinct, codes = np.unique(incidence.matrix.toarray(), axis=0, return_inverse=True)
    if len(distinct) > PROFILE_ROWS:
        return None
    commuting = distinct @ distinct.T
    trips = np.diag(commuting)
    denominator = trips[:, None] + trips[None, :]
    table = np.divide(
        2.0 * commuting, denominator, out=np.zeros_like(commuting), where=denominator > 0
    )
    return np.asarray(codes, dtype=np.intp).ravel(), table.astype(DTYPE)


@lru_cache(maxsize=32)
def _half_round_trips(incidence: Incidence) -> FloatArray:
    """``M[x, x] / 2`` per HUB, +inf where 0: a pair of featureless HUBs divides 0 by inf."""
    trips = np.asarray(incidence.matrix.multiply(incidence.matrix).sum(axis=1)).ravel()
    return np.where(trips > 0, trips / 2.0, np.inf).astype(DTYPE)
