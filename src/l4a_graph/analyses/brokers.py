"""Brokers: stakeholders two HUBs share, who can introduce one to the other.

A university in both HUBs is a ready-made bridge. A stakeholder in many HUBs (a UN
agency, UCLG itself) bridges everyone a little and nobody in particular, so each shared
stakeholder counts by how few other HUBs it divides its attention between.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import sparse

from l4a_graph.analyses.graphs import FloatArray, Incidence, Rows, row_products

__all__ = ["brokers"]


def brokers(incidence: Incidence, rows: Rows = None) -> FloatArray:
    """Brokerage between HUBs through the stakeholders they share.

    Parameters
    ----------
    incidence
        HUB x stakeholder incidence (leads included).
    rows
        Score these HUBs (row indices) against all; None for all.

    Returns
    -------
    numpy.ndarray
        ``len(rows) x n`` scores ``min(1, sum of 1 / (k_s - 1))`` over the stakeholders
        ``s`` both HUBs share, ``k_s`` the number of HUBs ``s`` takes part in: a
        stakeholder in exactly these two HUBs is a full bridge (1), one in three HUBs
        half a bridge. Symmetric, in [0, 1]. The diagonal (a HUB with itself) is not a
        pair and the ranking skips it.

    Examples
    --------
    ``uni`` is in ``a`` and ``b`` only; ``un`` is in all three HUBs.

    >>> A = Incidence.from_mapping({"a": ["uni", "un"], "b": ["uni", "un"], "c": ["un"]})
    >>> print(brokers(A, [0, 2]).round(3))
    [[1.  1.  0.5]
     [0.5 0.5 0.5]]

    Notes
    -----
    One sparse product ``A[rows] diag(w) A^T``, ``w_s = 1 / (k_s - 1)``: O(sum over
    stakeholders of k_s^2) at worst, far less in practice; stakeholders held by one
    HUB weigh 0.

    References
    ----------
    .. [1] R. S. Burt, "Structural Holes: The Social Structure of Competition",
       Harvard University Press, 1992.
    .. [2] T. Zhou, L. Lü and Y.-C. Zhang, "Predicting missing links via local
       information", European Physical Journal B 71, 623-630, 2009.
    """
    scores = row_products(_weighted(incidence), incidence, rows)
    np.minimum(scores, 1.0, out=scores)
    return scores


@lru_cache(maxsize=32)
def _weighted(incidence: Incidence) -> Incidence:
    """Each stakeholder column scaled by ``1 / (k_s - 1)``, 0 when only one HUB has it."""
    shared_by = incidence.degrees
    weights = np.divide(1.0, shared_by - 1.0, out=np.zeros_like(shared_by), where=shared_by >= 2)
    return incidence.derived(incidence.matrix @ sparse.diags_array(weights))
